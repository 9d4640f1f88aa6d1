"""``hexstudio serve --workers 2`` on one PostgreSQL database: each worker sees the other's writes.

The service keeps no state between requests, so two worker processes behind one socket must
answer every read alike, whichever of them took the write. Each request here opens a fresh
connection (the kernel hands it to either worker), and the test proves that both workers
served by finding a PostgreSQL connection in each worker process (pools connect lazily, on
the first request that reaches the database).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.support.databases import empty_database, server_url

pytestmark = [pytest.mark.server, pytest.mark.asyncio(loop_scope="session")]

TOKEN = "scale-out-token-not-secret"
MEDIA = "application/vnd.api+json"
WRITE = {"Content-Type": MEDIA, "Authorization": f"Bearer {TOKEN}"}
HEXSTUDIO = str(Path(sys.executable).with_name("hexstudio"))
_WORKER = re.compile(r"Started server process \[(\d+)\]")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(database_url: str) -> dict[str, str]:
    """This process's environment without any HEXSTUDIO_ setting, plus the service's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env.update(
        HEXSTUDIO_SERVICE__DATA_SOURCE="sql",
        HEXSTUDIO_DATA_SOURCE__SQL__URL=database_url,
        HEXSTUDIO_SERVICE__TOKEN=TOKEN,
    )
    return env


def _database_connections(pid: int, port: int) -> int:
    """How many established TCP connections to ``port`` the process ``pid`` holds (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        for line in path.read_text().splitlines()[1:] if path.exists() else []:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == "01" and fields[9] in inodes:
                count += 1
    return count


async def _wait_until_both_workers_serve(
    base_url: str, log: Path, process: asyncio.subprocess.Process
) -> list[int]:
    """Poll /healthz and the log until both workers have started; their PIDs."""
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as client:
        while True:
            text = await asyncio.to_thread(log.read_text)
            assert process.returncode is None, text
            workers = [int(pid) for pid in _WORKER.findall(text)]
            if len(workers) == 2 and text.count("Application startup complete") == 2:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return workers
                except httpx.TransportError:
                    pass  # the socket is bound but no worker accepts yet
            assert time.monotonic() < deadline, f"the service did not start:\n{text}"
            await asyncio.sleep(0.05)  # polling with a deadline: uvicorn offers no readiness hook


def _fresh() -> httpx.AsyncClient:
    # No keep-alive: every request is a new connection, which either worker may accept.
    return httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0), timeout=10)


async def _register(client: httpx.AsyncClient, base_url: str, title: str) -> dict[str, Any]:
    body = {"data": {"type": "movies", "attributes": {"title": title}}}
    response = await client.post(f"{base_url}/api/movies", content=json.dumps(body), headers=WRITE)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def _read_title_and_version(client: httpx.AsyncClient, base_url: str, id: str) -> Any:
    if len(id) % 2:  # half through each API
        response = await client.get(f"{base_url}/api/movies/{id}")
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        return data["attributes"]["title"], data["meta"]["version"]
    query = "query($id: ID!) { movie(id: $id) { title version } }"
    response = await client.post(
        f"{base_url}/graphql", json={"query": query, "variables": {"id": id}}
    )
    movie = response.json()["data"]["movie"]
    return movie["title"], movie["version"]


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGINT (uvicorn's graceful stop for all workers), then kill the group if it lingers."""
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), timeout=15)
        except TimeoutError:
            os.killpg(process.pid, signal.SIGKILL)  # the group we started, by its id
            await asyncio.wait_for(process.wait(), timeout=5)


def _gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie waiting for init to reap it counts as gone)."""
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True


async def test_two_workers_on_one_postgres_database_see_each_others_writes(
    tmp_path: Path,
) -> None:
    server_url("postgres")  # skips, naming the variable, when no server is configured
    async with empty_database("postgres", tmp_path) as url:
        env = _environment(url)
        migrate = await asyncio.create_subprocess_exec(
            HEXSTUDIO, "db", "upgrade", env=env, cwd=tmp_path, stderr=subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(migrate.communicate(), timeout=60)
        assert migrate.returncode == 0, stderr.decode()
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = tmp_path / "serve.log"
        with log.open("wb") as sink:
            process = await asyncio.create_subprocess_exec(
                *(HEXSTUDIO, "serve", "--port", str(port), "--workers", "2", "--log-level", "info"),
                env=env,
                cwd=tmp_path,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so a hung run can be killed whole
            )
        workers: list[int] = []
        try:
            workers = await _wait_until_both_workers_serve(base_url, log, process)
            async with _fresh() as client:
                # Writes, each on its own connection, concurrently so both workers take some.
                written = await asyncio.gather(
                    *(_register(client, base_url, f"Scale {n}") for n in range(16))
                )
                expected = {m["id"]: (m["attributes"]["title"], 1) for m in written}
                # Every write read back many times, on fresh connections, through both APIs.
                ids = [id for id in expected for _ in range(4)]
                seen = await asyncio.gather(
                    *(_read_title_and_version(client, base_url, id) for id in ids)
                )
                assert dict(zip(ids, seen, strict=True)) == expected
                # An update made through one request is what every later read sees.
                first = written[0]
                patch = {"data": {**first, "attributes": {"title": "Rescaled"}}}
                changed = await client.patch(
                    f"{base_url}/api/movies/{first['id']}",
                    content=json.dumps(patch),
                    headers=WRITE,
                )
                assert changed.status_code == 200, changed.text
                after = await asyncio.gather(
                    *(_read_title_and_version(client, base_url, first["id"]) for _ in range(16))
                )
                assert set(after) == {("Rescaled", 2)}
            if sys.platform == "linux":  # /proc tells which process holds which socket
                port_of_database = make_url(url).port or 5432
                held = {pid: _database_connections(pid, port_of_database) for pid in workers}
                assert all(held.values()), f"a worker never reached the database: {held}"
        finally:
            await _stop(process)
        assert process.returncode is not None
        if sys.platform == "linux":
            assert all(_gone(pid) for pid in workers), f"workers left running: {workers}"
