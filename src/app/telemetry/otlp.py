"""``[telemetry] exporter = "otlp"``: the container's own tracer provider, sending to OTLP/HTTP.

The SDK's provider with a batching processor and a parent-based ratio sampler, as a
deployment runs it; built when the container starts, shut down (so flushed) when it stops.
Not the global provider: two containers in one process (tests, the demo) each keep theirs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from app.errors import ConfigError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from app.settings import TelemetrySection

TRACES_PATH = "/v1/traces"
"""Where an OTLP/HTTP collector takes spans, under its base URL."""


def require_extra() -> None:
    """ConfigError, in one line, unless the ``otlp`` extra (the SDK and the exporter) is there."""
    try:
        for module in ("opentelemetry.sdk.trace", "opentelemetry.exporter.otlp.proto.http"):
            importlib.import_module(module)
    except ImportError as exc:  # the extra's packages, not main dependencies
        raise ConfigError(
            "telemetry.exporter: 'otlp' needs the otlp extra "
            f"(pip install 'hexstudio[otlp]'): {exc}"
        ) from None


def tracer_provider(section: TelemetrySection) -> TracerProvider:
    """A provider that batches the spans ``section`` samples and sends them to its endpoint."""
    require_extra()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    # No endpoint: the exporter's own default, which reads the OTEL_EXPORTER_OTLP_* variables.
    endpoint = None if section.endpoint is None else section.endpoint + TRACES_PATH
    exporter = OTLPSpanExporter(endpoint=endpoint, timeout=section.export_timeout_seconds)
    provider = TracerProvider(
        sampler=ParentBased(TraceIdRatioBased(section.sample_rate)),
        resource=Resource.create({SERVICE_NAME: section.service_name}),
    )
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider
