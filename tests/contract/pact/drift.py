"""The committed pact files must be what the consumer tests generate."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _normalised(path: Path) -> Any:
    document = json.loads(path.read_text())
    document.pop("metadata", None)
    document["interactions"] = sorted(document["interactions"], key=lambda i: i["description"])
    return document


def assert_committed_pact_matches(generated: Path, committed: Path) -> None:
    """Fail when ``committed`` drifted from ``generated``; HEXSTUDIO_UPDATE_PACTS=1 rewrites it."""
    if os.environ.get("HEXSTUDIO_UPDATE_PACTS") == "1":
        committed.parent.mkdir(exist_ok=True)
        committed.write_text(
            json.dumps(json.loads(generated.read_text()), indent=2, sort_keys=True) + "\n"
        )
    assert committed.exists(), "no committed pact: run with HEXSTUDIO_UPDATE_PACTS=1"
    assert _normalised(generated) == _normalised(committed), (
        f"{committed.name} drifted from the consumer tests: rerun with HEXSTUDIO_UPDATE_PACTS=1 "
        "and review the diff"
    )
