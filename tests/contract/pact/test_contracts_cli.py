"""``hexstudio contracts verify``: a summary per pact, failures with their diff, no ANSI off a tty.

Issue 13 item 14: the command printed the verifier's report twice (the Pact core writes its
own straight to stdout, with coloured diffs even when told not to) and no summary. Run as a
subprocess with stdout a pipe, as in CI or ``| less``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from domain import MOVIES
from tests.contract.pact import test_consumer_graphql, test_consumer_json_api
from tests.contract.pact.test_consumer_json_api import EXAMPLES
from tests.support.live_service import LiveService

HEXSTUDIO = str(Path(sys.executable).with_name("hexstudio"))
TAMPERED_ID = "00000000-0000-4000-8000-00000000beef"


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    return subprocess.run(
        [HEXSTUDIO, "contracts", "verify", *args],
        env={**env, "PACT_DO_NOT_TRACK": "true"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _against(provider: LiveService, *args: str) -> subprocess.CompletedProcess[str]:
    return _verify("--provider-url", provider.base_url, "--token", provider.token, *args)


def _count(pact: Path) -> int:
    return len(json.loads(pact.read_text())["interactions"])


def test_happy_path_the_summary_counts_each_pact_s_interactions(
    pact_provider: LiveService,
) -> None:
    done = _against(pact_provider)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    total = 0
    for module in (test_consumer_graphql, test_consumer_json_api):
        count = _count(module.PACT_FILE)
        total += count
        assert f"{module.PACT_FILE.name}: {count} of {count} interactions passed" in lines
    assert lines[-1] == f"PASSED: {total} of {total} interactions from 2 pact file(s)"
    assert "Verifying a pact between" not in done.stdout  # the raw log only with -v
    assert "\x1b" not in done.stdout + done.stderr


def test_unhappy_path_a_failure_is_shown_with_its_diff_and_no_ansi(
    pact_provider: LiveService, tmp_path: Path
) -> None:
    pact = json.loads(test_consumer_json_api.PACT_FILE.read_text())
    for interaction in pact["interactions"]:
        if interaction["description"] == "a request for a movie":
            interaction["response"]["body"]["content"]["data"]["id"] = TAMPERED_ID
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(pact))
    done = _against(pact_provider, "--pacts", str(tampered))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "\x1b" not in done.stdout + done.stderr
    count = len(pact["interactions"])
    lines = done.stdout.splitlines()
    assert lines[0] == f"tampered.json: {count - 1} of {count} interactions passed"
    failed = lines.index("  FAILED a request for a movie (given two movies exist)")
    assert lines[failed + 1].startswith("    body $.data.id: ")
    assert lines[failed + 2] == f'      - expected: "{TAMPERED_ID}"'
    assert lines[failed + 3] == f'      + actual:   "{EXAMPLES[MOVIES].first.id}"'
    assert lines[-1] == f"FAILED: {count - 1} of {count} interactions from 1 pact file(s)"


def test_happy_path_verbose_adds_the_verifier_s_own_log_without_ansi(
    pact_provider: LiveService,
) -> None:
    done = _against(pact_provider, "-v", "--pacts", str(test_consumer_graphql.PACT_FILE))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Verifying a pact between hexstudio-graphql-adapter and hexstudio-service" in (
        done.stdout
    )
    assert "\x1b" not in done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("PASSED: ")


def test_unhappy_path_a_provider_without_the_state_endpoint_gets_one_line(
    live: LiveService,
) -> None:
    done = _against(live)  # the shared service: service.provider_states is off
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "HEXSTUDIO_SERVICE__PROVIDER_STATES=true" in done.stderr
