"""Run an ASGI app in a background thread on a free loopback port (demo, tests, benchmarks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from app.service.protocol import StrictH11Protocol


@contextmanager
def serve_in_thread(app: ASGIApp, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a port the OS picks; yield its base URL; stop it on exit."""
    config = uvicorn.Config(
        app,
        host=host,
        port=0,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=StrictH11Protocol,  # refuses folded header lines (see app.service.protocol)
        proxy_headers=False,  # X-Forwarded-* are the service's to trust (app.service.origin)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hexstudio-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the service did not start (see the log above)")
        time.sleep(0.01)  # uvicorn offers no start event to wait on; poll its flag
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
