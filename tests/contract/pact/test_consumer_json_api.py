"""Consumer contract of the json_api adapter: the adapter itself against the Pact mock server.

Every request the adapter can make is one interaction: those of each entity type are derived
from the catalog (``tests.contract.pact.derived``, over the wire format below), plus a use
case reading through an include and the error answers the adapter maps. The committed pact
must equal what these tests generate: set HEXSTUDIO_UPDATE_PACTS=1 to rewrite it after an
intended change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import pytest
from pact import Pact, match

from adapters.json_api import create_data_source
from adapters.json_api.wire import ATOMIC_MEDIA_TYPE, MEDIA_TYPE, to_resource, wire_type
from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.contracts import states_json_api as s
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
    PageRequest,
    Production,
    Query,
    ShootDay,
    UniqueKey,
)
from domain.catalog import AnyEntityType
from domain.queries import MovieQuery
from tests.contract.pact.derived import (
    FILTERED_PAGE_SIZE,
    Drive,
    Interactions,
    commit_drive,
    derive,
    key_values,
)
from tests.contract.pact.drift import assert_committed_pact_matches

pytestmark = pytest.mark.xdist_group("pact-json-api")

CONSUMER = "hexstudio-json-api-adapter"
PACTS = Path(__file__).parents[1] / "pacts"
PACT_FILE = PACTS / f"{CONSUMER}-{PROVIDER}.json"
EXAMPLES = s.EXAMPLES
_NEXT_LINK = r"^\S*[?&]page%5Bafter%5D=[A-Za-z0-9_.-]+(&\S*)?$"
_ATOMIC_REGEX = r'^application/vnd\.api\+json; ?ext="https://jsonapi\.org/ext/atomic"$'


def _filter_value(value: Any) -> str:
    """A filter value as the adapter writes it in ``filter[...]``: sets comma-separated."""
    if isinstance(value, frozenset | set | list | tuple):
        return ",".join(sorted(str(v) for v in value))
    return str(value)  # ISO dates, lowercase UUIDs, enum values


def _resource(entity: Entity) -> dict[str, Any]:
    """The resource object of ``entity``: identity and relationships exact, the rest by type."""
    exact = to_resource(wire_type(STUDIO.of(type(entity))), entity)
    resource = {
        "type": exact["type"],
        "id": exact["id"],
        "attributes": match.like(exact["attributes"]),
        "meta": {"version": match.int(entity.version)},
    }
    if "relationships" in exact:
        resource["relationships"] = exact["relationships"]
    return resource


def _included(entities: list[Entity]) -> list[Entity]:
    """What the service includes with ``entities``: the leaf parents the adapter asks for."""
    found: dict[UUID, Entity] = {}
    for entity in entities:
        kind = STUDIO.of(type(entity))
        for ref in kind.references:
            if not STUDIO.target(ref).references:
                parent = EXAMPLES.stored(getattr(entity, ref.name))
                found.setdefault(parent.id, parent)
    return list(found.values())


def _document(data: Any, entities: list[Entity], *, each: bool = False) -> dict[str, Any]:
    """A data document; ``each``: ``data`` and ``included`` hold at least these, by type."""
    document: dict[str, Any] = {"data": data}
    included = [_resource(parent) for parent in _included(entities)]
    if included:
        document["included"] = match.each_like(included[0], min=1) if each else included
    return document


def _get(
    pact: Pact, description: str, state: str, path: str, query: dict[str, str] | None = None
) -> Any:
    request = (
        pact.upon_receiving(description)
        .given(state)
        .with_request("GET", path)
        .with_header("Accept", MEDIA_TYPE)
    )
    if query:
        request = request.with_query_parameters(query)
    return request


def _read(
    pact: Pact, description: str, state: str, entity: AnyEntityType, path: str = "", **query: str
) -> Any:
    """A GET of ``entity``'s collection (or of ``path`` in it), with the include it asks for."""
    kind = wire_type(entity)
    include = {"include": kind.include} if kind.include else {}
    return _get(pact, description, state, f"/api/{kind.name}{path}", {**include, **query})


def _filters(query: Query[Any]) -> dict[str, str]:
    return {f"filter[{spec.name}]": _filter_value(value) for spec, value in query.active()}


def _ok(response: Any, body: dict[str, Any]) -> None:
    response.will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)


def _operations(own: TypeExamples, edited_version: int) -> list[dict[str, Any]]:
    kind = wire_type(own.entity)
    return [
        {"op": "add", "data": to_resource(kind, own.new)},
        {"op": "update", "data": to_resource(kind, own.edit.evolve(version=edited_version))},
        {
            "op": "remove",
            "ref": {"type": kind.name, "id": str(own.removed.id)},
            "meta": {"version": 1},
        },
    ]


def _post_operations(
    pact: Pact, description: str, state: str, operations: list[dict[str, Any]]
) -> Any:
    return (
        pact.upon_receiving(description)
        .given(state)
        .with_request("POST", "/api/operations")
        .with_header("Accept", ATOMIC_MEDIA_TYPE)
        .with_body({"atomic:operations": operations}, content_type=MEDIA_TYPE)
        # The Pact core cannot parse a quoted ext parameter in a content type: declare the body
        # as plain JSON:API, then match the real header by regex.
        .with_header("Content-Type", match.regex(ATOMIC_MEDIA_TYPE, regex=_ATOMIC_REGEX))
    )


class JsonApiWire:
    """The JSON:API requests and answers of any entity type (``derived.Wire``)."""

    verb = "a request"
    caches_included = True

    def get(self, pact: Pact, description: str, state: str, found: Entity) -> None:
        """GET /api/<type>/<id>."""
        entity = STUDIO.of(type(found))
        response = _read(pact, description, state, entity, f"/{found.id}")
        _ok(response, _document(_resource(found), [found]))

    def get_missing(
        self, pact: Pact, description: str, state: str, entity: AnyEntityType, id: UUID
    ) -> None:
        """GET /api/<type>/<missing id>: 404."""
        _read(pact, description, state, entity, f"/{id}").will_respond_with(404).with_body(
            {"errors": match.each_like({"status": "404", "code": "not_found"}, min=1)},
            content_type=MEDIA_TYPE,
        )

    def get_many(
        self, pact: Pact, description: str, state: str, ids: list[UUID], found: Entity
    ) -> None:
        """GET /api/<type>?filter[id]=a,b."""
        entity = STUDIO.of(type(found))
        batch = {"filter[id]": ",".join(map(str, ids))}
        response = _read(pact, description, state, entity, **batch)
        _ok(response, _document([_resource(found)], [found]))

    def list_matching(
        self, pact: Pact, description: str, state: str, query: Query[Any], found: Entity
    ) -> None:
        """Every filter set: at least ``found``.

        Another provider's data may match too, so items are matched by type and ``links`` is
        left out (the paging interactions pin it).
        """
        entity = STUDIO.of(type(found))
        params = {**_filters(query), "page[size]": str(FILTERED_PAGE_SIZE)}
        response = _read(pact, description, state, entity, **params)
        _ok(response, _document(match.each_like(_resource(found), min=1), [found], each=True))

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
        """Exactly ``items``, with a ``links.next`` carrying ``next_cursor`` (or null)."""
        entity = STUDIO.of(type(items[0]))
        params = {**_filters(query), "page[size]": str(page.size)}
        if page.cursor is not None:
            params["page[after]"] = page.cursor
        response = _read(pact, description, state, entity, **params)
        body = _document([_resource(item) for item in items], items)
        link = None
        if next_cursor is not None:
            kind = wire_type(entity)
            example = f"/api/{kind.name}?{urlencode({**params, 'page[after]': next_cursor})}"
            link = match.regex(example, regex=_NEXT_LINK)
        _ok(response, {**body, "links": {"next": link}})

    def find_by(
        self, pact: Pact, description: str, state: str, key: UniqueKey, found: Entity
    ) -> None:
        """GET /api/<type>?filter[<key>]=a@b: each value's parts joined by ``@``."""
        entity = STUDIO.of(type(found))
        value = "@".join(_filter_value(part) for part in key_values(key, found))
        response = _read(pact, description, state, entity, **{f"filter[{key.name}]": value})
        _ok(response, _document([_resource(found)], [found]))

    def commit(self, pact: Pact, description: str, state: str, own: TypeExamples) -> None:
        """POST /api/operations: an add, an update and a remove; 200 with their results."""
        results = [
            {"data": _resource(own.new)},
            {"data": _resource(own.edit.evolve(version=2))},
            {},
        ]
        response = _post_operations(pact, description, state, _operations(own, 1))
        _ok(response.will_respond_with(200), {"atomic:results": results})


INTERACTIONS = Interactions()
for _name, _record in derive(EXAMPLES, JsonApiWire(), s.NOTHING):
    INTERACTIONS.add(_name, _record)

interaction = INTERACTIONS
"""Registers a hand-written interaction under its function name."""


@interaction
def list_slate(pact: Pact) -> Drive:
    production = EXAMPLES[PRODUCTIONS].first
    assert isinstance(production, Production)
    movie = EXAMPLES.stored(production.movie_id)
    response = _read(
        pact,
        "a request for a slate page with movies",
        EXAMPLES.exist_state(PRODUCTIONS),
        PRODUCTIONS,
        **{
            "filter[movie_id]": str(movie.id),
            "filter[phases]": str(production.phase),
            "page[size]": "50",
        },
    )
    # The second production of the movie is in another phase: the slate holds the first only.
    _ok(response, {**_document([_resource(production)], [production]), "links": {"next": None}})

    async def drive(source: DataSource) -> None:
        slate = await Interactors(source.unit_of_work).list_slate(
            phases=[production.phase], movie_id=movie.id
        )
        assert [(e.production, e.movie) for e in slate.items] == [(production, movie)]

    return drive


@interaction
def production_overview(pact: Pact) -> Drive:
    production = EXAMPLES[PRODUCTIONS].first
    assert isinstance(production, Production)
    # The state stores two shoot days of the first production, both at the first location.
    days = sorted(
        (EXAMPLES[SHOOT_DAYS].first, EXAMPLES[SHOOT_DAYS].second), key=lambda d: d.sort_key
    )
    assert all(isinstance(d, ShootDay) and d.production_id == production.id for d in days)
    movie = EXAMPLES.stored(production.movie_id)
    location = EXAMPLES.stored(days[0].location_id)  # type: ignore[attr-defined]
    data = _resource(production)
    data["relationships"] = {
        **data["relationships"],
        # The linkage lists every child: what lets the adapter answer the list of shoot days.
        "shoot_days": {"data": [{"type": "shoot-days", "id": str(d.id)} for d in days]},
    }
    included = [_resource(movie), *(_resource(d) for d in days), _resource(location)]
    response = _get(
        pact,
        "a request for a production with its movie, shoot days and their locations",
        EXAMPLES.exist_state(SHOOT_DAYS),
        f"/api/productions/{production.id}",
        {"include": "movie,shoot_days.location"},
    )
    _ok(response, {"data": data, "included": included})

    async def drive(source: DataSource) -> None:
        app = Interactors(source.unit_of_work)
        overview = await app.get_production_overview(production_id=production.id)
        assert (overview.production, overview.movie) == (production, movie)
        assert overview.shoot_days == tuple(days)
        assert overview.locations == {location.id: location}

    return drive


@interaction
def bad_cursor(pact: Pact) -> Drive:
    _get(
        pact,
        "a request with a cursor the service did not make",
        s.NOTHING,
        "/api/movies",
        {"page[size]": "50", "page[after]": "garbage"},
    ).will_respond_with(400).with_body(
        {
            "errors": match.each_like(
                {"status": "400", "source": {"parameter": "page[after]"}}, min=1
            )
        },
        content_type=MEDIA_TYPE,
    )

    async def drive(source: DataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as caught:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest(cursor="garbage"))
        assert caught.value.field == "page.cursor"

    return drive


@interaction
def commit_stale(pact: Pact) -> Drive:
    own = EXAMPLES[MOVIES]
    state = EXAMPLES.change_state(MOVIES)
    stale = _operations(own, 7)
    _post_operations(pact, "a commit with a stale update", state, stale).will_respond_with(
        409
    ).with_body(
        {"errors": match.each_like({"status": "409", "code": "conflict.stale_version"}, min=1)},
        content_type=MEDIA_TYPE,
    )

    async def drive(source: DataSource) -> None:
        with pytest.raises(Conflict) as caught:
            await commit_drive(source, own, 7)
        assert caught.value.reason == "stale_version"

    return drive


@interaction
def commit_invalid(pact: Pact) -> Drive:
    own = EXAMPLES[MOVIES]
    state = EXAMPLES.change_state(MOVIES)
    # The service is the authority on what is valid: a blank title (which the domain refuses,
    # and a client built without that rule sends) gets 422 from the real service too, so the
    # interaction is verified. model_copy skips validation as such a client would.
    blank = own.new.model_copy(update={"title": "   "})
    operations = [{"op": "add", "data": to_resource(wire_type(MOVIES), blank)}]
    response = _post_operations(pact, "a commit the service finds invalid", state, operations)
    response.will_respond_with(422).with_body(
        {
            "errors": match.each_like(
                {
                    "status": "422",
                    "code": "invalid_input",
                    "source": {"pointer": "/atomic:operations/0/data/attributes/title"},
                },
                min=1,
            )
        },
        content_type=MEDIA_TYPE,
    )

    async def drive(source: DataSource) -> None:
        with pytest.raises(InvalidInput):
            async with source.unit_of_work() as uow:
                await uow.repository(MOVIES).add(blank)
                await uow.commit()

    return drive


@interaction
def service_unavailable(pact: Pact) -> Drive:
    movie = EXAMPLES[MOVIES].first
    response = _get(
        pact, "a request while the service is overloaded", s.OVERLOADED, f"/api/movies/{movie.id}"
    )
    # The state overloads the service (app.contracts.states.overload_state): it really answers
    # 503 while the state holds, so the interaction is verified like any other.
    response.will_respond_with(503).with_body(
        {"errors": match.each_like({"status": "503", "code": "overloaded"}, min=1)},
        content_type=MEDIA_TYPE,
    )

    async def drive(source: DataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceUnavailable):
                await uow.repository(MOVIES).get(movie.id)

    return drive


async def run(name: str, directory: Path) -> None:
    """Record the interaction ``name`` against a fresh mock server and write it to ``directory``."""
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    drive = INTERACTIONS[name](pact)
    with pact.serve() as server:
        source = create_data_source({"url": f"{server.url}/api", "retries": 0})
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


async def test_committed_pact_matches_what_the_consumer_generates(tmp_path: Path) -> None:
    for name in sorted(INTERACTIONS):
        await run(name, tmp_path)
    assert_committed_pact_matches(tmp_path / PACT_FILE.name, PACT_FILE)
