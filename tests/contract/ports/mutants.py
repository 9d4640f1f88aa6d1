"""Deliberately broken memory adapters: each one must make the conformance kit fail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.repositories import MemoryRepository
from adapters.memory.store import Change
from adapters.memory.unit_of_work import MemoryUnitOfWork
from domain import Entity, Page, PageRequest


class VersionBlindStore(MemoryStore):
    """Ignores versions: a stale update or remove silently wins."""

    def _current(self, table: str, id: UUID, expected_version: int) -> Entity:
        stored = self.tables[table].get(id)
        return super()._current(table, id, stored.version if stored else expected_version)


class NonAtomicStore(MemoryStore):
    """Applies each change on its own: a failing commit leaves the earlier writes behind."""

    def apply(self, changes: Sequence[Change]) -> None:
        for change in changes:
            super().apply([change])


class DoubleBookingStore(MemoryStore):
    """Forgets that a location slot can only be held once."""

    def _check_slot(self, day: Any) -> None:
        pass


class InclusiveCursorRepository(MemoryRepository[Any, Any]):
    """Starts the next page at the cursor's item instead of after it: items repeat."""

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        result = await super().list(query, page)
        if page.cursor is None or not result.items:
            return result
        previous = [e for e in self._rows().values() if query.matches(e)]
        key = tuple(str(v) for v in self._kind.cursor_key(page.cursor))
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


def _with_repository(kind: type[MemoryRepository[Any, Any]]) -> MemoryDataSource:
    source = MemoryDataSource()
    original = source.unit_of_work

    def unit_of_work() -> MemoryUnitOfWork:
        uow = original()
        for name in ("movies", "locations", "productions"):
            repo = getattr(uow, name)
            setattr(uow, name, kind(source.store, repo._table, repo._kind, repo._pending))
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
                "a_taken_slot_cannot_be_booked_again",
                "moving_a_day_onto_a_taken_slot_conflicts",
                "concurrent_bookings_of_one_slot_let_exactly_one_win",
            },
        ),
        "inclusive-cursor": (
            _with_repository(InclusiveCursorRepository),
            {"pages_visit_every_item_once_while_items_are_added"},
        ),
        "leaky-errors": (
            _with_repository(LeakyRepository),
            {"get_of_a_missing_id_raises_not_found", "remove_deletes"},
        ),
    }
