"""The docs' ``pact verifier`` command, run as written, against a real ``hexstudio serve``.

Issue 13 item 7: a third party verifies both committed pacts with the standalone Pact
verifier (PyPI ``pact-python-cli``) and no hexstudio code, the service setting the provider
states at its own endpoint. The service starts as docs/contracts.md says (``hexstudio db
upgrade``, then ``serve`` with the two settings); the verifier command is read from that page
and changed only in its port and token, plus ``--json`` for the report read here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.contract.pact import test_consumer_graphql, test_consumer_json_api

pytestmark = pytest.mark.server  # needs the pact binary: required where servers are (CI)

ROOT = Path(__file__).parents[3]
DOCS = ROOT / "docs" / "contracts.md"
BIN = Path(sys.executable).parent
TOKEN = "standalone-verifier-token-not-secret"
_STARTED = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Served:
    """A ``hexstudio serve`` process and where it answers."""

    port: int
    log: list[str]


def _environment() -> dict[str, str]:
    """This process's environment without HEXSTUDIO_ settings: the defaults, as in the docs."""
    return {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``hexstudio db upgrade`` then ``serve`` in a fresh folder, once per test session."""
    directory = tmp_path_factory.mktemp("standalone-verifier")  # ./hexstudio.db, no TOML
    env = _environment()
    upgrade = subprocess.run(
        [BIN / "hexstudio", "db", "upgrade"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    env.update(HEXSTUDIO_SERVICE__PROVIDER_STATES="true", HEXSTUDIO_SERVICE__TOKEN=TOKEN)
    process = subprocess.Popen(
        [BIN / "hexstudio", "serve", "--port", "0"],  # the OS picks a free port; the log says
        cwd=directory,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    port: list[int] = []
    started = threading.Event()

    def drain() -> None:
        # Reads uvicorn's log to its end, so that a full pipe never blocks the server.
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            found = _STARTED.search(line)
            if found:
                port.append(int(found.group(1)))
                started.set()
        started.set()  # the process ended: stop waiting

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        started.wait(timeout=60)
        assert port, "hexstudio serve did not start:\n" + "".join(log)
        yield Served(port[0], log)
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=10)


def documented_command() -> list[str]:
    """The ``pact verifier`` command of docs/contracts.md, continuation lines joined."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"^\$ (pact verifier .*?)(?<!\\)\n", text, re.MULTILINE | re.DOTALL)
    assert found is not None, f"no '$ pact verifier' command in {DOCS}"
    return shlex.split(found.group(1).replace("\\\n", " "))


def test_happy_path_the_docs_verifier_command_names_the_state_url_and_the_token() -> None:
    command = documented_command()
    assert command[:2] == ["pact", "verifier"]
    assert command[command.index("--state-change-url") + 1].endswith("/_pact/provider_states")
    assert command[command.index("--header") + 1] == "Authorization=Bearer s3cret"
    assert command[command.index("--provider-name") + 1] == "hexstudio-service"


def test_happy_path_the_standalone_verifier_passes_both_pacts(
    served: Served, tmp_path: Path
) -> None:
    pact = shutil.which("pact", path=str(BIN)) or shutil.which("pact")
    if pact is None:
        pytest.skip("no pact binary: pip install -e '.[dev]' (pact-python-cli) or make install")
    command = [
        pact if arg == "pact" else arg.replace("8000", str(served.port)).replace("s3cret", TOKEN)
        for arg in documented_command()
    ]
    report = tmp_path / "report.json"
    done = subprocess.run(
        [*command, "--json", str(report)],
        cwd=ROOT,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr + "".join(served.log[-20:])
    report_of = json.loads(report.read_text())
    # The verifier passes on no interaction at all (a wrong provider name): count them. Its
    # report names no consumer, so both files' descriptions are compared as one list.
    recorded = [
        interaction["description"]
        for module in (test_consumer_json_api, test_consumer_graphql)
        for interaction in json.loads(module.PACT_FILE.read_text())["interactions"]
    ]
    results = report_of["interactionResults"]
    assert sorted(r["description"] for r in results) == sorted(recorded)
    assert [r["description"] for r in results if r["result"] != "OK"] == []
    assert report_of["errors"] == report_of["pendingErrors"] == []


def test_unhappy_path_no_committed_interaction_is_pending() -> None:
    # A pending interaction never fails a verification, so it would never have to pass.
    for module in (test_consumer_json_api, test_consumer_graphql):
        interactions = json.loads(module.PACT_FILE.read_text())["interactions"]
        assert [i["description"] for i in interactions if i.get("pending")] == [], module.CONSUMER
