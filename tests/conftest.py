"""Fixtures every layer of tests shares."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from adapters.memory import MemoryDataSource
from app.bootstrap import Interactors
from domain import Genre, Movie, ShootingLocation


@pytest.fixture
def source() -> MemoryDataSource:
    """A fresh, empty memory data source."""
    return MemoryDataSource()


@pytest.fixture
def studio(source: MemoryDataSource) -> Interactors:
    """Every interactor, wired to the memory source as the real bootstrap wires them."""
    return Interactors(source.unit_of_work)


@pytest.fixture
async def movie(studio: Interactors) -> Movie:
    """A registered movie."""
    return await studio.register_movie(
        title="Paper Moons",
        logline="Two forgers, one sky.",
        genres=[Genre.DRAMA],
        release_year=2028,
    )


@pytest.fixture
async def places(studio: Interactors) -> list[ShootingLocation]:
    """Three registered locations on three continents."""
    return [
        await studio.register_location(
            name=name, city=city, country=country, latitude=lat, longitude=lon
        )
        for name, city, country, lat, lon in (
            ("Salt Flats", "Uyuni", "BO", -20.13, -67.49),
            ("Tram Depot", "Lisbon", "PT", 38.70, -9.17),
            ("Night Market", "Taipei", "TW", 25.03, 121.56),
        )
    ]


WINDOW = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Where servers are promised (CI), a server test that skips has failed."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and item.get_closest_marker("server") is not None
        and os.environ.get("HEXSTUDIO_TEST_REQUIRE_SERVERS")
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped although HEXSTUDIO_TEST_REQUIRE_SERVERS is set: {report.longrepr}"
        )


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The reference service, started once per test session (per xdist worker)."""
    from tests.support.live_service import live_service

    with live_service(tmp_path_factory.mktemp("live-service")) as service:
        yield service
