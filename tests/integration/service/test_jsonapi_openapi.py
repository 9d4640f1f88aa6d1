"""The OpenAPI document at /api/openapi.json, as a client generator reads it.

tests/clients/jsonapi/test_openapi_client.py generates a client from it and uses it; these
checks name what generators trip over, one by one.
"""

import json
from typing import Any

import pytest

from tests.support.jsonapi import MEDIA, WRITE, in_process

WRITES = ("post", "patch", "delete")


@pytest.fixture(scope="module")
async def document() -> dict[str, Any]:
    async with in_process() as (api, _):
        response = await api.get("/api/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_happy_path_success_bodies_are_declared_only_as_jsonapi(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            media_types = list(response["content"])
            assert len(media_types) == 1, (method, path, status, media_types)
            assert media_types[0].startswith(MEDIA), (method, path, status, media_types)
            assert response["content"][media_types[0]]["schema"], (method, path, status)


def test_happy_path_writes_need_the_bearer_scheme_and_reads_do_not(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"bearer": {**schemes["bearer"], "type": "http", "scheme": "bearer"}}
    for path, method, operation in operations(document):
        expected = [{"bearer": []}] if method in WRITES else None
        assert operation.get("security") == expected, (method, path)


def test_happy_path_create_needs_no_id_and_update_sends_no_defaults(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    body = document["paths"]["/api/movies"]["post"]["requestBody"]["content"][MEDIA]["schema"]
    new = schemas[body["properties"]["data"]["$ref"].rsplit("/", 1)[-1]]
    assert new["required"] == ["type"]
    assert new["properties"]["attributes"]["required"] == ["title"]
    production = schemas["ProductionNewResource"]["properties"]["relationships"]
    assert production["required"] == ["movie"]
    # A default in the update's schema would be sent by a generated model for every field
    # the caller left alone: "" would overwrite a stored logline.
    stored = schemas["MovieResource"]["properties"]["attributes"]["properties"]
    assert all("default" not in attribute for attribute in stored.values())


def test_unhappy_path_no_validation_error_the_server_never_sends(
    document: dict[str, Any],
) -> None:
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            media_types = response.get("content", {})
            assert all(m.startswith(MEDIA) for m in media_types), (method, path, status)


def test_happy_path_the_document_describes_api_alone_with_request_bodies(
    document: dict[str, Any],
) -> None:
    assert all(path.startswith("/api/") for path in document["paths"])
    for path, method, operation in operations(document):
        if method in ("post", "patch"):
            assert operation["requestBody"]["content"], (method, path)
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert {"list_movies", "get_movie", "create_movie", "update_movie", "delete_movie"} <= set(ids)


async def test_happy_path_the_documented_statuses_and_headers_are_what_the_server_sends(
    document: dict[str, Any],
) -> None:
    created = document["paths"]["/api/movies"]["post"]["responses"]["201"]
    assert set(created["headers"]) == {"ETag", "Location"}
    assert {"200", "409", "412", "428"} <= set(
        document["paths"]["/api/movies/{id}"]["patch"]["responses"]
    )
    body = json.dumps({"data": {"type": "movies", "attributes": {"title": "Documented"}}})
    async with in_process() as (api, _):
        response = await api.post("/api/movies", content=body, headers=WRITE)
        missing = await api.get("/api/movies/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 201
    assert {"etag", "location"} <= set(response.headers)
    assert str(missing.status_code) in document["paths"]["/api/movies/{id}"]["get"]["responses"]
