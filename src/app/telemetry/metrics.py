"""The Prometheus side: port-call durations, and the migration's and caches' counters.

Names carry the ``hexstudio_`` prefix and base units (seconds); every label's values come
from the configuration, the catalog or the code (repository, operation, source, role, outcome,
entity_type), never from the data, so the number of series is bounded by the configuration.
Counters kept elsewhere (``MigrationState``, each cache source's ``CacheStats``) are read when
scraped, never counted twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from adapters.spi import DataSource
from app.migration import MigrationState

if TYPE_CHECKING:
    from adapters.cache import CacheDataSource

__all__ = ["CONTENT_TYPE", "PortMetrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The Prometheus text format's media type: the classic version every scraper reads, which
``generate_latest`` writes for names like these (no UTF-8 beyond the legacy charset)."""
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Port calls take from well under a millisecond (memory, SQLite) to seconds (a slow service)."""
LABELS = ("repository", "operation", "source", "role", "outcome")

Key = tuple[str, str, str, str, str]


class PortMetrics:
    """One container's metrics, in a registry of its own (two containers never collide)."""

    def __init__(
        self, state: MigrationState, sources: Mapping[str, DataSource] | None = None
    ) -> None:
        self.registry = CollectorRegistry()
        self._durations = Histogram(
            "hexstudio_port_call_duration_seconds",
            "Duration of port calls (repository operations and commits), in seconds.",
            LABELS,
            registry=self.registry,
            buckets=BUCKETS,
        )
        # The labelled child per label set, looked up once: labels() takes a lock each call.
        self._children: dict[Key, Histogram] = {}
        self.registry.register(_MigrationCollector(state))
        caches = cache_sources(sources or {})
        if caches:
            self.registry.register(_CacheCollector(caches))

    def child(self, key: Key) -> Histogram:
        """The histogram of the port calls labelled ``key`` (in the order of ``LABELS``).

        Callers keep it: ``labels()`` takes a lock and builds a tuple each time.
        """
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._durations.labels(*key)
        return child

    def observe(self, key: Key, seconds: float) -> None:
        """Record one port call's duration under its labels (the order of ``LABELS``)."""
        self.child(key).observe(seconds)

    def render(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


class _MigrationCollector(Collector):
    """The counters ``MigrationState`` already keeps, as Prometheus counters at scrape time."""

    def __init__(self, state: MigrationState) -> None:
        self._state = state

    def collect(self) -> Iterator[Metric]:
        """One family per figure, labelled by repository (breakers: by source)."""
        per_repository = {
            "shadow_comparisons": (
                "Shadow reads compared with the primary's answer.",
                "comparisons",
            ),
            "shadow_mismatches": (
                "Shadow reads whose answer differed from the primary's.",
                "mismatches",
            ),
            "shadow_noise_comparisons": (
                "Primary reads compared with the primary again (the noise baseline).",
                "noise_comparisons",
            ),
            "shadow_noise_mismatches": (
                "Noise-baseline reads that differed: the floor of the mismatch rate.",
                "noise_mismatches",
            ),
            "shadow_failures": ("Shadow reads that failed or ran out of time.", "shadow_failures"),
            "shadow_shed": ("Reads not shadowed because too many shadows were in flight.", "shed"),
            "fallbacks": ("Reads answered by the fallback source.", "fallbacks"),
        }
        counts = dict(self._state.counts)  # a copy: a request may add a repository meanwhile
        for name, (documentation, attribute) in per_repository.items():
            family = CounterMetricFamily(f"hexstudio_{name}", documentation, labels=["repository"])
            for repository, figures in sorted(counts.items()):
                family.add_metric([repository], getattr(figures, attribute))
            yield family
        breakers = dict(self._state.breakers)
        transitions = CounterMetricFamily(
            "hexstudio_breaker_transitions",
            "Changes of state of a data source's circuit breaker.",
            labels=["source"],
        )
        is_open = GaugeMetricFamily(
            "hexstudio_breaker_open",
            "1 while a data source's circuit breaker is open or half open, else 0.",
            labels=["source"],
        )
        for source, breaker in sorted(breakers.items()):
            transitions.add_metric([source], breaker.transitions)
            is_open.add_metric([source], float(breaker.state != "closed"))
        yield transitions
        yield is_open


def cache_sources(sources: Mapping[str, DataSource]) -> dict[str, CacheDataSource]:
    """The cache sources among ``sources``, by name; none without the ``cache`` extra."""
    try:
        from adapters.cache import CacheDataSource
    except ImportError:  # redis is the cache extra's: without it no source can be a cache
        return {}
    return {name: s for name, s in sources.items() if isinstance(s, CacheDataSource)}


_PER_TYPE = {
    "hits": "Ids answered from Redis.",
    "hot_hits": "Ids answered from the in-process tier of hot keys.",
    "misses": "Ids read from the wrapped source.",
    "coalesced": "Reads that joined a read of the same id in flight instead of starting one.",
    "invalidations": "Entries replaced or removed after a commit through this worker's cache.",
}
"""``hexstudio_cache_<name>``, by source and entity type: ``KindStats``'s counters."""
_PER_SOURCE = {
    "redis_errors": "Redis calls that failed or timed out (each made the cache step aside).",
    "redis_skipped": "Redis calls not made because the cache was stepping aside.",
    "upstream_reads": "Calls of the wrapped source's get and get_many.",
    "invalidations_received": "Invalidations of hot keys received from other workers.",
}


class _CacheCollector(Collector):
    """Each cache source's ``CacheStats`` as ``hexstudio_cache_*``, read at scrape time."""

    def __init__(self, caches: Mapping[str, CacheDataSource]) -> None:
        self._caches = dict(caches)

    def collect(self) -> Iterator[Metric]:
        """Counters by source and entity type, per-source ones, and the hot keys held."""
        caches = sorted(self._caches.items())
        per_type = {
            name: CounterMetricFamily(
                f"hexstudio_cache_{name}", documentation, labels=["source", "entity_type"]
            )
            for name, documentation in _PER_TYPE.items()
        }
        for source, cache in caches:
            for plural, kind in sorted(dict(cache.stats.kinds).items()):
                labels = [source, plural]
                per_type["hits"].add_metric(labels, kind.hits)
                per_type["hot_hits"].add_metric(labels, kind.hot_hits)
                per_type["misses"].add_metric(labels, kind.misses)
                per_type["coalesced"].add_metric(labels, kind.coalesced)
                per_type["invalidations"].add_metric(labels, kind.writes)
        yield from per_type.values()
        for name, documentation in _PER_SOURCE.items():
            family = CounterMetricFamily(
                f"hexstudio_cache_{name}", documentation, labels=["source"]
            )
            for source, cache in caches:
                family.add_metric([source], _per_source(cache, name))
            yield family
        hot = GaugeMetricFamily(
            "hexstudio_cache_hot_keys",
            "Keys held in the in-process tier of hot keys now.",
            labels=["source"],
        )
        for source, cache in caches:
            hot.add_metric([source], len(cache.hot))
        yield hot


def _per_source(cache: CacheDataSource, name: str) -> int:
    stats = cache.stats
    figures = {
        "redis_errors": stats.redis_errors,
        "redis_skipped": stats.skipped,
        "upstream_reads": stats.upstream_reads,
        "invalidations_received": cache.listener.received,
    }
    return figures[name]
