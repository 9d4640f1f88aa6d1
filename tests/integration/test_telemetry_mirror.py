"""Telemetry of dual writes: the relay's port calls on the mirror are spans and timings too."""

from __future__ import annotations

from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from app.bootstrap import bootstrap
from app.settings import Settings
from domain import MOVIES, Movie


def _mirrored(tmp_path: Path) -> Settings:
    return Settings(
        data_source={"default": "memory", "copy": {"kind": "memory"}},  # type: ignore[arg-type]
        repositories={  # type: ignore[arg-type]
            "movies": {"write": "memory", "mirror": {"to": "copy", "outbox": str(tmp_path / "o")}}
        },
        telemetry={"enabled": True},  # type: ignore[arg-type]
    )


async def test_happy_path_the_relay_s_writes_are_spans_and_timings_in_the_mirror_role(
    tmp_path: Path, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    async with bootstrap(_mirrored(tmp_path), tracer_provider=provider) as container:
        async with container.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Sent on"))
            await uow.commit()
        await container.migration.drain()
        assert container.migration.relays["copy"].figures()["applied"] == 1
        assert container.telemetry is not None
        scraped = container.telemetry.metrics.render().decode()
    calls = [
        (
            s.name,
            (s.attributes or {}).get("hexstudio.data_source"),
            (s.attributes or {}).get("hexstudio.role"),
            (s.attributes or {}).get("hexstudio.outcome"),
        )
        for s in exporter.get_finished_spans()
    ]
    # The request's write, then the relay's: is it there already (no), add it, commit.
    assert calls == [
        ("movies.add", "memory", "primary", "ok"),
        ("commit", "memory", "primary", "ok"),
        ("movies.get", "copy", "mirror", "not_found"),
        ("movies.add", "copy", "mirror", "ok"),
        ("commit", "copy", "mirror", "ok"),
    ]
    counts = {
        (sample.labels["source"], sample.labels["operation"], sample.labels["role"]): sample.value
        for family in text_string_to_metric_families(scraped)
        if family.name == "hexstudio_port_call_duration_seconds"
        for sample in family.samples
        if sample.name.endswith("_count")
    }
    assert counts[("copy", "add", "mirror")] == 1
    assert counts[("copy", "commit", "mirror")] == 1
    assert {role for _, _, role in counts} == {"primary", "mirror"}
    assert str(movie.id) not in scraped  # labels bounded: never an id


async def test_unhappy_path_a_mirror_that_refuses_is_an_error_span_in_the_mirror_role(
    tmp_path: Path, spans: tuple[TracerProvider, InMemorySpanExporter]
) -> None:
    provider, exporter = spans
    settings = _mirrored(tmp_path)
    settings.data_source = settings.data_source.model_validate(
        {"default": "memory", "copy": {"kind": "json_api", "url": "http://127.0.0.1:9"}}
    )
    async with bootstrap(settings, tracer_provider=provider) as container:
        async with container.uow() as uow:
            await uow.repository(MOVIES).add(Movie(title="Not sent"))
            await uow.commit()
        await container.migration.drain()
        assert container.migration.relays["copy"].figures()["pending"] == 1
    relayed = [
        s
        for s in exporter.get_finished_spans()
        if (s.attributes or {}).get("hexstudio.role") == "mirror"
    ]
    assert relayed, "the relay's failed read is a span too"
    assert {(s.attributes or {}).get("hexstudio.outcome") for s in relayed} == {"unavailable"}
    assert {(s.attributes or {}).get("error.type") for s in relayed} == {"DataSourceUnavailable"}
