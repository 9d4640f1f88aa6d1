"""``hexstudio serve`` reloads its routes on SIGHUP: dial a percent up without a restart.

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

from app.bootstrap import Container, reload_routes
from app.errors import ConfigError
from app.settings import load_settings

log = logging.getLogger("uvicorn.error")  # uvicorn's own log: where serve's operators look


def reload_on_sighup(container: Container) -> Callable[[], None]:
    """Install the handler on the running loop; return what removes it again.

    Outside the main thread (a test's server in a thread) there are no signals: nothing to do.
    """
    loop = asyncio.get_running_loop()

    def reload() -> None:
        try:
            log.warning(reload_routes(container, load_settings()))
        except ConfigError as exc:
            log.warning("routes not reloaded: %s", exc)

    try:
        loop.add_signal_handler(signal.SIGHUP, reload)
    except (NotImplementedError, RuntimeError, ValueError):
        return lambda: None

    def stop() -> None:
        loop.remove_signal_handler(signal.SIGHUP)

    return stop
