"""The reference service over a database the caller chose (PostgreSQL here), in a thread.

``tests.support.live_service`` serves a fresh SQLite file; the reliability tests need the service
on a throwaway PostgreSQL database, sometimes reached through a fault proxy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.service import create_app_from_settings
from app.service.threaded import serve_in_thread
from app.settings import Settings
from tests.support.live_service import TOKEN, LiveService


@contextmanager
def serve(database_url: str, **sql_options: object) -> Iterator[LiveService]:
    """Serve the (already migrated) database at ``database_url`` on a free loopback port."""
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": database_url, **sql_options}},  # type: ignore[arg-type]
        service={"data_source": "sql", "token": TOKEN},  # type: ignore[arg-type]
    )
    with serve_in_thread(create_app_from_settings(settings)) as base_url:
        yield LiveService(base_url, database_url, TOKEN)
