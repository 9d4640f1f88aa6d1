"""Bad configuration is refused in one line that names the key and never shows a secret.

Issue 11, items 4 and 5: passwords in SQL URLs and token values used to be echoed by the
messages of bad settings; ``serve`` printed a traceback for a bad source option; a dangling
symlink or a directory at ``./hexstudio.toml`` was skipped silently; a token in a file anyone
may read went unremarked.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app import registry
from app.cli import cli
from app.errors import ConfigError
from app.routing import routes
from app.settings import load_settings
from domain import STUDIO

SECRET = "s3cr3t-Pa55"
"""Recognisable in any output: the test fails wherever it shows up."""

HEXSTUDIO = str(Path(sys.executable).with_name("hexstudio"))

BAD_SHAPES: dict[str, tuple[str, str]] = {
    # name: (TOML text, the key the message must name)
    "unsupported database": (
        f'[data_source.sql]\nurl = "oracle://scott:{SECRET}@db.example/orcl"\n',
        "data_source.sql.url",
    ),
    "malformed URL, no scheme": (
        f'[data_source.sql]\nurl = "scott:{SECRET}@db.example/studio"\n',
        "data_source.sql.url",
    ),
    "malformed URL, bad port": (
        f'[data_source.sql]\nurl = "postgresql+asyncpg://scott:{SECRET}@db:port/studio"\n',
        "data_source.sql.url",
    ),
    "not async": (
        f'[data_source.sql]\nurl = "postgresql+psycopg2://scott:{SECRET}@db/studio"\n',
        "data_source.sql.url",
    ),
    "password in the query": (
        f'[data_source.sql]\nurl = "oracle://scott@db/orcl?password={SECRET}"\n',
        "data_source.sql.url",
    ),
    "a password containing @": (
        f'[data_source.sql]\nurl = "oracle://scott:{SECRET}@x@db/orcl"\n',
        "data_source.sql.url",
    ),
    "URL where a table belongs": (
        f'[data_source]\nsql = "postgresql+asyncpg://scott:{SECRET}@db/studio"\n',
        "data_source.sql",
    ),
    "URL as the default source": (
        f'[data_source]\ndefault = "postgresql+asyncpg://scott:{SECRET}@db/studio"\n',
        "data_source.default",
    ),
    "URL as the served source": (
        f'[service]\ndata_source = "postgresql+asyncpg://scott:{SECRET}@db/studio"\n',
        "service.data_source",
    ),
    "unknown SQL option": (
        f'[data_source.sql]\nurl = "sqlite+aiosqlite:///x.db"\npasword = "{SECRET}"\n',
        "data_source.sql.pasword",
    ),
    "HTTP source URL not http": (
        f'[data_source.json_api]\nurl = "htp://client:{SECRET}@api.example/api"\n',
        "data_source.json_api.url",
    ),
    "typo in the token key": (f'[service]\ntokn = "{SECRET}"\n', "service.tokn"),
    "token of the wrong type": (f'[service]\ntoken = ["{SECRET}"]\n', "service.token"),
    "read token as a table": (
        f'[service]\nread_token = {{ value = "{SECRET}" }}\n',
        "service.read_token",
    ),
    "URL as a repository's source": (
        f'[repositories]\nmovies = "postgresql+asyncpg://scott:{SECRET}@db/studio"\n',
        "repositories.movies",
    ),
}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No HEXSTUDIO_ setting from outside; the working directory is ``tmp_path``."""
    for name in list(os.environ):
        if name.startswith("HEXSTUDIO_") and not name.startswith("HEXSTUDIO_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _configure(directory: Path, text: str) -> Path:
    path = directory / "hexstudio.toml"
    path.write_text(text)
    path.chmod(0o600)  # no permission warning: these tests are about the messages
    return path


def _problem(directory: Path) -> str:
    """The message refusing the configuration in ``directory``, as the service meets it."""
    try:
        settings = load_settings()
        registry.create(settings.data_source.default, {}, key="data_source.default")
        served = settings.service.data_source
        registry.create(served, settings.data_source.options(served), key="service.data_source")
        for name in settings.data_source.model_extra or {}:
            registry.create(name, settings.data_source.options(name), key=f"data_source.{name}")
        routes(
            settings.data_source.default,
            settings.repositories,
            set(registry.available()),
            STUDIO,
        )
    except ConfigError as exc:
        return str(exc)
    raise AssertionError("the configuration was accepted")


@pytest.mark.parametrize("shape", BAD_SHAPES)
def test_a_bad_setting_names_its_key_and_masks_the_secret(clean_env: Path, shape: str) -> None:
    text, key = BAD_SHAPES[shape]
    _configure(clean_env, text)
    message = _problem(clean_env)
    assert SECRET not in message
    assert key in message, message


SERVE_IGNORES = {"HTTP source URL not http", "URL as the default source"}
"""Shapes of settings ``serve`` does not use: it serves ``service.data_source`` alone."""


@pytest.mark.parametrize("shape", sorted(set(BAD_SHAPES) - SERVE_IGNORES))
def test_serve_refuses_a_bad_setting_in_one_line_before_uvicorn(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    text, key = BAD_SHAPES[shape]
    _configure(clean_env, text)
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: started.append(kwargs))
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert not started, "uvicorn started on a bad configuration"
    assert result.exit_code == 2, result.output
    assert SECRET not in result.output
    assert key in result.stderr
    assert result.stderr.startswith("error: configuration error: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_secret_in_an_environment_variable_is_masked_too(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEXSTUDIO_SERVICE__TOKN", SECRET)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert SECRET not in str(refused.value)
    assert "service.tokn: unknown key" in str(refused.value)
    assert "token" in str(refused.value)  # the choices, so the typo is plain to see


def test_db_and_config_commands_mask_the_secret(clean_env: Path) -> None:
    _configure(clean_env, BAD_SHAPES["not async"][0])
    runner = CliRunner()
    for command in (["db", "current"], ["db", "upgrade"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2, result.output
        assert "data_source.sql.url" in result.stderr
        assert SECRET not in result.output
    _configure(clean_env, f'[service]\ntokn = "{SECRET}"\n')
    result = runner.invoke(cli, ["config", "show"])
    assert result.exit_code == 2, result.output
    assert SECRET not in result.output


def test_hexstudio_serve_prints_one_line_not_a_traceback(clean_env: Path) -> None:
    """The real command in its own process: what the probe saw as 61 lines of traceback."""
    _configure(clean_env, "[data_source.sql]\nbogus = 1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEXSTUDIO_")}
    done = subprocess.run(
        [HEXSTUDIO, "serve", "--port", "0"],
        cwd=clean_env,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: configuration error: data_source.sql.bogus: unknown option (choices: "
        "url, echo, pool_size, max_overflow, pool_timeout, pool_recycle, pool_pre_ping, "
        "connect_timeout, busy_timeout_ms)"
    ]


# Item 5: a configuration file that is not one is refused; a readable token is warned about.


def test_a_dangling_symlink_at_hexstudio_toml_is_refused(clean_env: Path) -> None:
    (clean_env / "hexstudio.toml").symlink_to(clean_env / "moved-away.toml")
    with pytest.raises(ConfigError, match=r"hexstudio\.toml: .*symlink.*moved-away\.toml"):
        load_settings()
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_directory_at_hexstudio_toml_is_refused(clean_env: Path) -> None:
    (clean_env / "hexstudio.toml").mkdir()
    with pytest.raises(ConfigError, match=r"hexstudio\.toml: .*directory"):
        load_settings()


def test_hexstudio_config_naming_a_directory_is_refused(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(clean_env))
    with pytest.raises(ConfigError, match=r"HEXSTUDIO_CONFIG=.*: a directory, not a TOML file"):
        load_settings()


def test_serve_refuses_a_dangling_symlink_instead_of_serving_defaults(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "hexstudio.toml").symlink_to(clean_env / "moved-away.toml")
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: started.append(kwargs))
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert not started, "uvicorn started on defaults"
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    ("mode", "words"),
    [(0o644, "world-readable"), (0o604, "world-readable"), (0o666, "world-writable")],
)
def test_a_token_in_a_file_others_may_read_or_write_is_warned_about(
    clean_env: Path, caplog: pytest.LogCaptureFixture, mode: int, words: str
) -> None:
    path = _configure(clean_env, f'[service]\ntoken = "{SECRET}"\n')
    path.chmod(mode)
    with caplog.at_level(logging.WARNING):
        settings = load_settings()
    assert settings.service.token is not None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("hexstudio.toml" in w and words in w and "chmod" in w for w in warnings), warnings
    assert not any(SECRET in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (f'[service]\ntoken = "{SECRET}"\n', 0o600),
        (f'[service]\nread_token = "{SECRET}"\n', 0o640),
        ('[data_source]\ndefault = "memory"\n', 0o644),  # nothing secret in it
    ],
)
def test_no_warning_for_a_private_file_or_one_without_secrets(
    clean_env: Path, caplog: pytest.LogCaptureFixture, text: str, mode: int
) -> None:
    _configure(clean_env, text).chmod(mode)
    with caplog.at_level(logging.WARNING):
        load_settings()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_world_writable_file_is_warned_about_even_without_secrets(
    clean_env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _configure(clean_env, '[data_source]\ndefault = "memory"\n').chmod(0o666)
    with caplog.at_level(logging.WARNING):
        load_settings()
    assert any("world-writable" in r.getMessage() for r in caplog.records)


def test_a_password_in_a_readable_file_is_warned_about(
    clean_env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql+asyncpg://scott:{SECRET}@db/studio"
    _configure(clean_env, f'[data_source.sql]\nurl = "{url}"\n').chmod(0o644)
    with caplog.at_level(logging.WARNING):
        load_settings()
    assert any("world-readable" in r.getMessage() for r in caplog.records)
