"""Deliberately broken memory adapters: each one must make the conformance kit fail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.repositories import MemoryRepository
from adapters.memory.store import Change
from adapters.memory.unit_of_work import MemoryUnitOfWork
from domain import LOCATIONS, MOVIES, PRODUCTIONS, Entity, Page, PageRequest
from domain.catalog import AnyEntityType


class VersionBlindStore(MemoryStore):
    """Ignores versions: a stale update or remove silently wins."""

    def _current(self, kind: AnyEntityType, id: UUID, expected_version: int) -> Entity:
        stored = self.table(kind).get(id)
        return super()._current(kind, id, stored.version if stored else expected_version)


class NonAtomicStore(MemoryStore):
    """Applies each change on its own: a failing commit leaves the earlier writes behind."""

    def apply(self, changes: Sequence[Change]) -> None:
        for change in changes:
            super().apply([change])


class DoubleBookingStore(MemoryStore):
    """Forgets that a location slot (any unique key) can only be held once."""

    def _check_unique(self, kind: AnyEntityType, entity: Entity) -> None:
        pass


class InclusiveCursorRepository(MemoryRepository[Any, Any]):
    """Starts the next page at the cursor's item instead of after it: items repeat."""

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        result = await super().list(query, page)
        if page.cursor is None or not result.items:
            return result
        previous = [e for e in self._rows().values() if query.matches(e)]
        key = tuple(str(v) for v in self._kind.model.cursor_key(page.cursor))
        repeated = [e for e in previous if e.sort_key == key]
        return Page(
            items=tuple(repeated) + result.items[: page.size - len(repeated)],
            next_cursor=result.next_cursor,
        )


class LeakyRepository(MemoryRepository[Any, Any]):
    """Lets a storage exception escape instead of mapping it to a domain error."""

    async def get(self, id: UUID) -> Any:
        try:
            return self._rows()[id]
        except KeyError:
            raise LookupError(f"row {id} missing") from None


class VersionResettingBatchRepository(MemoryRepository[Any, Any]):
    """Adds a batch at version 1 whatever the versions given: a copy would lose them."""

    async def add_many(self, entities: Sequence[Any]) -> Sequence[Any]:
        return await super().add_many([e.evolve(version=1) for e in entities])


def _with_repository(kind: type[MemoryRepository[Any, Any]]) -> MemoryDataSource:
    source = MemoryDataSource()
    original = source.unit_of_work

    def unit_of_work() -> MemoryUnitOfWork:
        uow = original()
        for entity in (MOVIES, LOCATIONS, PRODUCTIONS):
            repo = uow.repository(entity)
            uow._repositories[entity] = kind(source.store, entity, repo._pending)  # type: ignore[attr-defined]
        return uow

    source.unit_of_work = unit_of_work  # type: ignore[method-assign]
    return source


def build_mutants() -> dict[str, tuple[MemoryDataSource, set[str]]]:
    """Fresh mutant sources with the checks each one must fail."""
    return {
        "version-blind": (
            MemoryDataSource(VersionBlindStore()),
            {
                "stale_updates_conflict_and_change_nothing",
                "stale_removes_conflict_and_keep_the_entity",
                "concurrent_updates_of_one_version_let_exactly_one_win",
            },
        ),
        "non-atomic": (
            MemoryDataSource(NonAtomicStore()),
            {"a_failed_commit_writes_nothing", "a_failed_commit_undoes_updates_and_removes_too"},
        ),
        "double-booking": (
            MemoryDataSource(DoubleBookingStore()),
            {
                "a_second_holder_of_a_unique_key_conflicts",
                "moving_onto_a_taken_unique_key_conflicts",
                "concurrent_holders_of_one_unique_key_let_exactly_one_win",
            },
        ),
        "inclusive-cursor": (
            _with_repository(InclusiveCursorRepository),
            {"pages_visit_every_item_once_while_items_are_added"},
        ),
        "version-resetting-batch": (
            _with_repository(VersionResettingBatchRepository),
            {"bulk_add_stores_each_entity_as_add_does"},
        ),
        "leaky-errors": (
            _with_repository(LeakyRepository),
            {"get_of_a_missing_id_raises_not_found", "remove_deletes"},
        ),
    }
