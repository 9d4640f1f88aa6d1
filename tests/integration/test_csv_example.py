"""The CSV example, installed as its own distribution, passes the kit through the real CLI.

``make install`` installs ``examples/csv_source``; nothing in ``src/`` knows about it: the
entry point it declares is the only link, exactly as for a third-party data source.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from adapters.testing import checks_for
from domain import STUDIO

HEXSTUDIO = Path(sys.executable).with_name("hexstudio")


def test_happy_path_hexstudio_conformance_csv_passes_every_check(tmp_path: Path) -> None:
    store = tmp_path / "csv-store"
    store.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    env["HEXSTUDIO_DATA_SOURCE__CSV__DIRECTORY"] = str(store)
    completed = subprocess.run(
        [str(HEXSTUDIO), "conformance", "csv", "--json", "--in-place"],
        cwd=tmp_path,  # no hexstudio.toml here: the environment is the whole configuration
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, (
        f"exit {completed.returncode}; is the example installed "
        f"(pip install -e examples/csv_source)?\n{completed.stdout}\n{completed.stderr}"
    )
    report = json.loads(completed.stdout)
    failed = [r for r in report["results"] if r["status"] == "FAIL"]
    assert not failed, failed
    assert report["ok"] is True
    assert report["source"] == "csv"
    assert [r["check"] for r in report["results"]] == [c.name for c in checks_for(STUDIO)]
    assert report["counts"] == {"PASS": len(checks_for(STUDIO)), "FAIL": 0, "SKIP": 0}
    assert (store / "CURRENT").is_file(), "the checks did not write into the configured directory"
