"""The reference service over a database the caller chose (PostgreSQL here), in a thread.

``tests.support.live_service`` serves a fresh SQLite file; the reliability tests need the service
on a throwaway PostgreSQL database, sometimes reached through a fault proxy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from app.service import create_app_from_settings
from app.settings import Settings
from tests.support.live_service import TOKEN, LiveService


@contextmanager
def serve(database_url: str, **sql_options: object) -> Iterator[LiveService]:
    """Serve the (already migrated) database at ``database_url`` on a free loopback port."""
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": database_url, **sql_options}},  # type: ignore[arg-type]
        service={"data_source": "sql", "token": TOKEN},  # type: ignore[arg-type]
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
    thread = threading.Thread(target=server.run, name="reliability-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the service did not start")
        time.sleep(0.01)  # polling the start flag: uvicorn offers no event to wait on
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveService(f"http://127.0.0.1:{port}", database_url, TOKEN)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
