"""Bad option values: one line on stderr naming the flag and the form it expects, exit 2.

Case is handled alike for the two coded values a user types: a currency (``usd``) and a genre
(``DRAMA``) are both accepted in any case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")
MOVIE = "0322ccc2-3e41-5f19-9538-52fcfb44aa0d"


def _hexstudio(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env["HEXSTUDIO_DATA_SOURCE__DEFAULT"] = "memory"
    return subprocess.run(
        [str(HEXSTUDIO), *args], cwd=directory, env=env, capture_output=True, text=True, timeout=60
    )


def _onboard(**given: str) -> list[str]:
    values = {
        "movie": MOVIE,
        "amount": "100",
        "currency": "USD",
        "starts-on": "2027-03-01",
        "wraps-on": "2027-05-01",
        **given,
    }
    return ["productions", "onboard", *(f"--{k}={v}" for k, v in values.items())]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            _onboard(**{"starts-on": "03/01/2027"}),
            "Invalid value for '--starts-on': expected YYYY-MM-DD, got '03/01/2027'",
        ),
        (
            _onboard(**{"wraps-on": "2027-5-1"}),
            "Invalid value for '--wraps-on': expected YYYY-MM-DD, got '2027-5-1'",
        ),
        (
            _onboard(amount="1x"),
            "Invalid value for '--amount': expected a decimal amount such as 2500000.00, got '1x'",
        ),
        (
            [*_onboard(), "--shoot", "nowhere"],
            "Invalid value for '--shoot': expected LOCATION_ID@YYYY-MM-DD, got 'nowhere'",
        ),
        (
            ["shoot-days", "reschedule", MOVIE, "--date", "tomorrow", "--expected-version", "1"],
            "Invalid value for '--date': expected YYYY-MM-DD, got 'tomorrow'",
        ),
        (["serve", "--port", "99999"], "Invalid value for '--port'"),
        (["movies", "add"], "Missing option '--title'."),
    ],
)
def test_unhappy_path_a_bad_value_is_one_line_naming_the_flag(
    tmp_path: Path, args: list[str], line: str
) -> None:
    done = _hexstudio(tmp_path, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    [shown] = done.stderr.strip().splitlines()
    assert shown.startswith(f"error: {line}"), shown
    assert not (tmp_path / "hexstudio.db").exists()


def test_happy_path_genre_and_currency_are_accepted_in_any_case(tmp_path: Path) -> None:
    added = _hexstudio(
        tmp_path, "movies", "add", "--title", "Paper Moons", "--genre", "DRAMA", "--json"
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["genres"] == ["drama"]
