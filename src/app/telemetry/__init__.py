"""Telemetry, the migration's eyes: a span and a timing per port call, and ``/metrics``.

Off by default (``[telemetry] enabled``); when off nothing here is even imported. When on,
the composition root wraps each data source's units of work (``traced_sources``), so every
repository call and commit, on the request's path or a shadow's, is one span and one
observation of ``hexstudio_port_call_duration_seconds``. The migration's counters are read
from ``MigrationState`` when scraped, never counted twice.
"""

from app.telemetry.core import Telemetry, start
from app.telemetry.uow import TracedSource, TracedUnitOfWork, traced_sources

__all__ = ["Telemetry", "TracedSource", "TracedUnitOfWork", "start", "traced_sources"]
