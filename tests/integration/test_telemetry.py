"""Telemetry (issue 14, item 9): a span per port call, ``/metrics``, and nothing when off."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import sys
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from adapters.cache import CacheDataSource
from adapters.memory import MemoryDataSource
from app.bootstrap import bootstrap
from app.errors import ConfigError
from app.migration.reads import bucket
from app.service import create_app
from app.settings import Settings
from app.telemetry import TracedSource, TracedUnitOfWork
from app.wrapped_uow import WrappedUnitOfWork
from domain import MOVIES, Movie, MovieQuery, NotFound, PageRequest
from domain.ports import bulk_add
from tests.support.redis import redis_prefix, redis_url

ATTRIBUTES = {"hexstudio.repository", "hexstudio.operation", "hexstudio.data_source"}
LABELS = {"repository", "operation", "source", "role", "outcome"}
UUID_LIKE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
DOWN = {"kind": "json_api", "url": "http://127.0.0.1:9", "timeout": 0.5}
"""A source nothing listens for: every read of it is DataSourceUnavailable, at once."""


def _on(**data: Any) -> Settings:
    return Settings(telemetry={"enabled": True}, **data)


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


async def test_happy_path_each_port_call_of_a_use_case_is_one_span_with_its_attributes(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with bootstrap(
        _on(data_source={"default": "memory"}), tracer_provider=provider
    ) as container:
        studio = container.interactors
        movie = await studio.register_movie(title="Traced")
        await studio.onboard_production(
            movie_id=movie.id,
            budget={"amount": "1000", "currency": "USD"},
            starts_on=dt.date(2027, 1, 4),
            wraps_on=dt.date(2027, 2, 5),
        )
        exporter.clear()
        slate = await studio.list_slate()
    assert [entry.movie.id for entry in slate.items] == [movie.id]
    finished = exporter.get_finished_spans()
    # ListSlate makes exactly two port calls (docstring: "two reads"): two spans, in order.
    assert [span.name for span in finished] == ["productions.list", "movies.get_many"]
    for span, (repository, operation) in zip(
        finished, [("productions", "list"), ("movies", "get_many")], strict=True
    ):
        assert _attributes(span) == {
            "hexstudio.repository": repository,
            "hexstudio.operation": operation,
            "hexstudio.data_source": "memory",
            "hexstudio.role": "primary",
            "hexstudio.outcome": "ok",
        }
        assert span.status.status_code is StatusCode.UNSET
        assert span.instrumentation_scope is not None
        assert span.instrumentation_scope.name == "hexstudio"


async def test_a_write_is_a_span_per_call_and_the_commit_one_more(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with bootstrap(
        _on(data_source={"default": "memory"}), tracer_provider=provider
    ) as container:
        await container.interactors.register_movie(title="Written")
    names = [
        (s.name, _attributes(s).get("hexstudio.outcome")) for s in exporter.get_finished_spans()
    ]
    assert names[-2:] == [("movies.add", "ok"), ("commit", "ok")]
    assert "hexstudio.repository" not in _attributes(exporter.get_finished_spans()[-1])


async def test_a_batch_of_adds_is_one_span_and_reaches_the_store(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with bootstrap(
        _on(data_source={"default": "memory"}), tracer_provider=provider
    ) as container:
        async with container.uow() as uow:
            batch = [Movie(title=f"Copied {n}") for n in range(3)]
            await bulk_add(uow.repository(MOVIES), batch)
            await uow.commit()
        names = [s.name for s in exporter.get_finished_spans()]
        async with container.uow() as uow:
            found = await uow.repository(MOVIES).get_many([m.id for m in batch])
    assert names == ["movies.add_many", "commit"]  # not three spans of movies.add
    assert set(found) == {m.id for m in batch}


async def test_unhappy_path_an_answer_that_is_an_error_names_its_outcome_and_type(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    async with bootstrap(_on(data_source={"default": "memory"}), tracer_provider=provider) as c:
        async with c.uow() as uow:
            with pytest.raises(NotFound):
                await uow.repository(MOVIES).get(uuid4())
    [span] = exporter.get_finished_spans()
    assert _attributes(span)["hexstudio.outcome"] == "not_found"
    assert _attributes(span)["error.type"] == "NotFound"
    # NotFound is an answer the port may give, not a failure of the source.
    assert span.status.status_code is StatusCode.UNSET


async def test_spans_tell_primary_dial_and_shadow_reads_apart(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    settings = _on(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},
        repositories={
            "movies": {"dial": {"to": "legacy", "percent": 50}, "shadow": {"to": "legacy"}}
        },
    )
    async with bootstrap(settings, tracer_provider=provider) as container:
        ids = [uuid4() for _ in range(20)]
        exporter.clear()
        for id in ids:
            async with container.uow() as uow:
                with pytest.raises(NotFound):
                    await uow.repository(MOVIES).get(id)
        await container.migration.drain()
    finished = [_attributes(s) for s in exporter.get_finished_spans()]
    dialed = {str(id) for id in ids if bucket(f"movies:{id}") < 50}
    assert 0 < len(dialed) < len(ids), "the ids must fall on both sides of the dial"
    on_path = [a for a in finished if a["hexstudio.role"] != "shadow"]
    roles = sorted((a["hexstudio.role"], a["hexstudio.data_source"]) for a in on_path)
    assert roles == sorted(
        [("dial", "legacy")] * len(dialed) + [("primary", "memory")] * (len(ids) - len(dialed))
    )
    shadows = [a for a in finished if a["hexstudio.role"] == "shadow"]
    # Every read shadowed (sample 1.0) on legacy; some are noise re-reads of the primary.
    assert sum(a["hexstudio.data_source"] == "legacy" for a in shadows) == len(ids)
    assert all(a.keys() >= ATTRIBUTES for a in finished)


async def test_a_read_the_fallback_answered_is_a_fallback_span_and_counted_on_metrics(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    settings = _on(
        data_source={"default": "memory", "down": DOWN},
        repositories={"movies": {"read": "down", "write": "memory", "fallback": "memory"}},
    )
    async with bootstrap(settings, tracer_provider=provider) as container:
        for _ in range(4):  # three failures open the breaker; the fourth goes straight over
            async with container.uow() as uow:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest())
        text = container.telemetry.metrics.render().decode() if container.telemetry else ""
    outcomes = [
        (_attributes(s)["hexstudio.data_source"], _attributes(s)["hexstudio.role"])
        for s in exporter.get_finished_spans()
    ]
    assert outcomes == [("down", "primary"), ("memory", "fallback")] * 3 + [("memory", "fallback")]
    down = exporter.get_finished_spans()[0]
    assert _attributes(down)["hexstudio.outcome"] == "unavailable"
    assert _attributes(down)["error.type"] == "DataSourceUnavailable"
    assert down.status.status_code is StatusCode.ERROR
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("hexstudio_fallbacks_total", (("repository", "movies"),))] == 4
    assert samples[("hexstudio_breaker_transitions_total", (("source", "down"),))] == 1
    assert samples[("hexstudio_breaker_open", (("source", "down"),))] == 1


async def test_metrics_answers_the_prometheus_text_format_behind_the_read_token() -> None:
    settings = _on(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},
        repositories={"movies": {"shadow": {"to": "legacy"}, "fallback": "legacy"}},
        service={"read_token": SecretStr("reader"), "token": SecretStr("writer")},
    )
    async with bootstrap(settings) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            writer, reader = {"Authorization": "Bearer writer"}, {"Authorization": "Bearer reader"}
            created = await client.post(
                "/api/movies",
                json={"data": {"type": "movies", "attributes": {"title": "Scraped"}}},
                headers={**writer, "Content-Type": "application/vnd.api+json"},
            )
            assert created.status_code == 201, created.text
            movie = created.json()["data"]["id"]
            assert (await client.get(f"/api/movies/{movie}", headers=reader)).status_code == 200
            await container.migration.drain()
            refused = await client.get("/metrics")
            answer = await client.get("/metrics", headers=reader)
    assert refused.status_code == 401
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    durations = families["hexstudio_port_call_duration_seconds"]
    assert durations.type == "histogram"
    assert durations.unit in ("", "seconds")
    counted = {
        (s.labels["operation"], s.labels["source"], s.labels["role"], s.labels["outcome"])
        for s in durations.samples
        if s.name.endswith("_count")
    }
    assert ("add", "memory", "primary", "ok") in counted
    assert ("commit", "memory", "primary", "ok") in counted
    assert ("get", "memory", "primary", "ok") in counted
    assert ("get", "legacy", "shadow", "not_found") in counted
    for name in (
        "hexstudio_shadow_comparisons",
        "hexstudio_shadow_mismatches",
        "hexstudio_fallbacks",
        "hexstudio_breaker_transitions",
    ):
        assert families[name].type == "counter", name
    comparisons = families["hexstudio_shadow_comparisons"].samples
    assert [(s.labels, s.value) for s in comparisons] == [({"repository": "movies"}, 1.0)]
    mismatches = families["hexstudio_shadow_mismatches"].samples
    assert [(s.labels, s.value) for s in mismatches] == [({"repository": "movies"}, 1.0)]
    for family in families.values():
        assert family.name.startswith("hexstudio_"), family.name
        for sample in family.samples:
            assert set(sample.labels) - {"le"} <= LABELS, (sample.name, sample.labels)
            assert not any(UUID_LIKE.search(v) for v in sample.labels.values()), sample


async def test_with_telemetry_off_no_wrapper_is_installed_and_no_metrics_served() -> None:
    settings = Settings(data_source={"default": "memory"})
    assert settings.telemetry.enabled is False
    async with bootstrap(settings) as container:
        assert container.telemetry is None
        assert container.uow == container.sources["memory"].unit_of_work  # the source's own
        async with container.uow() as uow:
            assert type(uow).__module__.startswith("adapters.memory")
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            assert (await client.get("/metrics")).status_code == 404


async def test_with_telemetry_on_the_units_of_work_are_measured() -> None:
    async with bootstrap(_on(data_source={"default": "memory"})) as container:
        assert container.telemetry is not None
        assert container.uow != container.sources["memory"].unit_of_work
        assert isinstance(getattr(container.uow, "__self__", None), TracedSource)


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXSTUDIO_TELEMETRY__ENABLED", "true")
    assert Settings().telemetry.enabled is True


async def test_unhappy_path_on_without_the_extra_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"telemetry\.enabled: needs the telemetry extra"):
        async with bootstrap(_on(data_source={"default": "memory"})):
            pass


async def test_with_telemetry_off_a_routed_unit_of_work_holds_the_sources_own_units() -> None:
    settings = Settings(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},
        repositories={"movies": {"shadow": {"to": "legacy"}}},
    )
    async with bootstrap(settings) as container:
        units = vars(container.uow())["_units"]
    assert units
    assert not any(isinstance(unit, TracedUnitOfWork) for unit in units.values())


async def test_with_telemetry_on_a_routed_unit_of_work_holds_measured_units() -> None:
    settings = _on(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},
        repositories={"movies": {"shadow": {"to": "legacy"}}},
    )
    async with bootstrap(settings) as container:
        units = vars(container.uow())["_units"]
    assert units
    assert all(isinstance(unit, TracedUnitOfWork) for unit in units.values())


@pytest.mark.server
async def test_each_cache_source_s_counters_are_on_metrics_by_source_and_entity_type() -> None:
    async with redis_prefix() as prefix:
        cached = {"kind": "cache", "over": "memory", "redis_url": redis_url(), "prefix": prefix}
        settings = _on(
            data_source={"default": "memory", "cached": cached},
            repositories={"movies": {"read": "cached", "write": "cached"}},
        )
        async with bootstrap(settings) as container:
            cache = container.sources["cached"]
            assert isinstance(cache, CacheDataSource)
            async with container.uow():
                pass  # the first unit of work subscribes to the invalidations
            await asyncio.wait_for(cache.listener.ready.wait(), 5)
            movie = await container.interactors.register_movie(title="Counted")  # 1 write
            async with asyncio.timeout(5):  # this worker hears its own commit's message too
                # Polled: the listener counts, it has no event to wait on.
                while cache.listener.received < 1:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
            missing = uuid4()

            async def get(id: UUID) -> None:
                async with container.uow() as uow:
                    with contextlib.suppress(NotFound):
                        await uow.repository(MOVIES).get(id)

            await get(movie.id)  # a hit: the commit put the entry
            await asyncio.gather(get(missing), get(missing))  # one miss, one joined it
            await get(missing)  # the cached NotFound: a hit
            text = container.telemetry.metrics.render().decode() if container.telemetry else ""
    families = {f.name: f for f in text_string_to_metric_families(text)}
    by_type = ("hits", "hot_hits", "misses", "coalesced", "invalidations")
    figures = {
        name: {
            (s.labels["source"], s.labels["entity_type"]): s.value
            for s in families[f"hexstudio_cache_{name}"].samples
        }
        for name in by_type
    }
    movies = ("cached", "movies")
    assert {name: figures[name][movies] for name in by_type} == {
        "hits": 2,
        "hot_hits": 0,
        "misses": 1,
        "coalesced": 1,
        "invalidations": 1,
    }
    per_source = ("redis_errors", "redis_skipped", "upstream_reads", "invalidations_received")
    assert {
        name: [(s.labels, s.value) for s in families[f"hexstudio_cache_{name}"].samples]
        for name in per_source
    } == {
        "redis_errors": [({"source": "cached"}, 0)],
        "redis_skipped": [({"source": "cached"}, 0)],
        "upstream_reads": [({"source": "cached"}, 1)],
        "invalidations_received": [({"source": "cached"}, 1)],
    }
    for name in (*by_type, *per_source):
        assert families[f"hexstudio_cache_{name}"].type == "counter", name
    assert families["hexstudio_cache_hot_keys"].type == "gauge"
    for family in families.values():
        for sample in family.samples:
            assert not any(UUID_LIKE.search(v) for v in sample.labels.values()), sample


async def test_without_a_cache_source_no_cache_metric_is_served() -> None:
    async with bootstrap(_on(data_source={"default": "memory"})) as container:
        text = container.telemetry.metrics.render().decode() if container.telemetry else "none"
    assert "hexstudio_fallbacks_total" in text
    assert "hexstudio_cache_" not in text


class _ClientSpans(WrappedUnitOfWork):
    """A source's unit of work whose reads make a span of their own, as an instrumented
    client library (httpx, SQLAlchemy) does inside a port call."""

    def __init__(self, inner: Any, tracer: Any) -> None:
        super().__init__(inner)
        self._tracer = tracer

    def wrap(self, repository: Any, entity: Any) -> Any:
        tracer = self._tracer

        class Reads:
            async def get_many(self, ids: Any) -> Any:
                with tracer.start_as_current_span("client request"):
                    return await repository.get_many(ids)

            async def list(self, query: Any, page: Any) -> Any:
                with tracer.start_as_current_span("client request"):
                    return await repository.list(query, page)

        return Reads()


class _ClientSpanning(MemoryDataSource):
    def __init__(self, tracer: Any) -> None:
        super().__init__()
        self._tracer = tracer

    def unit_of_work(self) -> Any:
        return _ClientSpans(super().unit_of_work(), self._tracer)


async def test_a_span_made_inside_a_port_call_is_its_child_and_the_port_call_the_caller_s(
    spans: tuple[TracerProvider, InMemorySpanExporter],
) -> None:
    provider, exporter = spans
    tracer = provider.get_tracer("test")
    settings = Settings(telemetry={"enabled": True})  # type: ignore[arg-type]
    source = _ClientSpanning(tracer)
    async with bootstrap(settings, source=source, tracer_provider=provider) as container:
        with tracer.start_as_current_span("request"):
            await container.interactors.list_slate()
    by_name: dict[str, list[Any]] = {}
    for span in exporter.get_finished_spans():
        by_name.setdefault(span.name, []).append(span)
    (request,) = by_name["request"]
    port_calls = by_name["productions.list"] + by_name["movies.get_many"]
    assert [call.parent.span_id for call in port_calls] == [request.context.span_id] * 2
    clients = by_name["client request"]
    assert sorted(c.parent.span_id for c in clients) == sorted(
        call.context.span_id for call in port_calls
    )
