"""The npm JSON:API clients of this folder, run by the machine's Node.js, or a skip saying why.

``make test`` installs them (``npm ci`` here, when npm exists). Without Node.js the tests skip
with the reason printed; CI sets HEXSTUDIO_TEST_REQUIRE_SERVERS, under which the ``server``
marker they carry turns that skip into a failure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent


def run_script(script: str, *args: str, timeout: float = 60.0) -> Any:
    """Run ``node <script> <args>`` from this folder and return the JSON it printed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (no `node` on PATH): the npm JSON:API clients skip")
    if not (HERE / "node_modules" / ".package-lock.json").is_file():
        pytest.skip(f"{HERE / 'node_modules'} is missing: `make test` installs it with npm ci")
    done = subprocess.run(
        [node, str(HERE / script), *args],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"node {script} exited {done.returncode}: {done.stderr}"
    return json.loads(done.stdout)
