"""openapi-python-client, installed apart in this folder's .venv, or a skip saying why.

``make test`` installs it from requirements.txt: it pins typer and httpx below the versions the
project uses, so it stays out of the project's own environment. The client it generates needs
only httpx, attrs and python-dateutil, which the dev extra has.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).parent
GENERATOR = HERE / ".venv" / "bin" / "openapi-python-client"
PACKAGE = "hexstudio_client"


def generate(document: Path, into: Path) -> ModuleType:
    """Generate the client package of the OpenAPI ``document`` under ``into`` and import it."""
    if not GENERATOR.is_file():
        pytest.skip(f"{GENERATOR} is missing: `make test` installs it from requirements.txt")
    config = into / "config.yml"
    config.write_text("post_hooks: []\n")  # ruff would only reformat what is generated
    done = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(into / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # Any warning means a part of the document it could not use: that is what is tested.
    assert "Warning" not in output, output
    sys.path.insert(0, str(into))
    return importlib.import_module(PACKAGE)
