"""npm clients run by the machine's Node.js, or a skip saying what is missing.

Each folder under ``tests/clients`` holds its own ``package.json`` and lockfile; ``make test``
installs them (``npm ci``, when npm exists). Without Node.js the tests skip with the reason
printed; CI sets HEXSTUDIO_TEST_REQUIRE_SERVERS, under which the ``server`` marker they carry
turns that skip into a failure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def run_script(folder: Path, clients: str, script: str, *args: str, timeout: float = 60.0) -> Any:
    """Run ``node <script> <args>`` in ``folder`` and return the JSON it printed.

    ``clients`` names them in the skip message (``GraphQL``, ``JSON:API``).
    """
    node = shutil.which("node")
    if node is None:
        pytest.skip(f"Node.js is not installed (no `node` on PATH): the npm {clients} clients skip")
    if not (folder / "node_modules" / ".package-lock.json").is_file():
        pytest.skip(f"{folder / 'node_modules'} is missing: `make test` installs it with npm ci")
    done = subprocess.run(
        [node, str(folder / script), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"node {script} exited {done.returncode}: {done.stderr}"
    return json.loads(done.stdout)
