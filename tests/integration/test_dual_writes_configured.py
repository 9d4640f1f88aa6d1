"""Dual writes configured in settings, over two SQLite files: a restart catches the mirror up."""

from __future__ import annotations

from pathlib import Path

from adapters.sql.migrate import upgrade
from app.bootstrap import bootstrap
from app.settings import Settings
from domain import MOVIES, Movie, MovieQuery, PageRequest


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        data_source={  # type: ignore[arg-type]
            "default": "sql",
            "sql": {"url": f"sqlite+aiosqlite:///{tmp_path / 'primary.db'}"},
            "copy": {"kind": "sql", "url": f"sqlite+aiosqlite:///{tmp_path / 'mirror.db'}"},
        },
        repositories={  # type: ignore[arg-type]
            "movies": {"write": "sql", "mirror": {"to": "copy", "outbox": str(tmp_path / "o.db")}}
        },
    )


async def _titles(container: object, source: str) -> list[str]:
    async with container.sources[source].unit_of_work() as uow:  # type: ignore[attr-defined]
        page = await uow.repository(MOVIES).list(MovieQuery(), PageRequest(size=500))
    return sorted(m.title for m in page.items)


async def test_happy_path_a_mirror_created_later_receives_what_it_missed(tmp_path: Path) -> None:
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'primary.db'}")
    settings = _settings(tmp_path)
    async with bootstrap(settings) as container:  # the mirror's database does not exist yet
        for title in ("One", "Two", "Three"):
            async with container.uow() as uow:
                await uow.repository(MOVIES).add(Movie(title=title))
                await uow.commit()
        await container.migration.drain()
        relay = container.migration.relays["copy"]
        assert relay.figures()["pending"] == 3
        assert "no database file" in str(relay.last_error)
    await upgrade(f"sqlite+aiosqlite:///{tmp_path / 'mirror.db'}")
    async with bootstrap(settings) as container:  # a restart: the relay catches up at start
        await container.migration.drain()
        assert await _titles(container, "copy") == await _titles(container, "sql")
        assert await _titles(container, "copy") == ["One", "Three", "Two"]
        assert container.migration.relays["copy"].figures()["pending"] == 0
