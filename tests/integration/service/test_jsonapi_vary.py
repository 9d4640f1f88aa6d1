"""``Vary: Accept`` on every JSON:API response, errors included (docs/jsonapi.md, media types).

A shared cache that stored a 406 or a 401 without it would answer it to every other client of
the URL, whatever they accept.
"""

import json
import socket
from collections.abc import AsyncIterator
from uuid import UUID

import httpx
import pytest

from app.scenario import run_scenario, scenario_id
from tests.support.jsonapi import MEDIA, TOKEN, WRITE, in_process
from tests.support.live_service import LiveService

MOVIE = scenario_id("movie")
BODY = json.dumps({"data": {"type": "movies", "attributes": {"title": "Vary"}}})


@pytest.fixture
async def api() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(max_body_bytes=4096) as (client, container):
        await run_scenario(container.interactors)
        yield client


def stale(version: int) -> str:
    data = {"type": "movies", "id": str(MOVIE), "meta": {"version": version}}
    return json.dumps({"data": data})


CASES = [
    ("GET", "/api/movies", {}, None, 200),
    ("GET", f"/api/movies/{MOVIE}", {}, None, 200),
    ("POST", "/api/movies", WRITE, BODY, 201),
    ("GET", "/api/movies?sort=title", {}, None, 400),
    ("GET", "/api/movies", {"Host": "attacker.example"}, None, 400),
    ("POST", "/api/movies", {"Content-Type": MEDIA}, BODY, 401),
    ("POST", "/api/movies", {**WRITE, "Authorization": "Bearer wrong"}, BODY, 403),
    ("GET", f"/api/movies/{UUID(int=1)}", {}, None, 404),
    ("GET", "/api/no-such-type", {}, None, 404),
    ("PUT", "/api/movies", WRITE, BODY, 405),
    ("GET", "/api/movies", {"Accept": "text/html"}, None, 406),
    ("PATCH", f"/api/movies/{MOVIE}", WRITE, stale(99), 409),
    ("POST", "/api/movies", WRITE, " " * 5000, 413),
    ("POST", "/api/movies", {**WRITE, "Content-Type": "text/plain"}, BODY, 415),
    ("POST", "/api/movies", WRITE, BODY.replace('"Vary"', '""'), 422),
]


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status"),
    CASES,
    ids=[f"{case[4]} {case[0]} {case[1][:20]}" for case in CASES],
)
async def test_happy_path_every_jsonapi_response_varies_on_accept(
    api: httpx.AsyncClient,
    method: str,
    path: str,
    headers: dict[str, str],
    body: str | None,
    status: int,
) -> None:
    response = await api.request(method, path, headers=headers, content=body)
    assert response.status_code == status, response.text
    assert response.headers.get("vary") == "Accept"


async def test_happy_path_a_delete_varies_on_accept_too(api: httpx.AsyncClient) -> None:
    created = await api.post("/api/movies", content=BODY, headers=WRITE)
    response = await api.delete(created.headers["location"], headers=WRITE)
    assert response.status_code == 204
    assert response.headers["vary"] == "Accept"


@pytest.mark.server
def test_happy_path_the_servers_own_refusal_of_a_folded_header_varies_on_accept(
    live: LiveService,
) -> None:
    host, port = live.base_url.removeprefix("http://").split(":")
    request = (
        b"GET /api/movies HTTP/1.1\r\nHost: %s\r\nX-Note: a\r\n b\r\n"
        b"Authorization: Bearer %s\r\n\r\n" % (host.encode(), TOKEN.encode())
    )
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head = received.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 400")
    assert "\r\nvary: accept" in head
