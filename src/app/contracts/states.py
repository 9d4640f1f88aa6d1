"""Provider states: named set-ups that Pact interactions ask for with ``given(...)``.

A state sets the provider up **through the domain** (interactors and repositories of a unit of
work), never with raw SQL, so the same states serve our SQL-backed service, a test double or a
user's own provider reached through one of our data sources.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from app.bootstrap import Interactors
from app.housekeeping import remove_present
from domain import MOVIES, PRODUCTIONS, Conflict, Movie

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


async def ensure(step: Awaitable[object]) -> None:
    """Run one set-up step; an entity already there (Conflict on its fixed id) is fine.

    Several interactions ask for the same state, so set-ups use fixed ids and must be
    repeatable.
    """
    with contextlib.suppress(Conflict):
        await step


def contract_ids(contract: str) -> Callable[[str], UUID]:
    """Fixed ids for one consumer's contract: ``name`` -> a uuid5 in the contract's namespace.

    Each consumer has its own namespace, so two contracts' states never share an entity.
    """
    namespace = uuid5(NAMESPACE_URL, f"https://hexstudio.dev/pact/{contract}")
    return lambda name: uuid5(namespace, name)


async def onboard_once(app: Interactors, **onboarding: Any) -> None:
    """Onboard the production ``onboarding["id"]`` unless an earlier interaction did.

    A repeated onboarding breaks a rule (the movie has an active production) rather than
    conflicting, so ``ensure`` cannot make it repeatable: look first.
    """
    async with app.uow() as uow:
        if await uow.repository(PRODUCTIONS).get_many([onboarding["id"]]):
            return
    await app.onboard_production(**onboarding)


async def reset_movies(app: Interactors, titles: Mapping[UUID, str], *, absent: UUID) -> None:
    """The movies of ``titles`` back at version 1 with those titles, and ``absent`` gone.

    For states whose interactions change movies: a replay must meet what was recorded.
    """
    async with app.uow() as uow:
        await remove_present(uow.repository(MOVIES), (*titles, absent))
        await uow.commit()
    async with app.uow() as uow:
        for id, title in titles.items():
            await uow.repository(MOVIES).add(Movie(id=id, title=title))
        await uow.commit()


def load_all() -> dict[str, StateSetup]:
    """Import every module that registers states and return the registry."""
    from app.contracts import states_graphql, states_json_api  # noqa: F401

    return STATES
