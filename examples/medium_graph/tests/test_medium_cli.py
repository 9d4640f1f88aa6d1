"""The installed distribution, chosen by HEXSTUDIO_DOMAIN alone, through the real CLI.

Nothing in hexstudio's ``src/`` knows about this domain: the ``hexstudio.domains`` entry
point is the only link, so this runs the installed ``hexstudio`` in a clean environment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from adapters.testing import checks_for

from hexstudio_medium import MEDIUM

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")


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

    for source in ("sql", "memory"):
        completed = _hexstudio(tmp_path, "conformance", source, "--json")
        report = _report(completed, source)
        failed = {r["check"]: r["detail"] for r in report["results"] if r["status"] == "FAIL"}
        assert not failed, failed
        assert report["ok"] is True
        assert completed.returncode == 0, completed.stderr

    doctor = _hexstudio(tmp_path, "doctor")
    assert "sql: schema current (medium_0001)" in doctor.stdout, doctor.stdout
    assert doctor.returncode == 0, doctor.stderr


def test_help_and_graphql_schema_follow_the_domain(tmp_path: Path) -> None:
    """``--help`` lists medium's generic reads; the SDL declares medium's types, no studio's."""
    shown = _hexstudio(tmp_path, "--help")
    assert shown.returncode == 0, shown.stderr
    listed = set(re.findall(r"^│ (\S+)", shown.stdout, re.MULTILINE))  # rich's table rows
    assert {"people", "posts", "follows", "recommendations"} <= listed, shown.stdout
    # The studio's own commands (``hexstudio.commands: studio``) belong to the studio alone.
    assert not {"movies", "productions", "seed", "slate", "demo"} & listed, shown.stdout
    studio_only = _hexstudio(tmp_path, "productions", "--help")
    assert studio_only.returncode == 2
    assert "No such command 'productions'" in studio_only.stderr

    sdl = _hexstudio(tmp_path, "graphql-schema")
    assert sdl.returncode == 0, sdl.stderr
    for name in ("Person", "Post", "Follow", "Recommendation"):
        assert f"type {name} {{" in sdl.stdout
    assert "type Movie {" not in sdl.stdout
