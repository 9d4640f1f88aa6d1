"""``[telemetry] exporter = "otlp"``: a running ``hexstudio serve`` sends its spans to a collector.

The collector is a test HTTP server on a free loopback port that takes ``POST /v1/traces``
and decodes each body with the ``opentelemetry-proto`` classes, as a real collector would.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from app.bootstrap import bootstrap
from app.errors import ConfigError
from app.settings import Settings, load_settings

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")
RUNNING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
JSON_API = {"Content-Type": "application/vnd.api+json"}


class Collector:
    """What the test collector received: each export request, decoded, and the paths asked."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def spans(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(name, attributes, resource attributes) of every span received."""
        found = []
        with self.lock:
            for request in self.requests:
                for resource_spans in request.resource_spans:
                    resource = _values(resource_spans.resource.attributes)
                    for scope_spans in resource_spans.scope_spans:
                        for span in scope_spans.spans:
                            found.append((span.name, _values(span.attributes), resource))
        return found


def _values(attributes: Any) -> dict[str, Any]:
    return {a.key: getattr(a.value, a.value.WhichOneof("value")) for a in attributes}


@pytest.fixture
def collector() -> Iterator[tuple[Collector, str]]:
    received = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            with received.lock:
                received.paths.append(self.path)
                received.requests.append(request)
            answer = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the test reads what was received, not the access log

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _wait_for(log: Path, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while True:
        found = RUNNING.search(log.read_text())
        if found:
            return int(found.group(1))
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)  # uvicorn offers no readiness hook but its log


TOML = """
[service]
data_source = "memory"
[data_source]
default = "memory"
[telemetry]
enabled = true
exporter = "otlp"
endpoint = "{endpoint}"
service_name = "hexstudio-test"
"""


def test_happy_path_serve_sends_its_spans_to_the_otlp_collector_and_flushes_at_exit(
    tmp_path: Path, collector: tuple[Collector, str]
) -> None:
    received, endpoint = collector
    (tmp_path / "hexstudio.toml").write_text(TOML.format(endpoint=endpoint))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEXSTUDIO_", "OTEL_"))}
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
        base = f"http://127.0.0.1:{_wait_for(log, process)}/api/movies"
        body = {"data": {"type": "movies", "attributes": {"title": "Exported"}}}
        created = httpx.post(base, json=body, headers=JSON_API)
        assert created.status_code == 201, created.text
        assert httpx.get(f"{base}/{created.json()['data']['id']}").status_code == 200
        assert httpx.get(f"{base}/00000000-0000-4000-8000-000000000000").status_code == 404
        # The batch waits seconds before it sends: what stopping flushes is what is tested.
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal: killed by it, after that.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()
        assert "Application shutdown complete" in log.read_text()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    assert received.paths, log.read_text()
    assert set(received.paths) == {"/v1/traces"}
    spans = received.spans()
    assert {resource.get("service.name") for _, _, resource in spans} == {"hexstudio-test"}
    calls = [
        (
            name,
            attributes.get("hexstudio.repository"),
            attributes.get("hexstudio.operation"),
            attributes.get("hexstudio.data_source"),
            attributes.get("hexstudio.role"),
            attributes.get("hexstudio.outcome"),
            attributes.get("error.type"),
        )
        for name, attributes, _ in spans
    ]
    assert ("movies.add", "movies", "add", "memory", "primary", "ok", None) in calls
    assert ("commit", None, "commit", "memory", "primary", "ok", None) in calls
    assert ("movies.get", "movies", "get", "memory", "primary", "ok", None) in calls
    missing = ("movies.get", "movies", "get", "memory", "primary", "not_found", "NotFound")
    assert missing in calls
    # The start's configuration check lists every repository once; it traces nothing, so a
    # collector that is not up yet cannot hold the start for the exporter's retries.
    assert not [call for call in calls if call[0] == "locations.list"], calls


async def test_unhappy_path_otlp_without_the_extra_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A module set to None in sys.modules is one import refuses: the extra as if not installed.
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.http", None)
    settings = Settings(
        data_source={"default": "memory"},  # type: ignore[arg-type]
        telemetry={"enabled": True, "exporter": "otlp"},  # type: ignore[arg-type]
    )
    with pytest.raises(ConfigError) as raised:
        async with bootstrap(settings):
            pass
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("telemetry.exporter: 'otlp' needs the otlp extra")
    assert "pip install 'hexstudio[otlp]'" in message


@pytest.mark.parametrize(
    ("telemetry", "expected"),
    [
        (
            {"exporter": "otlp"},
            "telemetry.exporter: Value error, 'otlp' needs telemetry.enabled = true",
        ),
        (
            {"enabled": True, "exporter": "zipkin"},
            "telemetry.exporter: Input should be 'none' or 'otlp' (got 'zipkin')",
        ),
        (
            {"enabled": True, "exporter": "otlp", "endpoint": "127.0.0.1:4318"},
            "telemetry.endpoint: Value error, expected the collector's http(s) URL",
        ),
        (
            {"enabled": True, "sample_rate": 1.5},
            "telemetry.sample_rate: Input should be less than or equal to 1 (got 1.5)",
        ),
        ({"enabled": True, "service_name": ""}, "telemetry.service_name: String should have"),
    ],
)
def test_unhappy_path_a_bad_exporter_setting_names_its_key_and_value(
    telemetry: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(expected)):
        load_settings(telemetry=telemetry)


async def test_the_container_s_own_provider_is_shut_down_with_it(
    collector: tuple[Collector, str],
) -> None:
    received, endpoint = collector
    settings = Settings(
        data_source={"default": "memory"},  # type: ignore[arg-type]
        telemetry={"enabled": True, "exporter": "otlp", "endpoint": endpoint},  # type: ignore[arg-type]
    )
    async with bootstrap(settings) as container:
        await container.interactors.list_slate()
        assert received.spans() == []  # batched: nothing sent yet
    assert [name for name, _, _ in received.spans()] == ["productions.list", "movies.get_many"]
