"""The installed distribution, chosen by HEXSTUDIO_DOMAIN alone, through the real CLI.

Nothing in hexstudio's ``src/`` knows about this domain: the ``hexstudio.domains`` entry
point is the only link, so this runs the installed ``hexstudio`` in a clean environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from adapters.testing import checks_for

from hexstudio_medium import MEDIUM

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")

KNOWN_KIT_GAP = {
    "filter_follows_by_follower_id",
    "filter_follows_by_followee_id",
    "filters_of_follows_combine_as_and",
    "filter_recommendations_by_post_id",
    "filter_recommendations_by_post_ids",
    "filter_recommendations_by_person_id",
    "filters_of_recommendations_combine_as_and",
}
"""The kit's filter checks that repeat an edge's unique pair (see test_medium_conformance.py)."""


def _hexstudio(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env["HEXSTUDIO_DOMAIN"] = "medium"
    env["HEXSTUDIO_DATA_SOURCE__SQL__URL"] = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    return subprocess.run(
        [str(HEXSTUDIO), *args],
        cwd=tmp_path,  # no hexstudio.toml here: the environment is the whole configuration
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _report(completed: subprocess.CompletedProcess[str], source: str) -> dict[str, Any]:
    assert completed.returncode in (0, 1), f"{completed.stdout}\n{completed.stderr}"
    report: dict[str, Any] = json.loads(completed.stdout)
    assert report["source"] == source
    assert [r["check"] for r in report["results"]] == [c.name for c in checks_for(MEDIUM)]
    assert report["counts"]["SKIP"] == 0, report["counts"]
    return report


def test_happy_path_db_upgrade_then_conformance_sql_and_memory(tmp_path: Path) -> None:
    upgraded = _hexstudio(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, (
        f"exit {upgraded.returncode}; is the example installed "
        f"(pip install -e examples/medium_graph)?\n{upgraded.stdout}\n{upgraded.stderr}"
    )
    assert upgraded.stdout.strip() == "database at revision medium_0001"

    gaps: list[str] = []
    for source in ("sql", "memory"):
        completed = _hexstudio(tmp_path, "conformance", source, "--json")
        report = _report(completed, source)
        failed = {r["check"]: r["detail"] for r in report["results"] if r["status"] == "FAIL"}
        assert set(failed) <= KNOWN_KIT_GAP, failed
        assert all(d.startswith("unexpected Conflict") for d in failed.values()), failed
        if failed:
            assert completed.returncode == 1
            assert report["ok"] is False
            gaps.append(f"{source}: {len(failed)} filter checks")
        else:
            assert completed.returncode == 0, completed.stderr
            assert report["ok"] is True
    if gaps:
        # Every other check passed on both sources; once the kit's filter population stops
        # repeating unique reference pairs, this test passes outright (exit 0 both times).
        pytest.xfail(f"kit gap, {'; '.join(gaps)} store a repeated unique pair")
