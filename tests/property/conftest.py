"""Databases for the equivalence machine: SQLite always, PostgreSQL when configured."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from adapters.sql.migrate import upgrade
from tests.property.sources import SourceSpec, http_spec, sql_spec
from tests.support.databases import empty_database
from tests.support.live_service import live_service

# Bounded in `make test` (seconds); `make soak` sets HYPOTHESIS_PROFILE=soak.
settings.register_profile(
    "default",
    max_examples=15,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # Shrinking a stateful failure over real databases can take minutes: CI reports the
    # sequence as found; `make soak` shrinks.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    # The same examples every run, so CI is reproducible; `make soak` explores at random.
    derandomize=True,
)
settings.register_profile(
    "soak",
    max_examples=400,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
async def equivalence_sources(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[dict[str, SourceSpec]]:
    """Every source to compare with memory, by name."""
    tmp: Path = tmp_path_factory.mktemp("equivalence")
    specs: dict[str, SourceSpec] = {}
    async with AsyncExitStack() as stack:
        engines = ["sqlite"] + (
            ["postgres"] if os.environ.get("HEXSTUDIO_TEST_POSTGRES_URL") else []
        )
        for engine in engines:
            url = await stack.enter_async_context(empty_database(engine, tmp))
            await upgrade(url)
            specs[f"sql-{engine}"] = sql_spec(url)
        # One service per HTTP source: each starts every example empty, and resetting it
        # must not touch the data of other tests.
        for name, path in (("json_api", "/api"), ("graphql", "/graphql")):
            (tmp / name).mkdir()
            service = stack.enter_context(live_service(tmp / name))
            specs[name] = http_spec(
                name, service.base_url + path, service.token, service.database_url
            )
        yield specs
