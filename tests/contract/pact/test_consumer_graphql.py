"""Consumer contract of the graphql adapter: the adapter itself against the Pact mock server.

Pact has no GraphQL interaction type in Python, so each request body's ``query`` carries a
regex matcher that accepts the document modulo whitespace and commas; its example is the
compact document the adapter sends, which the provider verifier replays. The interactions of
each entity type are derived from the catalog (``tests.contract.pact.derived``, over the wire
format below), plus the error answers the adapter maps and its check. The committed pact must
equal what these tests generate: set HEXSTUDIO_UPDATE_PACTS=1 to rewrite it after an intended
change.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pact import Pact, match

from adapters.graphql import GraphQLDataSource, create_data_source
from adapters.graphql import plans as planned
from adapters.graphql.documents import document, source
from adapters.graphql.kinds import kind_of, wire_value
from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.contracts import states_graphql as s
from app.contracts.examples import TypeExamples
from app.contracts.verify import PROVIDER
from domain import (
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    STUDIO,
    Conflict,
    DataSourceUnavailable,
    Entity,
    InvalidInput,
    MovieQuery,
    PageRequest,
    Production,
    Query,
    UniqueKey,
)
from domain.catalog import AnyEntityType, FieldKind
from domain.catalog.names import camel, plural
from domain.interactors import OVERVIEW, SLATE
from tests.contract.pact.derived import (
    FILTERED_PAGE_SIZE,
    Drive,
    Interactions,
    commit_drive,
    derive,
    key_values,
)
from tests.contract.pact.drift import assert_committed_pact_matches

pytestmark = pytest.mark.xdist_group("pact-graphql")

CONSUMER = "hexstudio-graphql-adapter"
PACTS = Path(__file__).parents[1] / "pacts"
PACT_FILE = PACTS / f"{CONSUMER}-{PROVIDER}.json"
EXAMPLES = s.EXAMPLES

_META = set("\\.+*?()|[]{}^$")
_WORD = re.compile(r"[_A-Za-z0-9]+|\S")


def _escape(token: str) -> str:
    return "".join("\\" + c if c in _META else c for c in token)


def query_pattern(text: str) -> str:
    """A full-match regex accepting ``text`` with any whitespace and commas between tokens."""
    tokens = _WORD.findall(text)
    parts = [r"[\s,]*", _escape(tokens[0])]
    for before, token in itertools.pairwise(tokens):
        words = (before[-1].isalnum() or before[-1] == "_") and (
            token[0].isalnum() or token[0] == "_"
        )
        parts += [r"[\s,]+" if words else r"[\s,]*", _escape(token)]
    parts.append(r"[\s,]*")
    return "".join(parts)


def _post(pact: Pact, description: str, state: str, name: str, variables: Any = None) -> Any:
    text = document(name)
    body: dict[str, Any] = {"query": match.regex(text, regex=query_pattern(text))}
    if variables is not None:
        body["variables"] = variables
    request = pact.upon_receiving(description).given(state)
    return request.with_request("POST", "/graphql").with_body(body, content_type="application/json")


def _data(response: Any, data: dict[str, Any]) -> None:
    response.will_respond_with(200).with_body({"data": data}, content_type="application/json")


def _errors(response: Any, code: str, regex: str, **extensions: Any) -> None:
    pinned = {"code": match.regex(code, regex=regex), **extensions}
    error = {"message": "refused", "extensions": pinned}
    body = {"data": None, "errors": match.each_like(error, min=1)}
    response.will_respond_with(200).with_body(body, content_type="application/json")


def _value(kind: FieldKind, value: Any) -> Any:
    """A field's value as the service answers it (value objects' parts camelCase)."""
    if kind is FieldKind.VALUE and value is not None:
        return {camel(name): wire_value(part) for name, part in value}
    return wire_value(value)


def _node(entity: Entity) -> dict[str, Any]:
    """The node the documents select for ``entity``, aliased to its field names.

    The id and references are exact (they say which entity a page holds); the other fields
    are matched by type.
    """
    node: dict[str, Any] = {}
    for spec in STUDIO.of(type(entity)).fields:
        value = _value(spec.kind, getattr(entity, spec.name))
        exact = spec.name == "id" or spec.kind is FieldKind.REFERENCE
        node[spec.name] = value if exact else match.like(value)
    return node


def _connection(items: list[Entity], *, more: Any, end: str) -> dict[str, Any]:
    """A Relay connection of exactly ``items``: endCursor is the last node's, next page or not."""
    return {
        "edges": [{"node": _node(item)} for item in items],
        "pageInfo": {"hasNextPage": more, "endCursor": match.like(end)},
    }


class GraphQLWire:
    """The GraphQL requests and answers of any entity type (``derived.Wire``)."""

    verb = "a query"
    caches_included = False

    def get(self, pact: Pact, description: str, state: str, found: Entity) -> None:
        """``<type>(id:)``."""
        entity = STUDIO.of(type(found))
        get = kind_of(entity).documents[0]
        response = _post(pact, description, state, get, {"id": str(found.id)})
        _data(response, {entity.names.graphql_one: _node(found)})

    def get_missing(
        self, pact: Pact, description: str, state: str, entity: AnyEntityType, id: UUID
    ) -> None:
        """``<type>(id:)`` of a missing id: null, and no errors."""
        get = kind_of(entity).documents[0]
        response = _post(pact, description, state, get, {"id": str(id)})
        _data(response, {entity.names.graphql_one: None})

    def get_many(
        self, pact: Pact, description: str, state: str, ids: list[UUID], found: Entity
    ) -> None:
        """``<types>ByIds(ids:)``."""
        entity = STUDIO.of(type(found))
        get_many = kind_of(entity).documents[1]
        response = _post(pact, description, state, get_many, {"ids": [str(id) for id in ids]})
        _data(response, {entity.names.graphql_by_ids: [_node(found)]})

    def list_matching(
        self, pact: Pact, description: str, state: str, query: Query[Any], found: Entity
    ) -> None:
        """Every filter set: at least ``found``.

        Another provider's data may match too, so nodes are matched by type and whether a
        next page exists is left open (the paging interactions pin it).
        """
        entity = STUDIO.of(type(found))
        kind = kind_of(entity)
        variables = {"first": FILTERED_PAGE_SIZE, "filter": kind.filters(query)}
        response = _post(pact, description, state, kind.documents[2], variables)
        connection = {
            "edges": match.each_like({"node": match.like(_node(found))}, min=1),
            "pageInfo": {"hasNextPage": match.like(False), "endCursor": match.like(found.cursor)},
        }
        _data(response, {entity.names.graphql_many: connection})

    def list_page(
        self,
        pact: Pact,
        description: str,
        state: str,
        query: Query[Any],
        page: PageRequest,
        items: list[Entity],
        next_cursor: str | None,
    ) -> None:
        """Exactly ``items``; ``hasNextPage`` says whether ``next_cursor`` follows."""
        entity = STUDIO.of(type(items[0]))
        kind = kind_of(entity)
        variables: dict[str, Any] = {"first": page.size}
        if page.cursor is not None:
            variables["after"] = page.cursor
        variables["filter"] = kind.filters(query)
        response = _post(pact, description, state, kind.documents[2], variables)
        connection = _connection(items, more=next_cursor is not None, end=items[-1].cursor)
        _data(response, {entity.names.graphql_many: connection})

    def find_by(
        self, pact: Pact, description: str, state: str, key: UniqueKey, found: Entity
    ) -> None:
        """``<type><Lookup>(<keys>:)``: each value an input of the key's fields, camelCase."""
        kind = kind_of(STUDIO.of(type(found)))
        value = {
            camel(name): wire_value(part)
            for name, part in zip(key.fields, key_values(key, found), strict=True)
        }
        variables = {plural(key.name): [value]}
        response = _post(pact, description, state, kind.lookup_document(key), variables)
        _data(response, {kind.lookup_field(key): [_node(found)]})

    def commit(self, pact: Pact, description: str, state: str, own: TypeExamples) -> None:
        """``applyChanges`` with an add, an update and a remove: all three applied."""
        _data(_apply_changes(pact, description, state, own, 1), {"applyChanges": {"applied": 3}})


def _apply_changes(
    pact: Pact, description: str, state: str, own: TypeExamples, edited_version: int
) -> Any:
    kind = kind_of(own.entity)
    stem = own.entity.names.pascal
    changes = [
        {f"add{stem}": kind.to_input(own.new)},
        {f"update{stem}": kind.to_input(own.edit.evolve(version=edited_version))},
        {f"remove{stem}": {"id": str(own.removed.id), "version": 1}},
    ]
    return _post(pact, description, state, "apply_changes", {"changes": changes})


INTERACTIONS = Interactions()
for _name, _record in derive(EXAMPLES, GraphQLWire(), s.UP):
    INTERACTIONS.add(_name, _record)

interaction = INTERACTIONS
"""Registers a hand-written interaction under its function name."""


@interaction
def production_overview(pact: Pact) -> Drive:
    production = s.EXAMPLES[PRODUCTIONS].first
    assert isinstance(production, Production)
    # The state stores two shoot days of the first production, both at the first location.
    days = sorted(
        (s.EXAMPLES[SHOOT_DAYS].first, s.EXAMPLES[SHOOT_DAYS].second), key=lambda d: d.sort_key
    )
    movie = s.EXAMPLES.stored(production.movie_id)
    location = s.EXAMPLES.stored(days[0].location_id)  # type: ignore[attr-defined]
    name = planned.name(OVERVIEW, "get")
    response = _post(
        pact,
        "a nested query for a production with its movie, shoot days and their locations",
        s.EXAMPLES.exist_state(SHOOT_DAYS),
        name,
        {"id": str(production.id)},
    )
    edges = [{"node": {**_node(d), "location": _node(location)}} for d in days]
    node = {
        **_node(production),
        "movie": _node(movie),
        # hasNextPage false: the list is complete, so the adapter answers it from here.
        "shoot_days": {"edges": edges, "pageInfo": {"hasNextPage": False}},
    }
    _data(response, {"production": node})

    async def drive(source: DataSource) -> None:
        app = Interactors(source.unit_of_work)
        overview = await app.get_production_overview(production_id=production.id)
        assert (overview.production, overview.movie) == (production, movie)
        assert overview.shoot_days == tuple(days)
        assert overview.locations == {location.id: location}

    return drive


@interaction
def list_slate(pact: Pact) -> Drive:
    production = s.EXAMPLES[PRODUCTIONS].first
    assert isinstance(production, Production)
    movie = s.EXAMPLES.stored(production.movie_id)
    name = planned.name(SLATE, "list")
    filters = {"movieId": str(movie.id), "phases": [wire_value(production.phase)]}
    response = _post(
        pact,
        "a nested query for a slate page with movies",
        s.EXAMPLES.exist_state(PRODUCTIONS),
        name,
        {"first": 50, "filter": filters},
    )
    # The second production of the movie is in another phase: the slate holds the first only.
    node = {**_node(production), "movie": _node(movie)}
    connection = {
        "edges": [{"node": node}],
        "pageInfo": {"hasNextPage": False, "endCursor": match.like(production.cursor)},
    }
    _data(response, {"productions": connection})

    async def drive(source: DataSource) -> None:
        slate = await Interactors(source.unit_of_work).list_slate(
            phases=[production.phase], movie_id=movie.id
        )
        assert [(e.production, e.movie) for e in slate.items] == [(production, movie)]

    return drive


@interaction
def bad_cursor(pact: Pact) -> Drive:
    response = _post(
        pact,
        "a query with a malformed cursor",
        s.UP,
        "list_movies",
        {"first": 50, "after": "not-a-cursor"},
    )
    _errors(response, "invalid_input", "invalid_input", field="page.cursor")

    async def drive(source: DataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as caught:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest(cursor="not-a-cursor"))
        assert caught.value.field == "page.cursor"

    return drive


@interaction
def commit_stale(pact: Pact) -> Drive:
    own = EXAMPLES[MOVIES]
    state = EXAMPLES.change_state(MOVIES)
    response = _apply_changes(pact, "a commit with a stale version", state, own, 5)
    _errors(response, "conflict.stale_version", r"conflict(\..+)?")

    async def drive(source: DataSource) -> None:
        with pytest.raises(Conflict):
            await commit_drive(source, own, 5)

    return drive


@interaction
def service_unavailable(pact: Pact) -> Drive:
    movie = EXAMPLES[MOVIES].first
    response = _post(
        pact,
        "a query while the service is overloaded",
        s.OVERLOADED,
        "get_movie",
        {"id": str(movie.id)},
    )
    # The state overloads the service (app.contracts.states.overload_state): it really answers
    # 503 while the state holds, so the interaction is verified like any other.
    error = {"message": "overloaded", "extensions": {"code": "overloaded"}}
    response.will_respond_with(503).with_body(
        {"errors": match.each_like(error, min=1)}, content_type="application/json"
    )

    async def drive(source: DataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceUnavailable):
                await uow.repository(MOVIES).get(movie.id)

    return drive


@interaction
def check(pact: Pact) -> Drive:
    _data(
        _post(pact, "a check that the service answers GraphQL", s.UP, "check"),
        {"__typename": "Query"},
    )

    async def drive(source: DataSource) -> None:
        assert isinstance(source, GraphQLDataSource)
        assert "graphql service" in await source.check()

    return drive


async def run(name: str, directory: Path) -> None:
    """Record the interaction ``name`` against a fresh mock server and write it to ``directory``."""
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    drive = INTERACTIONS[name](pact)
    with pact.serve() as server:
        source = create_data_source({"url": f"{server.url}/graphql", "retries": 0})
        try:
            await drive(source)
        finally:
            await source.aclose()
    pact.write_file(directory)


def test_every_entity_type_has_its_derived_interactions() -> None:
    # A type missing here would leave the adapter's requests for it out of the contract.
    for entity in STUDIO:
        assert f"get_{entity.names.singular}" in INTERACTIONS, entity.plural
        assert f"commit_{entity.plural}" in INTERACTIONS, entity.plural


@pytest.mark.parametrize("name", sorted(INTERACTIONS))
async def test_consumer_interaction(name: str, tmp_path: Path) -> None:
    await run(name, tmp_path)


@pytest.mark.parametrize("name", ["get_movie", "list_productions", "apply_changes"])
def test_query_pattern_accepts_the_document_modulo_whitespace_and_commas(name: str) -> None:
    pattern = re.compile(query_pattern(document(name)))
    assert pattern.fullmatch(document(name))
    assert pattern.fullmatch(re.sub(r"#[^\n]*", "", source(name)))
    assert pattern.fullmatch(document(name).replace("$", ", $"))
    tampered = re.sub(r"([A-Za-z]+)\}", r"\1x}", document(name), count=1)
    assert tampered != document(name)
    assert not pattern.fullmatch(tampered)
    assert not pattern.fullmatch(document("check"))


async def test_committed_pact_matches_what_the_consumer_generates(tmp_path: Path) -> None:
    for name in sorted(INTERACTIONS):
        await run(name, tmp_path)
    assert_committed_pact_matches(tmp_path / PACT_FILE.name, PACT_FILE)
