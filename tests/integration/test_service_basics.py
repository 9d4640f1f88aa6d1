import httpx

from tests.support.live_service import LiveService


def test_happy_path_healthz_reports_the_database(live: LiveService) -> None:
    response = httpx.get(f"{live.base_url}/healthz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["sources"]["sql"].startswith("sqlite")


def test_happy_path_openapi_document_is_served(live: LiveService) -> None:
    response = httpx.get(f"{live.base_url}/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "hexstudio reference service"


def test_unhappy_path_oversized_bodies_get_413_in_each_api_s_error_format(
    live: LiveService,
) -> None:
    too_big = b"x" * 1_048_577
    jsonapi = httpx.post(f"{live.base_url}/api/movies", content=too_big)
    assert jsonapi.status_code == 413
    assert jsonapi.headers["content-type"] == "application/vnd.api+json"
    assert jsonapi.json()["errors"][0]["code"] == "payload_too_large"
    graphql = httpx.post(f"{live.base_url}/graphql", content=too_big)
    assert graphql.status_code == 413
    assert graphql.json()["errors"][0]["extensions"]["code"] == "payload_too_large"
