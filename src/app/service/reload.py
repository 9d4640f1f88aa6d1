"""``hexstudio serve`` reloads its routes on SIGHUP, or when its configuration file changes.

The configuration is read again and the new routes put in force at once
(``app.bootstrap.reload_routes``): a request in flight finishes on the routes it started
with, the next one starts on the new. A configuration that cannot be put in force is logged
and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from pathlib import Path

from app.bootstrap import Container, reload_routes
from app.errors import ConfigError
from app.settings import config_file, load_settings

log = logging.getLogger("uvicorn.error")  # uvicorn's own log: where serve's operators look

WATCH_SECONDS = 1.0
"""How often the configuration file's modification time is looked at."""


def _reload(container: Container) -> None:
    try:
        log.warning(reload_routes(container, load_settings()))
    except ConfigError as exc:
        log.warning("routes not reloaded: %s", exc)


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None  # gone for a moment while an editor replaces it: not a change yet


async def _watch(container: Container, path: Path) -> None:
    seen = _stamp(path)
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        now = _stamp(path)
        if now is not None and now != seen:
            seen = now
            _reload(container)


def reload_on_sighup(container: Container) -> Callable[[], None]:
    """Reload on SIGHUP and on a change of the file; return what stops both.

    Outside the main thread (a test's server in a thread) there are no signals and no watch.
    """
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, _reload, container)
    except (NotImplementedError, RuntimeError, ValueError):
        return lambda: None
    watcher = loop.create_task(_watch(container, config_file()))

    def stop() -> None:
        loop.remove_signal_handler(signal.SIGHUP)
        watcher.cancel()

    return stop
