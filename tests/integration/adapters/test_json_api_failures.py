"""json_api failure mapping against a real loopback server that misbehaves on purpose.

The server picks its misbehaviour from the first path segment of the adapter's base URL:
``/hang/api`` never answers, ``/reset/api`` resets the connection, ``/garbage/api`` answers
200 with a body that is not JSON, ``/busy/api`` answers 503, and so on.
"""

import json
import socket
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from adapters.json_api import create_data_source
from domain import (
    MOVIES,
    PRODUCTIONS,
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    InvalidInput,
    Movie,
    NotFound,
    PageRequest,
    RuleViolation,
)
from domain.interactors import OVERVIEW
from domain.ports import planned_get
from domain.queries import MovieQuery
from tests.support.misbehaving_server import answer, misbehaving_server

HITS: dict[str, int] = {}


def _answer(status: str, body: bytes, media: str = "application/vnd.api+json") -> bytes:
    return answer(status, body, media)


def _error(status: str, code: str, pointer: str = "/data/attributes/title") -> bytes:
    body = (
        f'{{"errors":[{{"status":"{status[:3]}","code":"{code}","detail":"said so",'
        f'"source":{{"pointer":"{pointer}"}}}}]}}'
    )
    return _answer(status, body.encode())


def _document(data: Any, included: list[Any]) -> bytes:
    return _answer("200 OK", json.dumps({"data": data, "included": included}).encode())


def _movie(id: str) -> dict[str, Any]:
    return {"type": "movies", "id": id, "attributes": {"title": "Kept"}, "meta": {"version": 1}}


_PRODUCTION = {
    "type": "productions",
    "id": str(uuid4()),
    "attributes": {
        "budget": {"amount": "10.00", "currency": "USD"},
        "starts_on": "2030-01-01",
        "wraps_on": "2030-02-01",
    },
    "relationships": {
        "movie": {"data": {"type": "movies", "id": str(uuid4())}},
        "shoot_days": {"data": [{"type": "shoot-days", "id": "not-a-uuid"}]},
    },
    "meta": {"version": 1},
}

ANSWERS = {
    # The second included resource is the bad one: the error names its position.
    "included": _document(None, [_movie(str(uuid4())), _movie("not-a-uuid")]),
    "notobject": _document(None, [_movie(str(uuid4())), "surprise"]),
    "linkage": _document(_PRODUCTION, []),
    "garbage": _answer("200 OK", b"<html>surprise</html>"),
    "shape": _answer("200 OK", b'{"data": [{"type": "movies", "id": "x"}]}'),
    "busy": _answer("503 Service Unavailable", b"busy"),
    "denied": _answer("401 Unauthorized", b""),
    "html404": _answer("404 Not Found", b"<h1>nope</h1>", "text/html"),
    "missing": _error("404 Not Found", "not_found", "/data/id"),
    "stale": _error(
        "409 Conflict", "conflict.stale_version", "/atomic:operations/0/data/meta/version"
    ),
    "rule": _error("409 Conflict", "rule_violation.still_referenced"),
    "invalid": _error("422 Unprocessable Entity", "invalid_input"),
    "bad": _error("400 Bad Request", "bad_request"),
    "teapot": _error("418 I'm a teapot", "teapot"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A misbehaving server on a free loopback port; yields its base URL."""
    with misbehaving_server(ANSWERS, HITS) as url:
        yield url


def _source(base: str, mode: str, **options: object):  # type: ignore[no-untyped-def]
    # Only the hanging server needs a tiny timeout; others get room for a loaded CI machine.
    timeout = 0.2 if mode == "hang" else 5.0
    return create_data_source(
        {"url": f"{base}/{mode}/api", "timeout": timeout, "retries": 1, "backoff": 0, **options}
    )


async def _get(base: str, mode: str) -> None:
    source = _source(base, mode)
    try:
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).get(uuid4())
    finally:
        await source.aclose()


async def _commit(base: str, mode: str) -> None:
    source = _source(base, mode)
    try:
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).add(Movie(title="Never"))
            await uow.commit()
    finally:
        await source.aclose()


async def test_unhappy_path_a_hanging_read_times_out_after_one_retry(server: str) -> None:
    HITS.pop("hang", None)
    with pytest.raises(DataSourceUnavailable, match="timed out"):
        await _get(server, "hang")
    assert HITS["hang"] == 2


async def test_unhappy_path_a_hanging_commit_is_sent_once(server: str) -> None:
    HITS.pop("hang", None)
    with pytest.raises(DataSourceUnavailable, match="writes are not retried"):
        await _commit(server, "hang")
    assert HITS["hang"] == 1


async def test_unhappy_path_reset_connections_are_unavailable(server: str) -> None:
    with pytest.raises(DataSourceUnavailable, match="connection failed"):
        await _get(server, "reset")


async def test_unhappy_path_refused_connections_are_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DataSourceUnavailable):
        await _get(f"http://127.0.0.1:{port}", "closed")


async def test_unhappy_path_503_is_unavailable(server: str) -> None:
    with pytest.raises(DataSourceUnavailable, match="503"):
        await _get(server, "busy")
    with pytest.raises(DataSourceUnavailable):
        await _commit(server, "busy")


async def test_unhappy_path_garbage_bodies_are_data_source_errors_naming_the_problem(
    server: str,
) -> None:
    with pytest.raises(DataSourceError, match="unexpected JSON:API document"):
        await _get(server, "garbage")
    source = _source(server, "shape")
    try:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceError, match=r"data\[0\]"):
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest())
    finally:
        await source.aclose()
    with pytest.raises(DataSourceError, match="without one atomic result"):
        await _commit(server, "garbage")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("included", r"included\[1\]: id: Input should be a valid UUID"),
        ("notobject", r"included\[1\] is not an object"),
    ],
)
async def test_unhappy_path_a_bad_included_resource_is_named_by_its_position(
    server: str, mode: str, message: str
) -> None:
    with pytest.raises(DataSourceError, match=message) as caught:
        await _get(server, mode)
    assert caught.value.reason == "bad_response"


async def test_unhappy_path_a_malformed_to_many_linkage_is_a_data_source_error(
    server: str,
) -> None:
    source = _source(server, "linkage")
    try:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceError, match="malformed shoot_days linkage") as caught:
                await planned_get(uow.repository(PRODUCTIONS), uuid4(), OVERVIEW)
        assert caught.value.reason == "bad_response"
    finally:
        await source.aclose()


async def test_unhappy_path_refused_tokens_say_so(server: str) -> None:
    with pytest.raises(DataSourceError, match="token is missing") as caught:
        await _get(server, "denied")
    assert caught.value.reason == "unauthorized"


@pytest.mark.parametrize(
    ("mode", "error", "field"),
    [
        ("missing", NotFound, None),
        ("html404", DataSourceError, None),
        ("teapot", DataSourceError, None),
    ],
)
async def test_unhappy_path_read_errors_map_by_code_then_status(
    server: str, mode: str, error: type[Exception], field: str | None
) -> None:
    with pytest.raises(error):
        await _get(server, mode)


@pytest.mark.parametrize(
    ("mode", "error", "field", "reason"),
    [
        ("stale", Conflict, "version", "stale_version"),
        ("rule", RuleViolation, "title", "still_referenced"),
        ("invalid", InvalidInput, "title", None),
        ("bad", InvalidInput, "title", None),
        ("missing", NotFound, "id", None),
    ],
)
async def test_unhappy_path_commit_errors_map_to_domain_errors(
    server: str, mode: str, error: type[Exception], field: str, reason: str | None
) -> None:
    with pytest.raises(error) as caught:
        await _commit(server, mode)
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert caught.value.reason == reason  # type: ignore[attr-defined]
