"""kitsu (npm), with its defaults, against the live service: every step a generic client takes.

kitsu sends no ``meta.version``, joins a root-relative link to its base URL (``/api//api/...``)
and follows ``links.next`` through ``request({url})``: the three things issue 13 found broken.
"""

from __future__ import annotations

import random

import pytest

from tests.clients.jsonapi.node import run_script
from tests.support.live_service import LiveService

pytestmark = pytest.mark.server


def test_happy_path_kitsu_lists_follows_next_creates_updates_without_a_version_and_deletes(
    live: LiveService,
) -> None:
    # Its own release year keeps this run's movies apart from the session's other tests'.
    year = str(random.randint(1888, 2100))
    report = run_script("kitsu.mjs", f"{live.base_url}/api", live.token, year)
    created = report["created"]
    assert [c["status"] for c in created] == [201, 201, 201]
    assert all(c["location"] == f"{live.base_url}/api/movies/{c['id']}" for c in created)
    assert len(report["pages"]) >= 2, report["pages"]  # three movies, two a page
    assert all(p["status"] == 200 for p in report["pages"])
    assert {c["id"] for c in created} <= set(report["seen"])
    assert report["updated"] == {
        "status": 200,
        "title": f"Kitsu {year} renamed",
        "genres": ["drama"],  # kept: kitsu sent the title only
        "version": 2,
        "etag": '"2"',
    }
    assert report["deleted"] == {"status": 204}
    assert report["gone"] == {"status": 404, "code": "not_found"}
