"""``applyChanges``: a batch of add/update/remove applied in one unit of work, all or nothing.

This is the commit of the graphql data source: its unit of work buffers writes and sends them
here in one request. Entity inputs carry the full entity with its version: for an update, the
version is the one the caller read (the stored one); the stored version becomes version + 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import UNSET

from app.service.graphql.derived import CatalogTypes
from app.service.graphql.paging import to_uuid
from app.service.graphql.types import Ctx
from app.service.limits import MAX_OPERATIONS
from domain import Entity, InvalidInput, Repository, UnitOfWork, UnitOfWorkFactory
from domain.catalog import AnyEntityType


@strawberry.input(description="The id and stored version of an entity to remove.")
class RemoveInput:
    """A removal of ``applyChanges``."""

    id: strawberry.ID
    version: int


def _change_input(types: CatalogTypes) -> type:
    """``ChangeInput``: one member per entity type and operation (``addMovie``...)."""
    hints: dict[str, Any] = {}
    for entity in types.catalog:
        given = types.inputs[entity.plural]
        singular = entity.names.singular
        hints[f"add_{singular}"] = given | None
        hints[f"update_{singular}"] = given | None
        hints[f"remove_{singular}"] = RemoveInput | None
    cls = type("ChangeInput", (), {"__annotations__": hints, **dict.fromkeys(hints, UNSET)})
    cls.__doc__ = "One change of a batch; exactly one field is set."
    return strawberry.input(cls, one_of=True, description="Exactly one add, update or remove.")


@strawberry.type(description="What applyChanges did.")
class ApplyChangesPayload:
    """The number of changes applied (all of them: the batch is atomic)."""

    applied: int


@dataclass(frozen=True)
class _Change:
    operation: str
    kind: AnyEntityType
    entity: Entity | None = None
    id: Any = None
    version: int = 0


class Changes:
    """``ChangeInput`` of one catalog, and the decoding of a batch of them."""

    def __init__(self, types: CatalogTypes) -> None:
        self.types = types
        self.input = _change_input(types)
        self._kinds = {entity.names.singular: entity for entity in types.catalog}

    def decode(self, index: int, change: Any) -> _Change:
        """The one change set on ``change``; InvalidInput names the member that is wrong."""
        for name, value in vars(change).items():
            if value is None or value is strawberry.UNSET:
                continue
            operation, _, singular = name.partition("_")
            kind = self._kinds[singular]
            where = f"changes[{index}].{operation}{kind.names.pascal}"
            if isinstance(value, RemoveInput):
                return _Change(
                    "remove", kind, id=to_uuid(value.id, f"{where}.id"), version=value.version
                )
            return _Change(operation, kind, entity=self.types.decode(kind, value, where))
        raise InvalidInput(
            f"changes[{index}]: exactly one change must be set", field=f"changes[{index}]"
        )

    def mutation_type(self) -> type:
        """A class with the one mutation every catalog gets: ``applyChanges``."""
        decode = self.decode

        async def apply_changes_resolver(info: Ctx, changes: list[Any]) -> ApplyChangesPayload:
            """The graphql data source's commit."""
            if len(changes) > MAX_OPERATIONS:  # the cap of /api/operations too
                raise InvalidInput(
                    f"changes: at most {MAX_OPERATIONS:,} per request, got {len(changes):,}",
                    field="changes",
                )
            decoded = [decode(index, change) for index, change in enumerate(changes)]
            return ApplyChangesPayload(applied=await apply_changes(info.context.uow, decoded))

        # Strawberry reads the argument's type from the annotation: this catalog's input.
        apply_changes_resolver.__annotations__["changes"] = list[self.input]  # type: ignore[name-defined]
        field = strawberry.mutation(
            apply_changes_resolver,
            name="applyChanges",
            description=(
                "Apply add/update/remove changes in order, in one transaction: all or nothing."
            ),
        )
        return strawberry.type(type("Commit", (), {"apply_changes": field}))


async def apply_changes(uow_factory: UnitOfWorkFactory, decoded: Sequence[_Change]) -> int:
    """Apply validated changes in order in one unit of work and commit."""
    async with uow_factory() as uow:
        for change in decoded:
            await _apply(uow, change)
        await uow.commit()
    return len(decoded)


async def _apply(uow: UnitOfWork, change: _Change) -> None:
    repository: Repository[Any, Any] = uow.repository(change.kind)
    if change.operation == "add":
        await repository.add(change.entity)
    elif change.operation == "update":
        await repository.update(change.entity)
    else:
        await repository.remove(change.id, change.version)


__all__ = ["ApplyChangesPayload", "Changes", "apply_changes"]
