"""JSON:API reads in process: collections, single resources, include, fields, filters, pages."""

from collections.abc import AsyncIterator

import httpx
import pytest

from app.scenario import run_scenario, scenario_id
from tests.support.jsonapi import assert_jsonapi, error_of, in_process

PRODUCTION = scenario_id("production")
MOVIE = scenario_id("movie")


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process() as (client, container):
        await run_scenario(container.interactors)
        yield client


async def test_happy_path_collection_of_every_type(api: httpx.AsyncClient) -> None:
    for kind, count in (("movies", 1), ("locations", 2), ("productions", 1), ("shoot-days", 4)):
        response = await api.get(f"/api/{kind}")
        assert response.status_code == 200
        body = assert_jsonapi(response)
        assert len(body["data"]) == count
        assert {r["type"] for r in body["data"]} == {kind}
        assert body["links"]["next"] is None
        assert response.headers["vary"] == "Accept"


async def test_happy_path_single_resource_with_version_and_relationships(
    api: httpx.AsyncClient,
) -> None:
    body = assert_jsonapi(await api.get(f"/api/productions/{PRODUCTION}"))
    data = body["data"]
    assert data["id"] == str(PRODUCTION)
    assert data["meta"] == {"version": 2}
    assert data["attributes"]["phase"] == "principal_photography"
    assert data["attributes"]["budget"] == {"amount": "4200000.00", "currency": "EUR"}
    assert "movie_id" not in data["attributes"]
    assert data["relationships"]["movie"]["data"] == {"type": "movies", "id": str(MOVIE)}


async def test_happy_path_include_builds_a_compound_document_without_duplicates(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/api/productions", params={"include": "movie,shoot_days.location"})
    body = assert_jsonapi(response)
    included = [(r["type"], r["id"]) for r in body["included"]]
    assert len(included) == len(set(included))
    kinds = sorted(t for t, _ in included)
    assert kinds.count("movies") == 1
    assert kinds.count("shoot-days") == 4
    assert kinds.count("locations") == 2
    linkage = body["data"][0]["relationships"]["shoot_days"]["data"]
    assert len(linkage) == 4


async def test_happy_path_include_does_not_repeat_primary_data(api: httpx.AsyncClient) -> None:
    body = assert_jsonapi(
        await api.get("/api/shoot-days", params={"include": "production.shoot_days"})
    )
    primary = {(r["type"], r["id"]) for r in body["data"]}
    assert not primary & {(r["type"], r["id"]) for r in body["included"]}


async def test_happy_path_sparse_fieldsets_limit_attributes_and_relationships(
    api: httpx.AsyncClient,
) -> None:
    body = assert_jsonapi(
        await api.get(
            "/api/productions",
            params={"include": "movie", "fields[productions]": "phase", "fields[movies]": "title"},
        )
    )
    assert body["data"][0]["attributes"] == {"phase": "principal_photography"}
    assert "relationships" not in body["data"][0]
    assert body["included"][0]["attributes"] == {"title": "The Lighthouse Keeper's Atlas"}


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        ("movies", {"filter[genre]": "scifi"}, 1),
        ("movies", {"filter[genre]": "horror"}, 0),
        ("movies", {"filter[release_year]": "2028"}, 1),
        ("locations", {"filter[country]": "pt"}, 1),
        ("locations", {"filter[city]": "Swakopmund"}, 1),
        ("productions", {"filter[movie_id]": str(MOVIE)}, 1),
        ("productions", {"filter[phases]": "wrapped,cancelled"}, 0),
        ("productions", {"filter[phases]": "principal_photography"}, 1),
        ("shoot-days", {"filter[production_id]": str(PRODUCTION)}, 4),
        ("shoot-days", {"filter[location_id]": str(scenario_id("dunes"))}, 1),
        ("shoot-days", {"filter[date_from]": "2027-09-03", "filter[date_to]": "2027-09-10"}, 2),
        ("shoot-days", {"filter[slot]": f"{scenario_id('dunes')}@2027-10-15"}, 1),
        ("movies", {"filter[id]": f"{MOVIE},{scenario_id('nobody')}"}, 1),
    ],
)
async def test_happy_path_every_port_filter(
    api: httpx.AsyncClient, kind: str, params: dict[str, str], expected: int
) -> None:
    body = assert_jsonapi(await api.get(f"/api/{kind}", params=params))
    assert len(body["data"]) == expected


async def test_happy_path_cursor_pages_visit_every_item_once_in_order(
    api: httpx.AsyncClient,
) -> None:
    seen: list[str] = []
    params: dict[str, str] = {"page[size]": "1", "filter[production_id]": str(PRODUCTION)}
    for _ in range(10):
        body = assert_jsonapi(await api.get("/api/shoot-days", params=params))
        seen.extend(r["attributes"]["date"] for r in body["data"])
        link = body["links"]["next"]
        if link is None:
            break
        assert "filter%5Bproduction_id%5D" in link
        after = httpx.URL(link).params["page[after]"]
        params = {**params, "page[after]": after}
    assert seen == sorted(seen)
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/movies?filter[budget]=1", "filter[budget]"),
        ("/api/movies?include=directors", "include"),
        ("/api/productions?include=movie.productions.movie", "include"),
        ("/api/productions?include=", "include"),
        ("/api/movies?fields[movies]=budget", "fields[movies]"),
        ("/api/movies?fields[films]=title", "fields[films]"),
        ("/api/movies?page[size]=501", "page[size]"),
        ("/api/movies?page[size]=0", "page[size]"),
        ("/api/movies?page[size]=ten", "page[size]"),
        ("/api/movies?page[number]=2", "page[number]"),
        ("/api/movies?page[after]=garbage", "page[after]"),
        ("/api/movies?page[after]=", "page[after]"),
        ("/api/movies?filter[release_year]=soon", "filter[release_year]"),
        ("/api/movies?filter[genre]=opera", "filter[genre]"),
        ("/api/movies?filter[id]=not-a-uuid", "filter[id]"),
        ("/api/shoot-days?filter[slot]=nowhere", "filter[slot]"),
        ("/api/movies?sort=title", "sort"),
        ("/api/movies?filter[id]=" + str(MOVIE) + "&page[size]=5", "page[size]"),
        ("/api/movies?page[size]=1&page[size]=2", "page[size]"),
        (f"/api/movies/{MOVIE}?filter[genre]=drama", "filter[genre]"),
    ],
)
async def test_unhappy_path_bad_query_parameters_are_400_naming_the_parameter(
    api: httpx.AsyncClient, url: str, parameter: str
) -> None:
    error = error_of(await api.get(url), 400)
    assert error["source"] == {"parameter": parameter}
    assert error["code"] == "bad_request"


async def test_unhappy_path_missing_and_malformed_ids_are_404(api: httpx.AsyncClient) -> None:
    for url in (f"/api/movies/{scenario_id('ghost')}", "/api/movies/not-a-uuid"):
        error = error_of(await api.get(url), 404)
        assert error["code"] == "not_found"


async def test_unhappy_path_unknown_routes_and_methods_are_jsonapi_errors(
    api: httpx.AsyncClient,
) -> None:
    assert error_of(await api.get("/api/films"), 404)["code"] == "not_found"
    assert error_of(await api.put("/api/movies"), 405)["code"] == "method_not_allowed"


async def test_happy_path_openapi_documents_every_jsonapi_route(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/api/openapi.json")).json()
    paths = spec["paths"]
    for kind in ("movies", "locations", "productions", "shoot-days"):
        assert set(paths[f"/api/{kind}"]) == {"get", "post"}
        assert set(paths[f"/api/{kind}/{{id}}"]) == {"get", "patch", "delete"}
    assert "post" in paths["/api/operations"]
    assert "post" in paths["/api/onboardings"]
    listed = {p["name"] for p in paths["/api/productions"]["get"]["parameters"]}
    assert {"include", "filter[phases]", "filter[movie_id]", "page[size]", "page[after]"} <= listed
    schemas = spec["components"]["schemas"]
    assert "ProductionCollectionDocument" in schemas
    assert "ErrorDocument" in schemas


async def test_happy_path_every_reference_is_a_relationship_both_ways(
    api: httpx.AsyncClient,
) -> None:
    body = assert_jsonapi(await api.get(f"/api/movies/{MOVIE}", params={"include": "productions"}))
    productions = body["data"]["relationships"]["productions"]
    assert productions["data"] == [{"type": "productions", "id": str(PRODUCTION)}]
    assert [r["id"] for r in body["included"]] == [str(PRODUCTION)]
    related = productions["links"]["related"]
    listed = assert_jsonapi(await api.get(related))
    assert [r["id"] for r in listed["data"]] == [str(PRODUCTION)]
