"""The reference service on a free loopback port, over its own SQLite file, in a thread."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from adapters.sql.migrate import upgrade
from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
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
def live_service(
    directory: Path,
    *,
    token: str = TOKEN,
    database: str = "service.db",
    provider_states: bool = False,
) -> Iterator[LiveService]:
    """Migrate a fresh database, serve it on 127.0.0.1 (port chosen by the OS), stop after.

    ``provider_states`` mounts the Pact state endpoint (``service.provider_states``).
    """
    database_url = f"sqlite+aiosqlite:///{directory / database}"
    # In a thread of its own, so that callers inside a running event loop can use it too.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, upgrade(database_url)).result()
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": database_url}},  # type: ignore[arg-type]
        service={  # type: ignore[arg-type]
            "data_source": "sql",
            "token": token,
            "provider_states": provider_states,
        },
    )
    with serve_in_thread(create_app_from_settings(settings)) as base_url:
        yield LiveService(base_url, database_url, token)
