"""graphql failure mapping against a real loopback server that misbehaves on purpose.

The server picks its misbehaviour from the first path segment of the adapter's URL:
``/hang/graphql`` never answers, ``/reset/graphql`` resets the connection, ``/garbage/graphql``
answers 200 with a body that is not JSON, ``/busy/graphql`` answers 503, and so on.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from adapters.graphql import create_data_source
from domain import (
    MOVIES,
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    InvalidInput,
    Movie,
    NotFound,
    PageRequest,
    RuleViolation,
)
from domain.queries import MovieQuery
from tests.support.misbehaving_server import answer, misbehaving_server

HITS: dict[str, int] = {}


def _answer(status: str, body: bytes, media: str = "application/json") -> bytes:
    return answer(status, body, media)


def _errors(code: str, **extensions: Any) -> bytes:
    error = {"message": "said so", "extensions": {"code": code, **extensions}}
    return _answer("200 OK", json.dumps({"data": None, "errors": [error]}).encode())


ANSWERS = {
    "garbage": _answer("200 OK", b"<html>surprise</html>"),
    "shape": _answer("200 OK", b'{"data": {"movie": {"id": "not-a-uuid"}}}'),
    "empty": _answer("200 OK", b'{"data": null}'),
    "busy": _answer("503 Service Unavailable", b"busy"),
    "denied": _answer("401 Unauthorized", b'{"errors": []}'),
    "html404": _answer("404 Not Found", b"<h1>nope</h1>", "text/html"),
    "missing": _errors("not_found", entity="Movie", field="id"),
    "stale": _errors("conflict.stale_version", entity="Movie", field="version"),
    "booked": _errors("rule_violation.location_double_booked", field="location_id"),
    "invalid": _errors("invalid_input", field="page.cursor"),
    "query": _errors("invalid_query"),
    "nocode": _answer("200 OK", b'{"data": null, "errors": [{"message": "?"}]}'),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A misbehaving server on a free loopback port; yields its base URL."""
    with misbehaving_server(ANSWERS, HITS) as url:
        yield url


def _source(server: str, mode: str, **options: Any) -> Any:
    # Only the hanging server needs a tiny timeout; others get room for a loaded CI machine.
    timeout = 0.3 if mode == "hang" else 5.0
    return create_data_source(
        {
            "url": f"{server}/{mode}/graphql",
            "timeout": timeout,
            "backoff": 0,
            "retries": 1,
            **options,
        }
    )


async def _get(server: str, mode: str, **options: Any) -> Movie:
    source = _source(server, mode, **options)
    try:
        async with source.unit_of_work() as uow:
            return await uow.repository(MOVIES).get(uuid4())
    finally:
        await source.aclose()


async def _commit(server: str, mode: str) -> None:
    source = _source(server, mode)
    try:
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).add(Movie(title="Lost"))
            await uow.commit()
    finally:
        await source.aclose()


async def test_unhappy_path_a_hanging_service_times_out_as_unavailable(server: str) -> None:
    with pytest.raises(DataSourceUnavailable, match="timed out"):
        await _get(server, "hang", timeout=0.1, retries=0)


async def test_unhappy_path_a_reset_connection_is_unavailable(server: str) -> None:
    with pytest.raises(DataSourceUnavailable, match="connection failed"):
        await _get(server, "reset")


async def test_unhappy_path_reads_retry_a_503_but_writes_do_not(server: str) -> None:
    HITS.pop("busy", None)
    with pytest.raises(DataSourceUnavailable, match="tried 2 times"):
        await _get(server, "busy")
    assert HITS["busy"] == 2
    HITS.pop("busy", None)
    with pytest.raises(DataSourceUnavailable, match="writes are not retried"):
        await _commit(server, "busy")
    assert HITS["busy"] == 1


@pytest.mark.parametrize(
    ("mode", "what"),
    [
        ("garbage", "answer to get_movie"),
        ("shape", "data.movie.id"),
        ("empty", "neither data nor errors"),
        ("html404", "status 404"),
        ("query", "invalid_query"),
        ("nocode", "no code"),
    ],
)
async def test_unhappy_path_bodies_not_of_the_expected_shape_name_what(
    server: str, mode: str, what: str
) -> None:
    with pytest.raises(DataSourceError) as caught:
        await _get(server, mode)
    assert what in caught.value.message


async def test_unhappy_path_a_refused_token_says_so(server: str) -> None:
    with pytest.raises(DataSourceError, match="token is missing"):
        await _get(server, "denied")


async def test_error_codes_become_domain_errors_with_their_details(server: str) -> None:
    with pytest.raises(NotFound) as missing:
        await _get(server, "missing")
    assert (missing.value.entity, missing.value.field) == ("Movie", "id")
    with pytest.raises(Conflict) as stale:
        await _commit(server, "stale")
    assert stale.value.reason == "stale_version"
    with pytest.raises(RuleViolation) as booked:
        await _commit(server, "booked")
    assert (booked.value.reason, booked.value.field) == ("location_double_booked", "location_id")
    source = _source(server, "invalid")
    try:
        async with source.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as invalid:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest(cursor="x"))
    finally:
        await source.aclose()
    assert invalid.value.field == "page.cursor"


async def test_unhappy_path_a_refused_connection_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DataSourceUnavailable):
        await _get(f"http://127.0.0.1:{port}", "x")
