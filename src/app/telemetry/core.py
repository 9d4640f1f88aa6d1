"""What telemetry holds for one container: the tracer its spans go to, and its metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opentelemetry import trace

from adapters.spi import DataSource
from app.errors import ConfigError
from app.migration import MigrationState

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider

    from app.settings import TelemetrySection
    from app.telemetry.metrics import PortMetrics

INSTRUMENTATION = "hexstudio"
"""The instrumentation scope's name on every span."""


@dataclass(frozen=True)
class Telemetry:
    """The tracer spans are made with and the metrics ``/metrics`` renders."""

    tracer: trace.Tracer
    metrics: PortMetrics
    owned: SdkTracerProvider | None = None
    """The provider the container built for itself (``exporter = "otlp"``), shut down with it."""

    async def aclose(self) -> None:
        """Shut the container's own provider down: the spans still batched are sent now.

        In a thread: the export is a blocking HTTP request, bounded by the export timeout.
        """
        if self.owned is not None:
            await asyncio.to_thread(self.owned.shutdown)


def require_extra() -> None:
    """ConfigError, in one line, unless the ``telemetry`` extra (prometheus-client) is there."""
    try:
        import prometheus_client  # noqa: F401
    except ImportError as exc:  # prometheus-client is the extra's, not a main dependency
        raise ConfigError(
            "telemetry.enabled: needs the telemetry extra (pip install 'hexstudio[telemetry]'): "
            f"{exc}"
        ) from None


def start(
    state: MigrationState,
    tracer_provider: trace.TracerProvider | None = None,
    sources: Mapping[str, DataSource] | None = None,
    section: TelemetrySection | None = None,
) -> Telemetry:
    """Telemetry over ``state``; spans go to ``tracer_provider``, else as ``section`` says.

    The cache sources among ``sources`` have their counters on ``/metrics`` too. With
    ``exporter = "otlp"`` and no provider given, the container builds its own (see
    ``app.telemetry.otlp``); otherwise spans go to the global provider, which makes
    non-recording spans unless ``opentelemetry-instrument`` or the embedding app configured
    one. The metrics work either way.
    """
    require_extra()
    from app.telemetry.metrics import PortMetrics

    owned = None
    if tracer_provider is None and section is not None and section.exporter == "otlp":
        from app.telemetry.otlp import tracer_provider as otlp_provider

        tracer_provider = owned = otlp_provider(section)
    tracer = trace.get_tracer(INSTRUMENTATION, tracer_provider=tracer_provider)
    return Telemetry(tracer, PortMetrics(state, sources), owned)
