"""Versions the HTTP way and the JSON:API way, and writes from clients that send none.

ETag on every single-resource response; If-Match (412) or ``meta.version`` (409) make a write
conditional; a PATCH or DELETE with neither applies to the stored version, unless
``service.require_versions`` asks for one (428).
"""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.scenario import run_scenario, scenario_id
from app.service.jsonapi.preconditions import ATTEMPTS, Condition, applying
from domain import Conflict
from tests.support.jsonapi import ATOMIC_WRITE, MEDIA, WRITE, assert_jsonapi, error_of, in_process
from tests.support.live_service import LiveService

MOVIE = scenario_id("movie")
PRODUCTION = scenario_id("production")
HARBOUR = scenario_id("harbour")


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process() as (client, container):
        await run_scenario(container.interactors)
        yield client


def patch(id: object, attributes: dict[str, Any], version: int | None = None) -> str:
    data: dict[str, Any] = {"type": "movies", "id": str(id), "attributes": attributes}
    if version is not None:
        data["meta"] = {"version": version}
    return json.dumps({"data": data})


async def created_movie(api: httpx.AsyncClient) -> dict[str, Any]:
    body = {"data": {"type": "movies", "attributes": {"title": "Versions", "logline": "Kept."}}}
    response = await api.post("/api/movies", content=json.dumps(body), headers=WRITE)
    assert response.status_code == 201
    assert response.headers["etag"] == '"1"'
    data: dict[str, Any] = response.json()["data"]
    return data


async def test_happy_path_every_single_resource_response_has_its_version_as_etag(
    api: httpx.AsyncClient,
) -> None:
    one = await api.get(f"/api/productions/{PRODUCTION}", params={"include": "movie"})
    assert one.headers["etag"] == f'"{one.json()["data"]["meta"]["version"]}"'
    updated = await api.patch(f"/api/movies/{MOVIE}", content=patch(MOVIE, {}), headers=WRITE)
    assert updated.headers["etag"] == f'"{updated.json()["data"]["meta"]["version"]}"'
    advance = {
        "data": {
            "type": "phase-changes",
            "attributes": {"to_phase": "post_production"},
            "meta": {"version": 2},
        }
    }
    advanced = await api.post(
        f"/api/productions/{PRODUCTION}/advance", content=json.dumps(advance), headers=WRITE
    )
    assert advanced.status_code == 200, advanced.text
    assert advanced.headers["etag"] == '"3"'
    listing = await api.get("/api/movies")
    assert "etag" not in listing.headers  # a collection has no one version


async def test_happy_path_patch_without_a_version_changes_only_what_it_sends(
    api: httpx.AsyncClient,
) -> None:
    movie = await created_movie(api)
    response = await api.patch(
        f"/api/movies/{movie['id']}",
        content=patch(movie["id"], {"title": "Renamed"}),
        headers=WRITE,
    )
    data = assert_jsonapi(response)["data"]
    assert data["attributes"]["title"] == "Renamed"
    assert data["attributes"]["logline"] == "Kept."
    assert data["meta"] == {"version": 2}
    assert response.headers["etag"] == '"2"'


async def test_happy_path_if_match_with_the_etag_makes_a_write_conditional(
    api: httpx.AsyncClient,
) -> None:
    movie = await created_movie(api)
    url = f"/api/movies/{movie['id']}"
    etag = (await api.get(url)).headers["etag"]
    body = patch(movie["id"], {"logline": "Once."})
    first = await api.patch(url, content=body, headers={**WRITE, "If-Match": etag})
    assert first.status_code == 200
    again = await api.patch(url, content=body, headers={**WRITE, "If-Match": etag})
    error = error_of(again, 412)
    assert error["code"] == "conflict.stale_version"
    assert error["source"] == {"header": "If-Match"}
    weak = await api.patch(url, content=body, headers={**WRITE, "If-Match": 'W/"2"'})
    assert weak.status_code == 200


@pytest.mark.parametrize(
    ("if_match", "meta_version", "status", "source"),
    [
        ('"9"', None, 412, {"header": "If-Match"}),
        (None, 9, 409, {"pointer": "/data/meta/version"}),
        ('"9"', 9, 412, {"header": "If-Match"}),  # If-Match is checked first
        ('"1"', 9, 409, {"pointer": "/data/meta/version"}),
    ],
)
async def test_unhappy_path_a_stale_version_is_412_by_if_match_and_409_by_meta_version(
    api: httpx.AsyncClient,
    if_match: str | None,
    meta_version: int | None,
    status: int,
    source: dict[str, str],
) -> None:
    movie = await created_movie(api)
    headers = WRITE if if_match is None else {**WRITE, "If-Match": if_match}
    body = patch(movie["id"], {"title": "Never"}, meta_version)
    response = await api.patch(f"/api/movies/{movie['id']}", content=body, headers=headers)
    error = error_of(response, status)
    assert error["code"] == "conflict.stale_version"
    assert error["source"] == source
    assert (await api.get(f"/api/movies/{movie['id']}")).json()["data"]["attributes"][
        "title"
    ] == "Versions"


@pytest.mark.parametrize("if_match", ["soon", '"1", "2"', '"-1"', ""])
async def test_unhappy_path_an_if_match_that_is_no_version_is_400(
    api: httpx.AsyncClient, if_match: str
) -> None:
    movie = await created_movie(api)
    response = await api.patch(
        f"/api/movies/{movie['id']}",
        content=patch(movie["id"], {}),
        headers={**WRITE, "If-Match": if_match},
    )
    assert error_of(response, 400)["source"] == {"header": "If-Match"}


async def test_happy_path_delete_without_if_match_and_with_it(api: httpx.AsyncClient) -> None:
    first, second = await created_movie(api), await created_movie(api)
    plain = await api.delete(f"/api/movies/{first['id']}", headers=WRITE)
    assert plain.status_code == 204
    stale = await api.delete(f"/api/movies/{second['id']}", headers={**WRITE, "If-Match": '"7"'})
    assert error_of(stale, 412)["source"] == {"header": "If-Match"}
    star = await api.delete(f"/api/movies/{second['id']}", headers={**WRITE, "If-Match": "*"})
    assert star.status_code == 204


async def test_happy_path_an_atomic_update_without_a_version_applies_to_the_stored_one(
    api: httpx.AsyncClient,
) -> None:
    movie = await created_movie(api)
    update = {
        "op": "update",
        "data": {"type": "movies", "id": movie["id"], "attributes": {"title": "Atomic"}},
    }
    response = await api.post(
        "/api/operations", content=json.dumps({"atomic:operations": [update]}), headers=ATOMIC_WRITE
    )
    result = assert_jsonapi(response)["atomic:results"][0]["data"]
    assert result["attributes"] == {**movie["attributes"], "title": "Atomic"}
    assert result["meta"] == {"version": 2}


async def test_unhappy_path_require_versions_answers_428_naming_both_ways() -> None:
    async with in_process(require_versions=True) as (api, container):
        await run_scenario(container.interactors)
        movie = await created_movie(api)
        url = f"/api/movies/{movie['id']}"
        patched = await api.patch(url, content=patch(movie["id"], {"title": "No"}), headers=WRITE)
        deleted = await api.delete(url, headers=WRITE)
        starred = await api.delete(url, headers={**WRITE, "If-Match": "*"})
        remove = {"op": "remove", "ref": {"type": "movies", "id": movie["id"]}}
        atomic = await api.post(
            "/api/operations",
            content=json.dumps({"atomic:operations": [remove]}),
            headers=ATOMIC_WRITE,
        )
        # Either way of naming the version is enough.
        by_meta = await api.patch(url, content=patch(movie["id"], {}, 1), headers=WRITE)
        by_etag = await api.delete(url, headers={**WRITE, "If-Match": by_meta.headers["etag"]})
    error = error_of(patched, 428)
    assert error["code"] == "precondition_required"
    assert "If-Match" in error["detail"]
    assert "meta.version" in error["detail"]
    assert error_of(deleted, 428)["source"] == {"header": "If-Match"}
    error_of(starred, 428)
    assert error_of(atomic, 428)["source"] == {"pointer": "/atomic:operations/0/meta/version"}
    assert by_meta.status_code == 200
    assert by_etag.status_code == 204


async def test_happy_path_a_write_without_a_version_is_tried_again_when_overtaken() -> None:
    calls = 0

    async def overtaken_twice() -> str:
        nonlocal calls
        calls += 1
        if calls < ATTEMPTS:
            raise Conflict("moved on", field="version", reason="stale_version")
        return "written"

    assert await applying(Condition(), overtaken_twice) == "written"
    assert calls == ATTEMPTS


async def test_unhappy_path_a_write_naming_its_version_is_never_tried_again() -> None:
    calls = 0

    async def overtaken() -> None:
        nonlocal calls
        calls += 1
        raise Conflict("moved on", field="version", reason="stale_version")

    with pytest.raises(Conflict):
        await applying(Condition(if_match=1), overtaken)
    assert calls == 1


@pytest.mark.server
async def test_happy_path_concurrent_patches_without_versions_lose_no_field_on_sql(
    live: LiveService,
) -> None:
    headers = {"Authorization": f"Bearer {live.token}", "Content-Type": MEDIA}
    async with httpx.AsyncClient(base_url=live.base_url, headers=headers) as client:
        body = {"data": {"type": "movies", "attributes": {"title": "Race"}}}
        created = await client.post("/api/movies", content=json.dumps(body))
        id = created.json()["data"]["id"]
        # As many writers as tries: each can be overtaken by every other one at most once.
        changes = [{"title": "Raced"}, {"logline": "Three at once."}, {"release_year": 2031}]
        assert len(changes) == ATTEMPTS
        answers = await asyncio.gather(
            *(client.patch(f"/api/movies/{id}", content=patch(id, c)) for c in changes)
        )
        assert [a.status_code for a in answers] == [200] * len(changes), [a.text for a in answers]
        final = (await client.get(f"/api/movies/{id}")).json()["data"]
    assert final["attributes"]["title"] == "Raced"
    assert final["attributes"]["logline"] == "Three at once."
    assert final["attributes"]["release_year"] == 2031
    assert final["meta"] == {"version": 1 + len(changes)}
