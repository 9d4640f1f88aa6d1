"""The contract's examples, states and interactions follow from a catalog, for any type.

A catalog of two types declared here (never seen by the contract code) gets examples, state
names and every derived interaction; the studio's derived states, run on the memory source,
store what the interactions expect and restore it however often they run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import pytest

from adapters.memory import MemoryDataSource
from app.bootstrap import Interactors
from app.contracts.examples import (
    ROLES,
    ContractExamples,
    lineage,
    matching_query,
    scope_filter,
)
from app.contracts.states import load_all
from app.contracts.states_json_api import EXAMPLES
from domain import Entity, PageRequest, Query, UniqueKey
from domain.catalog import Catalog, EntityType, In, References
from domain.studio import EMPLOYEES, MOVIES, PRODUCTIONS, STUDIO
from tests.contract.pact.derived import derive


class Show(Entity):
    """A test entity."""

    title: str


class ShowQuery(Query[Show]):
    title: str | None = None


class Episode(Entity):
    """A test entity referring to a show."""

    show_id: Annotated[UUID, References("shows")]
    number: int


class EpisodeQuery(Query[Episode]):
    show_id: UUID | None = None
    numbers: Annotated[frozenset[int] | None, In("number")] = None


NUMBERED = UniqueKey("numbered", ("show_id", "number"), reason="episode_numbered_twice")
SHOWS = EntityType(Show, ShowQuery, example=lambda s: Show(title=s.text("Show")))
EPISODES = EntityType(
    Episode,
    EpisodeQuery,
    unique=(NUMBERED,),
    example=lambda s: Episode(show_id=s.ref("show_id"), number=s.n),
)
TV = Catalog("tv", [SHOWS, EPISODES])
TV_EXAMPLES = ContractExamples("tv", TV, prefix="tv: ")


class Recorder:
    """A ``derived.Wire`` that records which of its methods each interaction called."""

    verb = "a call"
    caches_included = False

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __getattr__(self, method: str) -> Callable[..., None]:
        def record(pact: Any, description: str, state: str, *args: Any) -> None:
            self.calls.append((method, description, state))

        return record


def test_a_new_catalog_gets_examples_and_state_names_with_no_code() -> None:
    assert TV_EXAMPLES.types == (SHOWS, EPISODES)
    assert TV_EXAMPLES.exist_state(EPISODES) == "tv: two episodes exist"
    assert TV_EXAMPLES.change_state(EPISODES) == (
        "tv: an episode to edit and an episode to remove exist"
    )
    episodes, shows = TV_EXAMPLES[EPISODES], TV_EXAMPLES[SHOWS]
    roles = [episodes.first, episodes.second, episodes.edited, episodes.removed, episodes.new]
    assert len({e.id for e in roles}) == len(roles)
    assert episodes.edit.id == episodes.edited.id
    assert episodes.edit != episodes.edited
    # first and second share the parent's first; the written roles its second (so paging the
    # children of the first parent always meets exactly two).
    assert {e.show_id for e in (episodes.first, episodes.second)} == {shows.first.id}
    others = (episodes.edited, episodes.edit, episodes.removed, episodes.new)
    assert {e.show_id for e in others} == {shows.second.id}
    numbers = [e.number for e in (episodes.first, episodes.second)]
    assert numbers == [ROLES["first"], ROLES["second"]]


def test_a_new_catalog_gets_every_derived_interaction_with_no_code() -> None:
    wire = Recorder()
    interactions = dict(derive(TV_EXAMPLES, wire, "tv: nothing"))
    assert sorted(interactions) == sorted(
        [
            *(f"{op}_{name}" for op in ("get", "get_missing") for name in ("show", "episode")),
            *(f"get_many_{name}" for name in ("shows", "episodes")),
            *(f"list_{name}_matching_every_filter" for name in ("shows", "episodes")),
            *(f"commit_{name}" for name in ("shows", "episodes")),
            # Only episodes have an equality filter on a reference, and a unique key.
            "list_episodes_first_page",
            "list_episodes_after_cursor",
            "find_episodes_by_numbered",
        ]
    )
    for record in interactions.values():
        record(None)  # type: ignore[arg-type]
    states = {state for _, _, state in wire.calls}
    assert states == {
        "tv: nothing",
        *(TV_EXAMPLES.exist_state(t) for t in TV),
        *(TV_EXAMPLES.change_state(t) for t in TV),
    }


def test_matching_query_sets_every_filter_the_example_passes() -> None:
    episode = TV_EXAMPLES[EPISODES].first
    query = matching_query(EPISODES, episode)
    assert query == EpisodeQuery(show_id=episode.show_id, numbers=frozenset({episode.number}))
    assert query.matches(episode)
    assert not query.matches(TV_EXAMPLES[EPISODES].second)
    scope = scope_filter(EPISODES)
    assert scope is not None
    assert scope.name == "show_id"
    assert scope_filter(SHOWS) is None


def test_lineage_puts_parents_first_and_refuses_a_cycle() -> None:
    assert lineage(STUDIO, EMPLOYEES) == (MOVIES, PRODUCTIONS, EMPLOYEES)

    class Node(Entity):
        """A test entity referring to its own type."""

        parent_id: Annotated[UUID, References("nodes")]

    class NodeQuery(Query[Node]):
        parent_id: UUID | None = None

    nodes = EntityType(Node, NodeQuery, example=lambda s: Node(parent_id=s.ref("parent_id")))
    with pytest.raises(ValueError, match="cycle: nodes -> nodes"):
        lineage(Catalog("tree", [nodes]), nodes)


def test_a_type_without_an_example_factory_has_no_contract_examples() -> None:
    class Tag(Entity):
        """A test entity without an example factory."""

        label: str

    class TagQuery(Query[Tag]):
        label: str | None = None

    shows = EntityType(Show, ShowQuery, example=SHOWS.example)
    examples = ContractExamples("tags", Catalog("tags", [EntityType(Tag, TagQuery), shows]))
    assert examples.types == (shows,)
    # Nor does a type whose parent has none: its examples would refer to nothing stored.
    episodes = EntityType(Episode, EpisodeQuery, example=EPISODES.example)
    orphans = Catalog("orphans", [EntityType(Show, ShowQuery), episodes])
    assert ContractExamples("orphans", orphans).types == ()


async def test_the_exist_state_stores_first_and_second_and_can_run_again() -> None:
    states, source = load_all(), MemoryDataSource()
    app = Interactors(source.unit_of_work)
    employees = EXAMPLES[EMPLOYEES]
    for _ in range(2):  # every interaction asking for the state runs it again
        await states[EXAMPLES.exist_state(EMPLOYEES)](app, {})
    production = EXAMPLES.stored(employees.first.production_id)
    async with source.unit_of_work() as uow:
        page = await uow.repository(EMPLOYEES).list(
            EMPLOYEES.query(production_id=production.id), PageRequest()
        )
        assert await uow.repository(PRODUCTIONS).get(production.id) == production
    assert page.items == employees.pages


async def test_the_change_state_undoes_what_a_commit_did() -> None:
    states, source = load_all(), MemoryDataSource()
    app = Interactors(source.unit_of_work)
    employees = EXAMPLES[EMPLOYEES]
    ids = [employees.edited.id, employees.removed.id, employees.new.id]
    setup = states[EXAMPLES.change_state(EMPLOYEES)]
    await setup(app, {})
    async with source.unit_of_work() as uow:
        repository = uow.repository(EMPLOYEES)
        assert dict(await repository.get_many(ids)) == {
            employees.edited.id: employees.edited,
            employees.removed.id: employees.removed,
        }
        await repository.add(employees.new)
        await repository.update(employees.edit)
        await repository.remove(employees.removed.id, 1)
        await uow.commit()
    await setup(app, {})
    async with source.unit_of_work() as uow:
        found = await uow.repository(EMPLOYEES).get_many(ids)
    assert dict(found) == {
        employees.edited.id: employees.edited,
        employees.removed.id: employees.removed,
    }
