"""Routes reload without a restart (issue 14, item 4): in process, and ``serve`` on SIGHUP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.bootstrap import bootstrap, reload_routes
from app.errors import ConfigError
from app.settings import Settings
from domain import MOVIES, Movie, NotFound

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")


def _dialed(percent: int) -> Settings:
    return Settings(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},  # type: ignore[arg-type]
        repositories={"movies": {"dial": {"to": "legacy", "percent": percent}}},  # type: ignore[arg-type]
    )


async def test_happy_path_a_reload_moves_reads_and_spares_units_in_flight() -> None:
    async with bootstrap(_dialed(0)) as container:
        async with container.sources["legacy"].unit_of_work() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Only in legacy"))
            await uow.commit()
        async with container.uow() as before:
            with pytest.raises(NotFound):
                await before.repository(MOVIES).get(movie.id)
            assert reload_routes(container, _dialed(100)) == "routes reloaded: movies"
            with pytest.raises(NotFound):  # a unit of work keeps the routes it started with
                await before.repository(MOVIES).get(movie.id)
        async with container.uow() as after:
            assert await after.repository(MOVIES).get(movie.id) == movie


async def test_unhappy_path_a_reload_needing_a_closed_source_changes_nothing() -> None:
    async with bootstrap(_dialed(0)) as container:
        elsewhere = Settings(
            data_source={"default": "memory", "legacy": {"kind": "memory"}},  # type: ignore[arg-type]
            repositories={"movies": "sql"},  # type: ignore[arg-type]
        )
        routes = dict(container.routes)
        with pytest.raises(ConfigError, match="sql is not open in this service; restart it"):
            reload_routes(container, elsewhere)
        assert container.routes == routes


_RUNNING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def _wait_for(log: Path, pattern: str, process: subprocess.Popen[bytes]) -> re.Match[str]:
    deadline = time.monotonic() + 30
    while True:
        found = re.search(pattern, log.read_text())
        if found:
            return found
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)  # uvicorn offers no readiness hook but its log


TOML = """
[service]
data_source = "memory"
[data_source]
default = "memory"
legacy = {{ kind = "memory" }}
[repositories.movies]
dial = {{ to = "legacy", percent = {percent} }}
"""


@pytest.mark.parametrize("how", ["sighup", "file"])
def test_happy_path_serve_reloads_its_routes(tmp_path: Path, how: str) -> None:
    config = tmp_path / "hexstudio.toml"
    config.write_text(TOML.format(percent=0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(HEXSTUDIO), "serve", "--port", "0"],
            cwd=tmp_path,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        port = int(_wait_for(log, _RUNNING.pattern, process).group(1))
        base = f"http://127.0.0.1:{port}/api/movies"
        body = {"data": {"type": "movies", "attributes": {"title": "Served by memory"}}}
        created = httpx.post(base, json=body, headers={"Content-Type": "application/vnd.api+json"})
        assert created.status_code == 201, created.text
        assert len(httpx.get(base).json()["data"]) == 1  # the default source holds it
        config.write_text(TOML.format(percent=100))
        if how == "sighup":
            os.kill(process.pid, signal.SIGHUP)  # else the watch sees the file change
        _wait_for(log, r"routes reloaded: movies", process)
        assert httpx.get(base).json()["data"] == []  # lists now go to legacy, which is empty
        assert process.poll() is None  # reloaded, not restarted
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
