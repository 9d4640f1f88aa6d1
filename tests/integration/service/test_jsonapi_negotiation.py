"""JSON:API media types (415/406 by the spec's parameter rules) and bearer tokens (401/403)."""

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.jsonapi import MEDIA, TOKEN, WRITE, assert_jsonapi, error_of, in_process

BODY = json.dumps({"data": {"type": "movies", "attributes": {"title": "Negotiated"}}})
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process() as (client, _):
        yield client


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "application/json",
        "text/plain",
        f"{MEDIA}; charset=utf-8",
        f'{MEDIA}; ext="https://example.com/unknown"',
        f'{MEDIA}; ext="https://jsonapi.org/ext/atomic"',
    ],
)
async def test_unhappy_path_other_request_media_types_are_415(
    api: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = dict(AUTH) if content_type is None else {**AUTH, "Content-Type": content_type}
    response = await api.post("/api/movies", content=BODY, headers=headers)
    assert error_of(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type", [MEDIA, f'{MEDIA}; profile="https://example.com/p"', f'{MEDIA};ext=""']
)
async def test_happy_path_jsonapi_media_type_with_allowed_parameters(
    api: httpx.AsyncClient, content_type: str
) -> None:
    response = await api.post(
        "/api/movies", content=BODY, headers={**AUTH, "Content-Type": content_type}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        f"{MEDIA}; charset=utf-8",
        f'{MEDIA}; ext="https://example.com/unknown"',
        f"{MEDIA}; version=2, text/html",
        f"{MEDIA}; q=0",
    ],
)
async def test_unhappy_path_accept_without_a_usable_jsonapi_type_is_406(
    api: httpx.AsyncClient, accept: str
) -> None:
    error = error_of(await api.get("/api/movies", headers={"Accept": accept}), 406)
    assert error["source"] == {"header": "Accept"}


@pytest.mark.parametrize(
    "accept",
    [
        "*/*",
        "application/*",
        MEDIA,
        f"{MEDIA}; charset=utf-8, {MEDIA}",
        f'{MEDIA}; profile="https://example.com/p"',
        f"text/html, {MEDIA};q=0.5",
    ],
)
async def test_happy_path_accept_admitting_jsonapi(api: httpx.AsyncClient, accept: str) -> None:
    response = await api.get("/api/movies", headers={"Accept": accept})
    assert response.status_code == 200
    assert_jsonapi(response)


async def test_unhappy_path_writes_without_or_with_a_wrong_token(api: httpx.AsyncClient) -> None:
    headers = {"Content-Type": MEDIA}
    response = await api.post("/api/movies", content=BODY, headers=headers)
    assert error_of(response, 401)["source"] == {"header": "Authorization"}
    assert response.headers["www-authenticate"] == "Bearer"
    wrong = {**headers, "Authorization": "Bearer nope"}
    assert error_of(await api.post("/api/movies", content=BODY, headers=wrong), 403)
    for method in ("PATCH", "DELETE"):
        response = await api.request(method, "/api/movies/00000000-0000-0000-0000-000000000000")
        assert error_of(response, 401)["code"] == "unauthorized"
    response = await api.post("/api/operations", content="{}")
    assert error_of(response, 401)
    response = await api.post("/api/onboardings", content="{}")
    assert error_of(response, 401)


async def test_happy_path_reads_are_open_unless_a_read_token_is_set(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/movies")).status_code == 200
    async with in_process(read_token="reader") as (guarded, _):
        assert error_of(await guarded.get("/api/movies"), 401)
        wrong = await guarded.get("/api/movies", headers={"Authorization": "Bearer nope"})
        assert error_of(wrong, 403)
        for token in ("reader", TOKEN):
            ok = await guarded.get("/api/movies", headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 200
        reader_writes = await guarded.post(
            "/api/movies", content=BODY, headers={**WRITE, "Authorization": "Bearer reader"}
        )
        assert error_of(reader_writes, 403)


async def test_unhappy_path_oversized_body_is_a_413_jsonapi_error(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/movies", content=b"x" * 1_048_577, headers=WRITE)
    assert error_of(response, 413)["code"] == "payload_too_large"


async def test_happy_path_a_read_token_alone_guards_writes_and_admits_them_with_it() -> None:
    async with in_process(token=None, read_token="reader") as (guarded, _):
        refused = await guarded.post("/api/movies", content=BODY, headers={"Content-Type": MEDIA})
        assert error_of(refused, 401)["code"] == "unauthorized"
        reader = {"Content-Type": MEDIA, "Authorization": "Bearer reader"}
        created = await guarded.post("/api/movies", content=BODY, headers=reader)
        assert created.status_code == 201, created.text
