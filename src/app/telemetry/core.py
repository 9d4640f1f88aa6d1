"""What telemetry holds for one container: the tracer its spans go to, and its metrics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opentelemetry import trace

from adapters.spi import DataSource
from app.errors import ConfigError
from app.migration import MigrationState

if TYPE_CHECKING:
    from app.telemetry.metrics import PortMetrics

INSTRUMENTATION = "hexstudio"
"""The instrumentation scope's name on every span."""


@dataclass(frozen=True)
class Telemetry:
    """The tracer spans are made with and the metrics ``/metrics`` renders."""

    tracer: trace.Tracer
    metrics: PortMetrics


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
) -> Telemetry:
    """Telemetry over ``state``; spans go to ``tracer_provider`` (default: the global one).

    The cache sources among ``sources`` have their counters on ``/metrics`` too.

    With no provider configured (by ``opentelemetry-instrument`` or the embedding app) the
    global one makes non-recording spans; the metrics work either way.
    """
    require_extra()
    from app.telemetry.metrics import PortMetrics

    tracer = trace.get_tracer(INSTRUMENTATION, tracer_provider=tracer_provider)
    return Telemetry(tracer, PortMetrics(state, sources))
