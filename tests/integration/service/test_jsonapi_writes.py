"""JSON:API writes in process: POST, PATCH, DELETE, atomic operations and use cases."""

import json
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.scenario import run_scenario, scenario_id
from tests.support.jsonapi import ATOMIC_WRITE, WRITE, assert_jsonapi, error_of, in_process

PRODUCTION = scenario_id("production")
MOVIE = scenario_id("movie")
HARBOUR = scenario_id("harbour")


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process() as (client, container):
        await run_scenario(container.interactors)
        yield client


def movie(**attributes: Any) -> dict[str, Any]:
    return {"data": {"type": "movies", "attributes": {"title": "Tidal", **attributes}}}


async def post(
    api: httpx.AsyncClient, url: str, body: Any, headers: dict[str, str] = WRITE
) -> httpx.Response:
    return await api.post(url, content=json.dumps(body), headers=headers)


async def test_happy_path_post_with_a_client_id_is_201_with_location(
    api: httpx.AsyncClient,
) -> None:
    id = str(uuid4())
    body = movie(genres=["comedy", "drama"])
    body["data"]["id"] = id
    response = await post(api, "/api/movies", body)
    assert response.status_code == 201
    data = assert_jsonapi(response)["data"]
    assert data["id"] == id
    assert response.headers["location"] == f"http://studio/api/movies/{id}"
    assert (await api.get(f"/api/movies/{id}")).json()["data"] == data


async def test_happy_path_post_without_id_gets_one_from_the_server(api: httpx.AsyncClient) -> None:
    response = await post(api, "/api/movies", movie())
    assert response.status_code == 201
    assert assert_jsonapi(response)["data"]["meta"] == {"version": 1}


async def test_happy_path_post_a_production_with_its_movie_relationship(
    api: httpx.AsyncClient,
) -> None:
    other = assert_jsonapi(await post(api, "/api/movies", movie()))["data"]["id"]
    body = {
        "data": {
            "type": "productions",
            "attributes": {
                "phase": "development",
                "budget": {"amount": "10.5", "currency": "usd"},
                "starts_on": "2030-01-01",
                "wraps_on": "2030-02-01",
            },
            "relationships": {"movie": {"data": {"type": "movies", "id": other}}},
        }
    }
    data = assert_jsonapi(await post(api, "/api/productions", body))["data"]
    assert data["attributes"]["budget"] == {"amount": "10.50", "currency": "USD"}


@pytest.mark.parametrize(
    ("body", "status", "pointer"),
    [
        (movie(title=5), 400, "/data/attributes/title"),
        (movie(release_year="2028"), 400, "/data/attributes/release_year"),
        (movie(budget=1), 400, "/data/attributes/budget"),
        (movie(title="x" * 201), 422, "/data/attributes/title"),
        (movie(genres=["opera"]), 422, "/data/attributes/genres/0"),
        (movie(release_year=1700), 422, "/data/attributes/release_year"),
        ({"data": {"type": "movies", "id": "nope", "attributes": {"title": "a"}}}, 400, "/data/id"),
        ({"data": {"type": "movies", "attributes": {}}}, 400, "/data/attributes/title"),
        ({"data": {"type": "movies", "attributes": []}}, 400, "/data/attributes"),
        ({"data": {"type": "movies", "wings": 2}}, 400, "/data/wings"),
        ({"data": []}, 400, "/data"),
        ({"dada": {}}, 400, "/data"),
        (
            {"data": {"type": "movies", "attributes": {"title": "a"}, "meta": {"version": "1"}}},
            400,
            "/data/meta/version",
        ),
    ],
)
async def test_unhappy_path_bad_bodies_point_at_the_member(
    api: httpx.AsyncClient, body: Any, status: int, pointer: str
) -> None:
    error = error_of(await post(api, "/api/movies", body), status)
    assert error["source"]["pointer"] == pointer


async def test_unhappy_path_malformed_json_is_400(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/movies", content=b"{not json", headers=WRITE)
    assert error_of(response, 400)["code"] == "bad_request"


async def test_unhappy_path_wrong_type_is_409_and_duplicate_id_is_409(
    api: httpx.AsyncClient,
) -> None:
    error = error_of(await post(api, "/api/locations", movie()), 409)
    assert error["source"]["pointer"] == "/data/type"
    duplicate = movie()
    duplicate["data"]["id"] = str(MOVIE)
    assert (
        error_of(await post(api, "/api/movies", duplicate), 409)["code"] == "conflict.duplicate_id"
    )


async def test_happy_path_patch_changes_some_attributes_at_the_version(
    api: httpx.AsyncClient,
) -> None:
    body = {
        "data": {
            "type": "movies",
            "id": str(MOVIE),
            "attributes": {"logline": "New."},
            "meta": {"version": 2},  # onboarding bumped it (ADR 0009)
        }
    }
    response = await api.patch(f"/api/movies/{MOVIE}", content=json.dumps(body), headers=WRITE)
    data = assert_jsonapi(response)["data"]
    assert data["meta"] == {"version": 3}
    assert data["attributes"]["logline"] == "New."
    assert data["attributes"]["title"] == "The Lighthouse Keeper's Atlas"


async def test_unhappy_path_patch_stale_version_is_409_pointing_at_meta_version(
    api: httpx.AsyncClient,
) -> None:
    body = {"data": {"type": "movies", "id": str(MOVIE), "attributes": {}, "meta": {"version": 9}}}
    error = error_of(
        await api.patch(f"/api/movies/{MOVIE}", content=json.dumps(body), headers=WRITE), 409
    )
    assert error["code"] == "conflict.stale_version"
    assert error["source"]["pointer"] == "/data/meta/version"


async def test_unhappy_path_patch_errors(api: httpx.AsyncClient) -> None:
    other = {"data": {"type": "movies", "id": str(uuid4()), "meta": {"version": 1}}}
    response = await api.patch(f"/api/movies/{MOVIE}", content=json.dumps(other), headers=WRITE)
    assert error_of(response, 409)["code"] == "conflict.id_mismatch"
    ghost = uuid4()
    missing = {"data": {"type": "movies", "id": str(ghost), "meta": {"version": 1}}}
    response = await api.patch(f"/api/movies/{ghost}", content=json.dumps(missing), headers=WRITE)
    assert error_of(response, 404)["code"] == "not_found"


async def test_happy_path_delete_is_204_and_honours_if_match(api: httpx.AsyncClient) -> None:
    id = assert_jsonapi(await post(api, "/api/movies", movie()))["data"]["id"]
    stale = await api.delete(f"/api/movies/{id}", headers={**WRITE, "If-Match": '"2"'})
    assert error_of(stale, 412)["code"] == "conflict.stale_version"
    bad = await api.delete(f"/api/movies/{id}", headers={**WRITE, "If-Match": "soon"})
    assert error_of(bad, 400)["source"] == {"header": "If-Match"}
    response = await api.delete(f"/api/movies/{id}", headers={**WRITE, "If-Match": '"1"'})
    assert response.status_code == 204
    assert response.content == b""
    error_of(await api.get(f"/api/movies/{id}"), 404)
    error_of(await api.delete(f"/api/movies/{id}", headers=WRITE), 404)


def op_add(id: str, title: str) -> dict[str, Any]:
    return {"op": "add", "data": {"type": "movies", "id": id, "attributes": {"title": title}}}


async def test_happy_path_atomic_operations_apply_in_order(api: httpx.AsyncClient) -> None:
    # Reads inside a unit of work see committed data only (the port's rule), so the
    # operations touch entities that existed before the request.
    doomed = assert_jsonapi(await post(api, "/api/movies", movie()))["data"]["id"]
    fresh = str(uuid4())
    update = {
        "type": "movies",
        "id": str(MOVIE),
        "attributes": {"title": "Uno"},
        "meta": {"version": 2},  # onboarding bumped it (ADR 0009)
    }
    operations = [
        op_add(fresh, "One"),
        {"op": "update", "ref": {"type": "movies", "id": str(MOVIE)}, "data": update},
        {"op": "remove", "ref": {"type": "movies", "id": doomed}, "meta": {"version": 1}},
    ]
    response = await post(api, "/api/operations", {"atomic:operations": operations}, ATOMIC_WRITE)
    assert response.status_code == 200, response.text
    body = assert_jsonapi(response)
    assert response.headers["content-type"].endswith('ext="https://jsonapi.org/ext/atomic"')
    results = body["atomic:results"]
    assert results[0]["data"]["id"] == fresh
    assert results[1]["data"]["attributes"]["title"] == "Uno"
    assert results[2] == {}
    assert (await api.get(f"/api/movies/{MOVIE}")).json()["data"]["meta"]["version"] == 3
    assert (await api.get(f"/api/movies/{fresh}")).status_code == 200
    error_of(await api.get(f"/api/movies/{doomed}"), 404)


async def test_unhappy_path_a_failing_operation_rolls_back_the_others(
    api: httpx.AsyncClient,
) -> None:
    fresh = str(uuid4())
    operations = [op_add(fresh, "Kept?"), op_add(str(MOVIE), "Duplicate")]
    response = await post(api, "/api/operations", {"atomic:operations": operations}, ATOMIC_WRITE)
    error = error_of(response, 409)
    assert error["source"]["pointer"].startswith("/atomic:operations")
    error_of(await api.get(f"/api/movies/{fresh}"), 404)


@pytest.mark.parametrize(
    ("operations", "status", "pointer"),
    [
        ([{"op": "upsert"}], 400, "/atomic:operations/0/op"),
        (
            [{"op": "add", "data": {"type": "films", "attributes": {}}}],
            400,
            "/atomic:operations/0/data/type",
        ),
        ([op_add(str(uuid4()), "x" * 300)], 422, "/atomic:operations/0/data/attributes/title"),
        (
            [{"op": "remove", "ref": {"type": "movies", "id": str(uuid4())}}],
            404,
            "/atomic:operations/0",
        ),
        (
            [{"op": "remove", "ref": {"type": "movies", "id": str(MOVIE)}, "meta": {"version": 5}}],
            409,
            "/atomic:operations/0",
        ),
        (["nope"], 400, "/atomic:operations/0"),
    ],
)
async def test_unhappy_path_bad_operations_point_at_the_operation(
    api: httpx.AsyncClient, operations: list[Any], status: int, pointer: str
) -> None:
    response = await post(api, "/api/operations", {"atomic:operations": operations}, ATOMIC_WRITE)
    # A source that checks versions at commit (memory) can only point at the whole list.
    assert pointer.startswith(error_of(response, status)["source"]["pointer"])


async def test_unhappy_path_operations_need_the_atomic_extension(api: httpx.AsyncClient) -> None:
    response = await post(api, "/api/operations", {"atomic:operations": []}, WRITE)
    assert error_of(response, 415)["source"] == {"header": "Content-Type"}
    response = await post(api, "/api/operations", {"operations": []}, ATOMIC_WRITE)
    assert error_of(response, 400)["source"]["pointer"] == "/atomic:operations"


def onboarding(movie_id: str, **attributes: Any) -> dict[str, Any]:
    return {
        "data": {
            "type": "onboardings",
            "attributes": {
                "budget": {"amount": "1000000", "currency": "EUR"},
                "starts_on": "2031-01-01",
                "wraps_on": "2031-01-31",
                "shoot_plan": [{"location_id": str(HARBOUR), "date": "2031-01-05"}],
                **attributes,
            },
            "relationships": {"movie": {"data": {"type": "movies", "id": movie_id}}},
        }
    }


async def test_happy_path_onboarding_returns_the_overview(api: httpx.AsyncClient) -> None:
    new_movie = assert_jsonapi(await post(api, "/api/movies", movie()))["data"]["id"]
    response = await post(api, "/api/onboardings", onboarding(new_movie))
    assert response.status_code == 201, response.text
    body = assert_jsonapi(response)
    assert body["data"]["attributes"]["phase"] == "pre_production"
    assert response.headers["location"] == f"http://studio/api/productions/{body['data']['id']}"
    assert sorted(r["type"] for r in body["included"]) == ["locations", "movies", "shoot-days"]


@pytest.mark.parametrize(
    ("attributes", "status", "code", "pointer"),
    [
        (
            {"shoot_plan": [{"location_id": str(HARBOUR), "date": "2032-01-05"}]},
            409,
            "rule_violation.shoot_day_outside_window",
            "/data/attributes/shoot_plan/0/date",
        ),
        (
            {"shoot_plan": [{"location_id": str(uuid4()), "date": "2031-01-05"}]},
            404,
            "not_found",
            "/data/attributes/shoot_plan",
        ),
        ({"wraps_on": "2030-01-01"}, 422, "invalid_input", "/data/attributes/wraps_on"),
        ({"starts_on": 20310101}, 400, "bad_request", "/data/attributes/starts_on"),
    ],
)
async def test_unhappy_path_onboarding_rules(
    api: httpx.AsyncClient, attributes: dict[str, Any], status: int, code: str, pointer: str
) -> None:
    new_movie = assert_jsonapi(await post(api, "/api/movies", movie()))["data"]["id"]
    error = error_of(
        await post(api, "/api/onboardings", onboarding(new_movie, **attributes)), status
    )
    assert error["code"] == code
    assert error["source"]["pointer"] == pointer


async def test_unhappy_path_onboarding_a_movie_twice_or_a_missing_movie(
    api: httpx.AsyncClient,
) -> None:
    error = error_of(await post(api, "/api/onboardings", onboarding(str(MOVIE))), 409)
    assert error["code"] == "rule_violation.movie_has_active_production"
    error = error_of(await post(api, "/api/onboardings", onboarding(str(uuid4()))), 404)
    assert error["source"]["pointer"] == "/data/relationships/movie"


def advance(to_phase: str, version: int) -> dict[str, Any]:
    return {
        "data": {
            "type": "phase-changes",
            "attributes": {"to_phase": to_phase},
            "meta": {"version": version},
        }
    }


async def test_happy_path_advancing_a_phase(api: httpx.AsyncClient) -> None:
    response = await post(
        api, f"/api/productions/{PRODUCTION}/advance", advance("post_production", 2)
    )
    data = assert_jsonapi(response)["data"]
    assert data["attributes"]["phase"] == "post_production"
    assert data["meta"] == {"version": 3}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (advance("wrapped", 2), 409, "rule_violation.illegal_phase_transition"),
        (advance("post_production", 1), 409, "conflict.stale_version"),
        (advance("retired", 2), 422, "invalid_input"),
        (
            {"data": {"type": "phase-changes", "attributes": {"to_phase": "wrapped"}}},
            400,
            "bad_request",
        ),
        ({"data": {"type": "productions", "attributes": {}}}, 409, "conflict.type_mismatch"),
    ],
)
async def test_unhappy_path_advancing(
    api: httpx.AsyncClient, body: Any, status: int, code: str
) -> None:
    response = await post(api, f"/api/productions/{PRODUCTION}/advance", body)
    assert error_of(response, status)["code"] == code
    missing = await post(api, f"/api/productions/{uuid4()}/advance", advance("wrapped", 1))
    assert error_of(missing, 404)["code"] == "not_found"


async def test_happy_path_a_resource_read_back_and_patched_whole_keeps_its_to_many_links(
    api: httpx.AsyncClient,
) -> None:
    read = assert_jsonapi(await api.get(f"/api/movies/{MOVIE}"))["data"]
    assert "productions" in read["relationships"], "the reverse of Production.movie_id"
    patch = {"data": {**read, "attributes": {"title": "Read Back"}}}
    response = await api.patch(f"/api/movies/{MOVIE}", content=json.dumps(patch), headers=WRITE)
    assert assert_jsonapi(response)["data"]["attributes"]["title"] == "Read Back"


async def test_unhappy_path_a_to_many_relationship_cannot_be_replaced_by_a_write(
    api: httpx.AsyncClient,
) -> None:
    read = assert_jsonapi(await api.get(f"/api/movies/{MOVIE}"))["data"]
    read["relationships"]["productions"] = {"data": []}
    response = await api.patch(
        f"/api/movies/{MOVIE}", content=json.dumps({"data": read}), headers=WRITE
    )
    assert error_of(response, 400)["source"] == {"pointer": "/data/relationships/productions"}
