"""Provider states: named set-ups that Pact interactions ask for with ``given(...)``.

A state sets the provider up **through the domain** (repositories of a unit of work), never
with raw SQL, so the same states serve our SQL-backed service, a test double or a user's own
provider reached through one of our data sources.

Every entity type of a consumer's ``ContractExamples`` has two states, derived from the
catalog: "two <plural> exist" and "<a> <singular> to edit and <a> <singular> to remove exist".
Consumers add named states of their own for interactions that need no data, and overload
states (``overload_state``): states of the service itself, not of its data, that only the
service's own state endpoint (``app.service.provider_states``) can set.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

from app.bootstrap import Interactors
from app.contracts.examples import ContractExamples, contract_ids, lineage
from app.housekeeping import remove_present
from domain import Catalog, Entity
from domain.catalog import AnyEntityType

__all__ = [
    "OVERLOADING",
    "STATES",
    "StateSetup",
    "contract_ids",
    "load_all",
    "overload_state",
    "provider_state",
    "register_examples",
    "restore",
    "store_absent",
]

StateSetup = Callable[[Interactors, Mapping[str, Any]], Awaitable[None]]

STATES: dict[str, StateSetup] = {}
"""Every known provider state, by the exact name consumers pass to ``given``."""


def provider_state(name: str) -> Callable[[StateSetup], StateSetup]:
    """Register the decorated coroutine function as the set-up of the state ``name``."""

    def register(setup: StateSetup) -> StateSetup:
        if name in STATES:
            raise ValueError(f"provider state {name!r} is registered twice")
        STATES[name] = setup
        return setup

    return register


OVERLOADING: set[str] = set()
"""States in which the provider answers 503 to every request until the state's teardown."""


def overload_state(name: str) -> None:
    """Register ``name`` as a state in which the service is overloaded (every request: 503).

    No write through a data source can make a provider shed load, so the set-up registered
    here does nothing: the service's state endpoint looks the name up in ``OVERLOADING`` and
    answers 503 itself while the state holds. Consumers record with these states how they
    handle a 503, and a real provider is verified against that, instead of leaving the
    interaction pending for ever.
    """

    async def setup(app: Interactors, params: Mapping[str, Any]) -> None:
        """Nothing to store: the service itself is overloaded (see ``overload_state``)."""

    provider_state(name)(setup)
    OVERLOADING.add(name)


def _ids_by_type(catalog: Catalog, entities: Sequence[Entity]) -> dict[AnyEntityType, list[UUID]]:
    """The ids of ``entities`` grouped by entity type, in order."""
    groups: dict[AnyEntityType, list[UUID]] = {}
    for entity in entities:
        groups.setdefault(catalog.of(type(entity)), []).append(entity.id)
    return groups


async def store_absent(app: Interactors, catalog: Catalog, entities: Sequence[Entity]) -> None:
    """Add those of ``entities`` that are not stored yet, in order, in one commit.

    Several interactions ask for the same state, so a set-up must be repeatable: entities an
    earlier set-up stored are kept (one read per type finds them). Parents come first in
    ``entities``, so the commit never refers to an entity it has not written yet.
    """
    async with app.uow() as uow:
        present: set[UUID] = set()
        for kind, ids in _ids_by_type(catalog, entities).items():
            present.update(await uow.repository(kind).get_many(ids))
        for entity in entities:
            if entity.id not in present:
                await uow.repository(catalog.of(type(entity))).add(entity)
        await uow.commit()


async def restore(
    app: Interactors, catalog: Catalog, entities: Sequence[Entity], *, absent: Sequence[Entity]
) -> None:
    """``entities`` stored as given (version 1), ``absent`` not stored at all.

    For states whose interactions change entities: a replay must meet what the consumer
    recorded, so whatever an earlier interaction changed, added or removed is undone.
    """
    async with app.uow() as uow:
        for kind, ids in _ids_by_type(catalog, [*entities, *absent]).items():
            await remove_present(uow.repository(kind), ids)
        await uow.commit()
    async with app.uow() as uow:
        for entity in entities:
            await uow.repository(catalog.of(type(entity))).add(entity)
        await uow.commit()


def register_examples(examples: ContractExamples) -> None:
    """Register the two derived states of every entity type of ``examples``."""
    for entity in examples.types:
        provider_state(examples.exist_state(entity))(_exist(examples, entity))
        provider_state(examples.change_state(entity))(_change(examples, entity))


def _parents(examples: ContractExamples, entity: AnyEntityType) -> list[Entity]:
    """``first`` and ``second`` of every type ``entity`` refers to, transitively, parents first.

    The examples of ``entity`` refer to one or the other (see ``app.contracts.examples``).
    """
    ancestry = lineage(examples.catalog, entity)[:-1]
    return [e for kind in ancestry for e in (examples[kind].first, examples[kind].second)]


def _exist(examples: ContractExamples, entity: AnyEntityType) -> StateSetup:
    own = examples[entity]

    async def setup(app: Interactors, params: Mapping[str, Any]) -> None:
        wanted = [*_parents(examples, entity), own.first, own.second]
        await store_absent(app, examples.catalog, wanted)

    setup.__doc__ = f"{entity.label} examples first and second, and the entities they refer to."
    return setup


def _change(examples: ContractExamples, entity: AnyEntityType) -> StateSetup:
    own = examples[entity]

    async def setup(app: Interactors, params: Mapping[str, Any]) -> None:
        await store_absent(app, examples.catalog, _parents(examples, entity))
        await restore(app, examples.catalog, [own.edited, own.removed], absent=[own.new])

    setup.__doc__ = f"{entity.label} examples edited and removed at version 1; new absent."
    return setup


def load_all() -> dict[str, StateSetup]:
    """Import every module that registers states and return the registry."""
    from app.contracts import states_graphql, states_json_api  # noqa: F401

    return STATES
