import pytest

from adapters.memory import MemoryDataSource
from adapters.spi import DataSource
from app import registry
from app.errors import ConfigError
from app.settings import load_settings


def test_happy_path_builtins_register_through_the_entry_point_group() -> None:
    assert "memory" in registry.available()
    source = registry.create("memory", {})
    assert isinstance(source, MemoryDataSource)
    assert isinstance(source, DataSource)


def test_unhappy_path_unknown_source_names_key_value_and_choices() -> None:
    with pytest.raises(
        ConfigError, match=r"data_source\.default: unknown data source 'oracle' \(choices: .*memory"
    ):
        registry.create("oracle", {})


def test_settings_env_overrides_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "studio.toml"
    config.write_text(
        '[data_source]\ndefault = "memory"\n[data_source.sql]\nurl = "sqlite+aiosqlite:///f.db"\n'
    )
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
    settings = load_settings()
    assert settings.data_source.default == "memory"
    assert settings.data_source.options("sql") == {"url": "sqlite+aiosqlite:///f.db"}
    monkeypatch.setenv("HEXSTUDIO_DATA_SOURCE__DEFAULT", "json_api")
    assert load_settings().data_source.default == "json_api"


def test_unhappy_path_unknown_top_level_key_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "studio.toml"
    config.write_text('[datasource]\ndefault = "memory"\n')
    monkeypatch.setenv("HEXSTUDIO_CONFIG", str(config))
    with pytest.raises(ConfigError, match="datasource"):
        load_settings()
