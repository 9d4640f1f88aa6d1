"""``hexstudio serve`` warns when writes are open to anyone on a non-loopback bind (issue 11).

Writes are open exactly when ``write_guard(token, read_token)`` is None (app.service.auth).
uvicorn itself is replaced by a recorder: what is checked is what serve says before it starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import cli

WARNING = "warning: writes are open to anyone"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """What uvicorn.run was called with; no HEXSTUDIO_ setting from outside; memory source."""
    for name in list(os.environ):
        if name.startswith("HEXSTUDIO_") and not name.startswith("HEXSTUDIO_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEXSTUDIO_SERVICE__DATA_SOURCE", "memory")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "studio.example", "[::]"])
def test_open_writes_on_a_public_bind_are_warned_about(
    started: list[dict[str, Any]], host: str
) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", host])
    assert result.exit_code == 0, result.output
    assert started, "uvicorn did not start"
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(WARNING)
    assert host in lines[0]
    assert "service.token" in lines[0]  # what to do about it


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"])
def test_no_warning_on_a_loopback_bind(started: list[dict[str, Any]], host: str) -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", host])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr


@pytest.mark.parametrize("token", ["HEXSTUDIO_SERVICE__TOKEN", "HEXSTUDIO_SERVICE__READ_TOKEN"])
def test_no_warning_when_a_token_closes_writes(
    started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv(token, "not-a-real-token")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
