"""Slow clients cannot hold the service: every wait on a client is bounded (issue 11, item 3).

A real ``hexstudio serve`` on a free port of 127.0.0.1, with the bounds set small, and raw
sockets that trickle or idle. The probe saw a trickled body keep ``serve`` in "Waiting for
connections to close" for 39 s and idle sockets never closed. Each test measures from the
moment the client starts waiting and allows a margin for a busy two-core machine.

Residual, by uvicorn's design: its h11 protocol has no timeout for the request *headers*. A
socket that never completes its headers is held until the client closes it or the server
shuts down (which closes it at once, see the last test); see docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.errors import ConfigError
from app.settings import load_settings

HEXSTUDIO = str(Path(sys.executable).with_name("hexstudio"))
BOUND = 0.5
"""Every bound under test, in seconds."""
MARGIN = 1.5
"""What a loaded machine may add to a bound before the test calls it exceeded."""
_RUNNING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Served:
    """A running ``hexstudio serve``: its process, its port and its log."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path


@contextmanager
def serving(directory: Path, **service: float) -> Iterator[Served]:
    """``hexstudio serve --port 0`` over the memory source with ``[service]`` ``service``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env["HEXSTUDIO_SERVICE__DATA_SOURCE"] = "memory"
    env.update({f"HEXSTUDIO_SERVICE__{k.upper()}": str(v) for k, v in service.items()})
    log = directory / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [HEXSTUDIO, "serve", "--port", "0", "--log-level", "info"],
            cwd=directory,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a hung server is killed whole
        )
    try:
        yield Served(process, _wait_for_port(process, log), log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the group this test started, by its id
        process.wait(timeout=10)


def _wait_for_port(process: subprocess.Popen[bytes], log: Path) -> int:
    """The port uvicorn chose, once the application has started."""
    deadline = time.monotonic() + 30
    while True:
        text = log.read_text()
        found = _RUNNING.search(text)
        if found and "Application startup complete" in text:
            return int(found.group(1))
        assert process.poll() is None, f"serve exited:\n{text}"
        assert time.monotonic() < deadline, f"serve did not start:\n{text}"
        time.sleep(0.02)  # uvicorn offers no readiness hook but its log


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _headers(path: str, length: int) -> bytes:
    media = "application/vnd.api+json" if path.startswith("/api") else "application/json"
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {media}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def _readable(sock: socket.socket, seconds: float) -> bool:
    return bool(select.select([sock], [], [], seconds)[0])


def _read_until_closed(sock: socket.socket, seconds: float) -> bytes:
    """Everything the server sends until it closes (a reset counts as closed)."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One service with every bound at BOUND, for the tests that do not stop it."""
    with serving(
        tmp_path_factory.mktemp("slow-clients"),
        keep_alive_seconds=BOUND,
        body_timeout_seconds=BOUND,
        graceful_shutdown_seconds=BOUND,
    ) as server:
        yield server


@pytest.mark.parametrize("path", ["/api/movies", "/graphql"])
def test_a_trickled_body_is_cut_off_with_408_within_the_bound(served: Served, path: str) -> None:
    with _connect(served.port) as sock:
        sock.sendall(_headers(path, 100_000))
        started = time.monotonic()
        # One byte every 50 ms: each read is quick, the whole body never comes. The deadline
        # is on the body, not on each read, or this would go on for 100,000 x 50 ms.
        while not _readable(sock, 0.05):
            assert time.monotonic() - started < BOUND + MARGIN, "the body was never cut off"
            sock.sendall(b"x")
        elapsed = time.monotonic() - started
        answer = _read_until_closed(sock, BOUND + MARGIN)
    assert elapsed < BOUND + MARGIN
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), answer
    assert b"connection: close" in head.lower()
    document = json.loads(body)
    if path.startswith("/api"):
        assert document["errors"][0]["status"] == "408"
        assert document["errors"][0]["code"] == "request_timeout"
    else:
        assert document["errors"][0]["extensions"]["code"] == "request_timeout"


def test_an_answer_before_the_body_arrived_closes_the_connection(served: Served) -> None:
    """A 413 for a declared length reads no body: the rest of a trickle must not be read."""
    with _connect(served.port) as sock:
        sock.sendall(_headers("/api/movies", 10_000_000))  # over max_body_bytes
        assert _readable(sock, BOUND + MARGIN)
        sock.sendall(b"x")  # the trickle goes on; uvicorn would read it on a kept connection
        answer = _read_until_closed(sock, BOUND + MARGIN)  # raises TimeoutError if left open
    assert answer.startswith(b"HTTP/1.1 413 "), answer
    assert b"connection: close" in answer.lower()


def test_a_whole_body_in_time_is_served(served: Served) -> None:
    """The bound cuts slow bodies only: a prompt one passes the middleware untouched."""
    body = json.dumps({"query": "{ __typename }"}).encode()
    with _connect(served.port) as sock:
        sock.sendall(_headers("/graphql", len(body)) + body)
        head = sock.recv(65536).partition(b"\r\n")[0]
    assert head == b"HTTP/1.1 200 OK"


BOUNDS = ["keep_alive_seconds", "body_timeout_seconds", "graceful_shutdown_seconds"]


@pytest.mark.parametrize("key", BOUNDS)
@pytest.mark.parametrize("value", [0, -1, 86_400])
def test_a_bound_must_be_positive_and_at_most_an_hour(
    key: str, value: float, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no hexstudio.toml
    with pytest.raises(ConfigError, match=rf"service\.{key}: Input should be .* \(got {value}\)"):
        load_settings(service={key: value})


def test_an_idle_keep_alive_socket_is_closed_within_the_bound(served: Served) -> None:
    with _connect(served.port) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = b""
        while b"\r\n\r\n" not in response or not response.endswith(b"}"):
            response += sock.recv(65536)
        assert response.startswith(b"HTTP/1.1 200 ")
        idle_from = time.monotonic()
        rest = _read_until_closed(sock, BOUND + MARGIN)  # raises TimeoutError if left open
        idle = time.monotonic() - idle_from
    assert rest == b""
    assert idle < BOUND + MARGIN


def test_shutdown_with_slow_and_idle_clients_ends_within_the_graceful_bound(
    tmp_path: Path,
) -> None:
    # The body bound far away (30 s), so that the graceful bound alone must end the shutdown.
    with serving(tmp_path, body_timeout_seconds=30, graceful_shutdown_seconds=BOUND) as server:
        stop = threading.Event()
        trickling = _connect(server.port)
        trickling.sendall(_headers("/api/movies", 100_000))

        def trickle() -> None:  # the probe's client: a byte every 100 ms while it may
            try:
                while not stop.wait(0.1):
                    trickling.sendall(b"x")
            except OSError:
                pass  # the server closed it: what the test wants

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        # Sockets that never finish their headers: uvicorn bounds no header time (the
        # residual), but shutdown closes them at once, so they must not hold it either.
        idle = [_connect(server.port) for _ in range(20)]
        half = _connect(server.port)
        half.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.")
        time.sleep(0.3)  # the trickled request is being received, well inside every bound
        try:
            stopping = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            server.process.wait(timeout=BOUND + 10)
            took = time.monotonic() - stopping
        finally:
            stop.set()
            thread.join(timeout=5)
            for sock in [trickling, half, *idle]:
                sock.close()
        log = server.log.read_text()
    assert took < BOUND + MARGIN + 0.5, log  # + uvicorn's own 0.1 s pause and the lifespan
    assert "timeout graceful shutdown exceeded" in log


def test_unhappy_path_serve_refuses_a_folded_header_line(served: Served) -> None:
    """``hexstudio serve`` runs the strict protocol (app.service.protocol), not h11's own."""
    with _connect(served.port) as sock:
        sock.sendall(
            b"POST /api/movies HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/vnd.api+json\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"
            b"0\r\n\r\n"
        )
        answer = _read_until_closed(sock, 5)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"folded" in answer
