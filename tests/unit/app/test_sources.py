"""Named data sources (issue 14, item 1) and a migration route built from settings."""

from __future__ import annotations

from typing import Any

import pytest

from app.bootstrap import bootstrap
from app.errors import ConfigError
from app.settings import Settings
from app.sources import instances
from domain import MOVIES, Movie


def test_happy_path_a_named_table_is_an_instance_of_its_kind() -> None:
    found = instances({"legacy": {"kind": "sql", "url": "sqlite+aiosqlite:///old.db"}, "sql": {}})
    assert found["legacy"] == "sql"
    assert found["sql"] == "sql"
    assert found["memory"] == "memory"  # every registered kind is a name of its own


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        (
            {"legacy": {"kind": "sqll"}},
            "data_source.legacy.kind: unknown data source kind 'sqll' (kinds: ",
        ),
        (
            {"legacy": {"url": "sqlite+aiosqlite:///old.db"}},
            'data_source.legacy: not a registered data source; name its kind, e.g. kind = "sql"',
        ),
    ],
)
def test_unhappy_path_a_bad_kind_names_key_value_and_choices(
    tables: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        instances(tables)
    assert message in str(caught.value)


async def test_happy_path_two_instances_of_one_kind_serve_a_route_and_its_shadow() -> None:
    settings = Settings(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},  # type: ignore[arg-type]
        repositories={"movies": {"read": "legacy", "write": "legacy", "shadow": {"to": "memory"}}},  # type: ignore[arg-type]
    )
    async with bootstrap(settings) as container:
        assert set(container.sources) == {"legacy", "memory"}
        assert container.routes["movies"].describe() == "legacy, shadow memory (100%, 0.2 s)"
        async with container.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Kept apart"))
            await uow.commit()
        async with container.uow() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie
        await container.migration.drain()
        counts = container.migration.of("movies")
        # Two stores: the shadow does not hold the movie, and says so as a difference.
        assert (counts.comparisons, counts.mismatches) == (1, 1)
        assert container.migration.differences[-1].paths == ("error: none != NotFound",)
