"""ListSlate over SQL with telemetry off vs on, through the real composition root.

Run: .venv/bin/python bench/telemetry_overhead.py [--rounds 30] [--sample 1.0] [--url URL]
Target (issue 14, item 9): on <= 1.05x off. "On" is what a deployment pays: the SDK's tracer
provider with a batching processor (its exporter drops the spans, so no I/O is timed), a
parent-based sampler recording ``--sample`` of the traces (1.0: every span), and the
Prometheus histogram; "off" is the container without any wrapper. A third contender, "on, no
SDK", is telemetry on with OpenTelemetry's no-op provider: the wrapper's and the histogram's
own cost. All run in one process over the same database, timed in interleaved rounds. With
``--url`` (an empty database) the bench migrates it, fills it and migrates it back to base.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from pathlib import Path

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import NoOpTracerProvider

from adapters.sql.migrate import downgrade, upgrade
from app.bootstrap import bootstrap
from app.settings import explicit_settings
from domain import PageRequest
from sql_common import interleaved, load

SIZE = 100


class Dropping(SpanExporter):
    """Counts the spans it is handed and drops them: the SDK's work without an exporter's I/O."""

    def __init__(self) -> None:
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Count ``spans``."""
        self.exported += len(spans)
        return SpanExportResult.SUCCESS


async def main(rounds: int, sample: float, given_url: str | None) -> None:
    """Seed 100 productions of 100 movies, then time ListSlate with telemetry off and on."""
    exporter = Dropping()
    provider = TracerProvider(sampler=ParentBased(TraceIdRatioBased(sample)))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    with tempfile.TemporaryDirectory() as tmp:
        url = given_url or f"sqlite+aiosqlite:///{Path(tmp) / 'slate.db'}"
        await upgrade(url)
        sources = {"default": "sql", "sql": {"url": url}}
        async with AsyncExitStack() as stack:
            off = await stack.enter_async_context(bootstrap(explicit_settings(data_source=sources)))
            on = await stack.enter_async_context(
                bootstrap(
                    explicit_settings(data_source=sources, telemetry={"enabled": True}),
                    tracer_provider=provider,
                )
            )
            no_sdk = await stack.enter_async_context(
                bootstrap(
                    explicit_settings(data_source=sources, telemetry={"enabled": True}),
                    tracer_provider=NoOpTracerProvider(),
                )
            )
            engine = off.sources["sql"].engine  # type: ignore[attr-defined]
            await load(engine, movies=SIZE, productions=SIZE)
            assert off.telemetry is None
            assert on.telemetry is not None

            async def telemetry_off() -> object:
                page = await off.interactors.list_slate(page=PageRequest(size=SIZE))
                assert len(page.items) == SIZE
                return page

            async def telemetry_on() -> object:
                page = await on.interactors.list_slate(page=PageRequest(size=SIZE))
                assert len(page.items) == SIZE
                return page

            async def telemetry_on_no_sdk() -> object:
                page = await no_sdk.interactors.list_slate(page=PageRequest(size=SIZE))
                assert len(page.items) == SIZE
                return page

            contenders: dict[str, Callable[[], Awaitable[object]]] = {
                "telemetry off": telemetry_off,
                "telemetry on": telemetry_on,
                "telemetry on, no SDK": telemetry_on_no_sdk,
            }
            for warm in contenders.values():  # statement caches, first imports
                await warm()
            medians = await interleaved(contenders, rounds, calls=20)
            dialect = engine.dialect.name
        provider.shutdown()  # flushes the batch: every span was made
        if given_url:
            await downgrade(given_url, "base")
    ratio = medians["telemetry on"] / medians["telemetry off"]
    averages = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"database: {dialect}; sample: {sample}; load average: {averages}")
    print(f"| path | ms per ListSlate (median of {rounds} rounds x 20 calls) |")
    print("|---|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.3f} |")
    print(f"\nspans recorded with telemetry on: {exporter.exported} (2 per ListSlate sampled)")
    print(f"ratio on / off: {ratio:.3f}x (target <= 1.05x)")
    print(
        f"ratio on, no SDK / off: {medians['telemetry on, no SDK'] / medians['telemetry off']:.3f}x"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--sample", type=float, default=1.0, help="share of traces recorded")
    parser.add_argument("--url", help="an empty database to use instead of a SQLite file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.sample, arguments.url))
