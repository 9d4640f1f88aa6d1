"""GraphQL reads in process: by id, batches, connections with filters and cursors, relationships."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest

from domain import STUDIO, Genre, Movie, ShootingLocation
from tests.support.graphql_service import GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")

MOVIE_FIELDS = "id version title logline genres releaseYear"


@dataclass
class Slate:
    movie: Movie
    places: list[ShootingLocation]
    production_id: str
    day_ids: list[str]


@pytest.fixture
async def slate(graphql_service: GraphQLService) -> Slate:
    """A movie with an onboarded production of three shoot days at two fresh locations."""
    studio = graphql_service.studio
    tag = uuid.uuid4().hex[:8]
    movie = await studio.register_movie(
        title=f"Slate {tag}", genres=[Genre.THRILLER], release_year=2031
    )
    places = [
        await studio.register_location(
            name=f"{name} {tag}", city=f"City {tag}", country="IS", latitude=64.1, longitude=-21.9
        )
        for name in ("Glacier", "Harbour")
    ]
    start = dt.date(2031, 5, 1)
    overview = await studio.onboard_production(
        movie_id=movie.id,
        budget={"amount": "1000000", "currency": "ISK"},
        starts_on=start,
        wraps_on=dt.date(2031, 5, 31),
        shoot_plan=[
            (places[0].id, start),
            (places[1].id, start),
            (places[0].id, start + dt.timedelta(days=1)),
        ],
    )
    return Slate(
        movie, places, str(overview.production.id), [str(d.id) for d in overview.shoot_days]
    )


async def test_happy_path_movie_by_id_returns_every_field(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    data = await graphql_service.data(
        f"query($id: ID!) {{ movie(id: $id) {{ {MOVIE_FIELDS} }} }}", {"id": str(slate.movie.id)}
    )
    assert data["movie"] == {
        "id": str(slate.movie.id),
        "version": 2,  # onboarding its production bumped it (ADR 0009)
        "title": slate.movie.title,
        "logline": "",
        "genres": ["THRILLER"],
        "releaseYear": 2031,
    }


@pytest.mark.parametrize("field", [entity.names.graphql_one for entity in STUDIO])
async def test_unhappy_path_an_unknown_id_is_null_without_errors(
    graphql_service: GraphQLService, field: str
) -> None:
    # Every single-entity field, as GraphQL clients expect: Apollo throws on an errors entry.
    response = await graphql_service.post(
        f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}", {"id": str(uuid.uuid4())}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {field: None}}


async def test_unhappy_path_an_id_that_is_not_a_uuid_is_invalid_input(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors('{ production(id: "nope") { id } }')
    assert error["extensions"] == {"code": "invalid_input", "field": "id"}


async def test_happy_path_batches_by_ids_leave_missing_ids_out(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    ids = [str(p.id) for p in slate.places] + [str(uuid.uuid4())]
    data = await graphql_service.data(
        """query($ids: [ID!]!, $days: [ID!]!, $p: [ID!]!, $m: [ID!]!) {
             locationsByIds(ids: $ids) { id name }
             shootDaysByIds(ids: $days) { id }
             productionsByIds(ids: $p) { id phase }
             moviesByIds(ids: $m) { id }
           }""",
        {"ids": ids, "days": slate.day_ids, "p": [slate.production_id], "m": [str(slate.movie.id)]},
    )
    assert sorted(loc["id"] for loc in data["locationsByIds"]) == sorted(ids[:2])
    assert sorted(d["id"] for d in data["shootDaysByIds"]) == sorted(slate.day_ids)
    assert data["productionsByIds"] == [{"id": slate.production_id, "phase": "PRE_PRODUCTION"}]
    assert data["moviesByIds"] == [{"id": str(slate.movie.id)}]


async def test_happy_path_following_end_cursors_visits_every_node_once(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    query = """query($after: String, $city: String) {
      locations(first: 1, after: $after, filter: {city: $city}) {
        edges { node { id } cursor } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = (await graphql_service.data(query, {"after": after, "city": slate.places[0].city}))[
            "locations"
        ]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(str(p.id) for p in slate.places)


async def test_happy_path_every_connection_filters(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    data = await graphql_service.data(
        """query($movie: ID!, $production: ID!, $location: ID!, $city: String!) {
          movies(first: 500, filter: {genre: THRILLER, releaseYear: 2031}) { edges { node { id } } }
          productions(filter: {movieId: $movie, phases: [PRE_PRODUCTION]}) { edges { node { id } } }
          wrapped: productions(filter: {movieId: $movie, phases: [WRAPPED]}) {
            edges { node { id } } }
          locations(filter: {country: "is", city: $city}) { edges { node { id } } }
          shootDays(filter: {productionId: $production, locationId: $location,
                              dateFrom: "2031-05-02", dateTo: "2031-05-31"}) {
            edges { node { id date } } }
        }""",
        {
            "movie": str(slate.movie.id),
            "production": slate.production_id,
            "location": str(slate.places[0].id),
            "city": slate.places[0].city,
        },
    )
    assert str(slate.movie.id) in [e["node"]["id"] for e in data["movies"]["edges"]]
    assert [e["node"]["id"] for e in data["productions"]["edges"]] == [slate.production_id]
    assert data["wrapped"]["edges"] == []
    assert len(data["locations"]["edges"]) == 2
    assert [e["node"]["date"] for e in data["shootDays"]["edges"]] == ["2031-05-02"]


async def test_happy_path_relationships_are_navigable_both_ways(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    data = await graphql_service.data(
        """query($id: ID!, $movie: ID!, $place: ID!) {
          production(id: $id) {
            movie { id }
            shootDays { edges { node { date location { id } production { id } } } }
          }
          movie(id: $movie) { productions { edges { node { id } } } }
          location(id: $place) { shootDays { edges { node { production { movie { title } } } } } }
        }""",
        {"id": slate.production_id, "movie": str(slate.movie.id), "place": str(slate.places[1].id)},
    )
    production = data["production"]
    assert production["movie"] == {"id": str(slate.movie.id)}
    days = [edge["node"] for edge in production["shootDays"]["edges"]]
    assert [d["date"] for d in days] == ["2031-05-01", "2031-05-01", "2031-05-02"]
    assert {d["production"]["id"] for d in days} == {slate.production_id}
    assert {d["location"]["id"] for d in days} == {str(p.id) for p in slate.places}
    assert data["movie"]["productions"]["edges"] == [{"node": {"id": slate.production_id}}]
    [edge] = data["location"]["shootDays"]["edges"]
    assert edge["node"]["production"]["movie"]["title"] == slate.movie.title


async def test_happy_path_bookings_name_the_shoot_days_holding_the_slots(
    graphql_service: GraphQLService,
    slate: Slate,
) -> None:
    data = await graphql_service.data(
        """query($slots: [SlotInput!]!) { shootDayBookings(slots: $slots) { id date } }""",
        {
            "slots": [
                {"locationId": str(slate.places[0].id), "date": "2031-05-02"},
                {"locationId": str(slate.places[1].id), "date": "2031-05-09"},
            ]
        },
    )
    assert [d["date"] for d in data["shootDayBookings"]] == ["2031-05-02"]


@pytest.mark.parametrize("first", [0, 501, -3])
async def test_unhappy_path_first_outside_1_to_500_is_invalid_input(
    graphql_service: GraphQLService,
    first: int,
) -> None:
    [error] = await graphql_service.errors(
        "query($n: Int!) { movies(first: $n) { edges { cursor } } }", {"n": first}
    )
    assert error["extensions"]["code"] == "invalid_input"
    assert error["extensions"]["field"] == "first"


async def test_unhappy_path_a_tampered_cursor_is_invalid_input(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors('{ shootDays(after: "abc.def") { edges { cursor } } }')
    assert error["extensions"]["code"] == "invalid_input"
    assert error["extensions"]["field"] == "page.cursor"


async def test_unhappy_path_a_bad_filter_value_names_the_filter(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors(
        "{ movies(filter: {releaseYear: 1200}) { edges { cursor } } }"
    )
    assert error["extensions"]["code"] == "invalid_input"
    assert error["extensions"]["field"] == "filter.release_year"
