"""GraphQL writes in process: every use case, applyChanges all or nothing, error codes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.graphql_service import GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _movie(gql: GraphQLService, **extra: Any) -> dict[str, Any]:
    data = await gql.data(
        """mutation($input: RegisterMovieInput!) {
             registerMovie(input: $input) { id version title genres releaseYear } }""",
        {"input": {"title": f"Mutant {uuid.uuid4().hex[:6]}", "genres": ["DRAMA"], **extra}},
    )
    return data["registerMovie"]  # type: ignore[no-any-return]


async def _location(gql: GraphQLService) -> dict[str, Any]:
    data = await gql.data(
        """mutation($input: RegisterLocationInput!) {
             registerLocation(input: $input) { id name country } }""",
        {
            "input": {
                "name": "Quay",
                "city": "Cork",
                "country": "ie",
                "latitude": 51.9,
                "longitude": -8.5,
            }
        },
    )
    return data["registerLocation"]  # type: ignore[no-any-return]


async def _onboard(gql: GraphQLService) -> dict[str, Any]:
    movie, place = await _movie(gql), await _location(gql)
    data = await gql.data(
        """mutation($input: OnboardProductionInput!) {
             onboardProduction(input: $input) {
               id version phase budget { amount currency } movie { id }
               shootDays { edges { node { id version date location { id } } } } } }""",
        {
            "input": {
                "movieId": movie["id"],
                "budget": {"amount": "2500.5", "currency": "eur"},
                "startsOn": "2032-01-10",
                "wrapsOn": "2032-02-10",
                "shootPlan": [{"locationId": place["id"], "date": "2032-01-12"}],
            }
        },
    )
    return data["onboardProduction"]  # type: ignore[no-any-return]


async def test_happy_path_register_movie_and_location(
    graphql_service: GraphQLService,
) -> None:
    chosen = str(uuid.uuid4())
    movie = await _movie(graphql_service, id=chosen, releaseYear=2030)
    assert movie["id"] == chosen
    assert (movie["version"], movie["genres"], movie["releaseYear"]) == (1, ["DRAMA"], 2030)
    assert (await _location(graphql_service))["country"] == "IE"


async def test_unhappy_path_register_with_a_taken_id_conflicts(
    graphql_service: GraphQLService,
) -> None:
    movie = await _movie(graphql_service)
    [error] = await graphql_service.errors(
        """mutation($input: RegisterMovieInput!) { registerMovie(input: $input) { id } }""",
        {"input": {"title": "Again", "id": movie["id"]}},
    )
    assert error["extensions"]["code"].startswith("conflict")


async def test_unhappy_path_invalid_registration_names_the_field(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors(
        """mutation { registerLocation(input: {name: "X", city: "Y", country: "ZZ",
             latitude: 0, longitude: 0}) { id } }"""
    )
    assert error["extensions"]["code"] == "invalid_input"
    assert error["extensions"]["field"] == "country"


async def test_happy_path_onboard_returns_the_production_with_its_shoot_days(
    graphql_service: GraphQLService,
) -> None:
    production = await _onboard(graphql_service)
    assert production["phase"] == "PRE_PRODUCTION"
    assert production["budget"] == {"amount": "2500.50", "currency": "EUR"}
    [edge] = production["shootDays"]["edges"]
    assert edge["node"]["date"] == "2032-01-12"


async def test_happy_path_advance_then_stale_and_illegal_transitions_are_refused(
    graphql_service: GraphQLService,
) -> None:
    production = await _onboard(graphql_service)
    advance = """mutation($id: ID!, $to: Phase!, $v: Int!) {
      advanceProduction(id: $id, toPhase: $to, expectedVersion: $v) { phase version } }"""
    data = await graphql_service.data(
        advance, {"id": production["id"], "to": "PRINCIPAL_PHOTOGRAPHY", "v": 1}
    )
    assert data["advanceProduction"] == {"phase": "PRINCIPAL_PHOTOGRAPHY", "version": 2}
    [stale] = await graphql_service.errors(
        advance, {"id": production["id"], "to": "POST_PRODUCTION", "v": 1}
    )
    assert stale["extensions"]["code"] == "conflict.stale_version"
    [illegal] = await graphql_service.errors(
        advance, {"id": production["id"], "to": "WRAPPED", "v": 2}
    )
    assert illegal["extensions"] == {
        "code": "rule_violation.illegal_phase_transition",
        "entity": "Production",
        "field": "phase",
        "reason": "illegal_phase_transition",
    }


async def test_happy_path_reschedule_then_cancel_a_shoot_day(
    graphql_service: GraphQLService,
) -> None:
    day = (await _onboard(graphql_service))["shootDays"]["edges"][0]["node"]
    data = await graphql_service.data(
        """mutation($id: ID!) { rescheduleShootDay(id: $id, newDate: "2032-01-20",
             expectedVersion: 1) { date version } }""",
        {"id": day["id"]},
    )
    assert data["rescheduleShootDay"] == {"date": "2032-01-20", "version": 2}
    [outside] = await graphql_service.errors(
        """mutation($id: ID!) { rescheduleShootDay(id: $id, newDate: "2033-01-01",
             expectedVersion: 2) { id } }""",
        {"id": day["id"]},
    )
    assert outside["extensions"]["code"] == "rule_violation.shoot_day_outside_window"
    cancelled = await graphql_service.data(
        "mutation($id: ID!) { cancelShootDay(id: $id, expectedVersion: 2) }", {"id": day["id"]}
    )
    assert cancelled == {"cancelShootDay": day["id"]}
    gone = await graphql_service.data(
        "query($id: ID!) { shootDay(id: $id) { id } }", {"id": day["id"]}
    )
    assert gone == {"shootDay": None}


def _movie_input(id: str, version: int = 1, title: str = "Batch") -> dict[str, Any]:
    return {
        "id": id,
        "version": version,
        "title": title,
        "logline": "",
        "genres": [],
        "releaseYear": None,
    }


APPLY = "mutation($changes: [ChangeInput!]!) { applyChanges(changes: $changes) { applied } }"


async def test_happy_path_apply_changes_adds_updates_and_removes_in_one_batch(
    graphql_service: GraphQLService,
) -> None:
    kept, dropped, new = (str(uuid.uuid4()) for _ in range(3))
    await graphql_service.data(
        APPLY, {"changes": [{"addMovie": _movie_input(kept)}, {"addMovie": _movie_input(dropped)}]}
    )
    data = await graphql_service.data(
        APPLY,
        {
            "changes": [
                {"updateMovie": _movie_input(kept, 1, "Renamed")},
                {"removeMovie": {"id": dropped, "version": 1}},
                {"addMovie": _movie_input(new)},
            ]
        },
    )
    assert data == {"applyChanges": {"applied": 3}}
    found = await graphql_service.data(
        "query($ids: [ID!]!) { moviesByIds(ids: $ids) { id version title } }",
        {"ids": [kept, dropped, new]},
    )
    assert sorted(found["moviesByIds"], key=lambda m: m["id"] != kept)[0] == {
        "id": kept,
        "version": 2,
        "title": "Renamed",
    }
    assert {m["id"] for m in found["moviesByIds"]} == {kept, new}


async def test_unhappy_path_a_failing_change_undoes_the_whole_batch(
    graphql_service: GraphQLService,
) -> None:
    existing, fresh = str(uuid.uuid4()), str(uuid.uuid4())
    await graphql_service.data(APPLY, {"changes": [{"addMovie": _movie_input(existing)}]})
    [error] = await graphql_service.errors(
        APPLY,
        {"changes": [{"addMovie": _movie_input(fresh)}, {"addMovie": _movie_input(existing)}]},
    )
    assert error["extensions"]["code"].startswith("conflict")
    missing = await graphql_service.data("query($id: ID!) { movie(id: $id) { id } }", {"id": fresh})
    assert missing == {"movie": None}


async def test_unhappy_path_an_invalid_change_names_its_index_and_field(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors(
        APPLY, {"changes": [{"addMovie": _movie_input(str(uuid.uuid4()), title="  ")}]}
    )
    assert error["extensions"]["code"] == "invalid_input"
    assert error["extensions"]["field"] == "changes[0].addMovie.title"


async def test_unhappy_path_a_change_with_two_operations_is_refused(
    graphql_service: GraphQLService,
) -> None:
    id = str(uuid.uuid4())
    [error] = await graphql_service.errors(
        APPLY,
        {"changes": [{"addMovie": _movie_input(id), "removeMovie": {"id": id, "version": 1}}]},
    )
    assert error["extensions"]["code"] == "invalid_query"


async def test_unhappy_path_updates_of_missing_entities_are_not_found(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors(
        APPLY, {"changes": [{"updateMovie": _movie_input(str(uuid.uuid4()))}]}
    )
    assert error["extensions"]["code"] == "not_found"
