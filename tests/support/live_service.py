"""The reference service on a free loopback port, over its own SQLite file, in a thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from adapters.sql.migrate import upgrade
from app.service import create_app_from_settings
from app.settings import Settings

TOKEN = "test-token-not-secret"
"""The write token the test service requires (tests of auth also try without it)."""


@dataclass(frozen=True)
class LiveService:
    """Where a running service answers, and the database behind it."""

    base_url: str
    database_url: str
    token: str


@contextmanager
def live_service(directory: Path, *, token: str = TOKEN) -> Iterator[LiveService]:
    """Migrate a fresh database, serve it on 127.0.0.1 (port chosen by the OS), stop after."""
    database_url = f"sqlite+aiosqlite:///{directory / 'service.db'}"
    asyncio.run(upgrade(database_url))
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": database_url}},  # type: ignore[arg-type]
        service={"data_source": "sql", "token": token},  # type: ignore[arg-type]
    )
    config = uvicorn.Config(
        create_app_from_settings(settings),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live service did not start")
        time.sleep(0.01)  # polling the start flag: uvicorn offers no event to wait on
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveService(f"http://127.0.0.1:{port}", database_url, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
