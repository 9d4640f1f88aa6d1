"""The cache's stats reports summed across workers, and the hot tier's last second."""

from __future__ import annotations

from adapters.cache.hot import HotTier
from adapters.cache.report import Report, summed


def test_happy_path_reports_are_summed_with_their_ages_and_hot_keys() -> None:
    a = Report("a", at=100.0, counters={"hits": 6, "hot_hits": 2, "misses": 2}, hot={"movies:1": 9})
    b = Report(
        "b",
        at=98.5,
        counters={"hits": 1, "misses": 3},
        kinds={"movies": {"hits": 1, "misses": 3}},
        hot={"movies:1": 3, "movies:2": 4},
    )
    fleet = summed([a, b], now=101.0)
    assert fleet.workers == 2
    assert (fleet.newest, fleet.oldest) == (1.0, 2.5)
    assert fleet.counters == {"hits": 7, "hot_hits": 2, "misses": 5}
    assert fleet.hit_rate == 9 / 14
    assert fleet.kinds == {"movies": {"hits": 1, "misses": 3}}
    assert fleet.hot == [("movies:1", 12), ("movies:2", 4)]


def test_unhappy_path_no_report_is_no_rate_rather_than_a_zero() -> None:
    fleet = summed([], now=1.0)
    assert (fleet.workers, fleet.newest, fleet.hit_rate, fleet.hot) == (0, None, None, [])
    assert Report("idle", at=0.0, counters={"hits": 0, "misses": 0}).hit_rate is None


def test_happy_path_peaks_keep_each_keys_busiest_second_until_reported() -> None:
    start = 1_000.0
    hot = HotTier(threshold=100, ttl=1.0, window=1.0, clock=lambda: start)
    for _ in range(5):
        hot.touch("a", start + 0.5)
    hot.touch("b", start + 1.2)  # a new window: "a"'s 5 are kept as its peak
    for _ in range(2):
        hot.touch("a", start + 1.3)
    assert hot.hottest() == [("a", 2), ("b", 1)]
    assert hot.peaks(2) == [("a", 5), ("b", 1)]  # the window under way counts too
    assert hot.peaks(2) == [("a", 2), ("b", 1)]  # started over: only the current window
    # The window under way at the last report ends now: it counts in the next report too.
    hot.touch("c", start + 5.0)
    assert hot.peaks(3) == [("a", 2), ("b", 1), ("c", 1)]
    assert hot.peaks(3) == [("c", 1)]


def test_happy_path_dropping_a_type_drops_only_its_copies() -> None:
    hot = HotTier(threshold=1, ttl=10.0)
    hot.hold(("employees", 1), "e1", 1, 0.0)
    hot.hold(("employees", 2), "e2", 1, 0.0)
    hot.hold(("movies", 1), "m1", 1, 0.0)
    assert hot.drop("employees") == 2
    assert hot.get(("movies", 1), 0.0) == "m1"
    assert hot.get(("employees", 1), 0.0) is None
