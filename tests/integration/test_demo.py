"""make demo's promise: one scenario, four configurations, identical results."""

import hashlib
from pathlib import Path

from adapters.memory import MemoryDataSource
from app.bootstrap import bootstrap
from app.canonical import canonical_json
from app.demo import run_demo
from app.scenario import run_scenario
from app.settings import explicit_settings


async def test_happy_path_every_configuration_gives_the_same_result(tmp_path: Path) -> None:
    """The cross-adapter test: memory, sql, json_api, graphql and a mix, one scenario."""
    runs = await run_demo(tmp_path)
    assert [r.name for r in runs] == ["sql", "json_api", "graphql", "mixed"]
    assert len({r.digest for r in runs}) == 1, [(r.name, r.digest) for r in runs]
    by_name = {r.name: r for r in runs}
    # Each configuration really went where it says: over HTTP, to SQL, or to both.
    assert by_name["sql"].http_requests == 0
    assert by_name["sql"].sql_statements > 0
    assert by_name["json_api"].http_requests > 0
    assert by_name["json_api"].sql_statements == 0
    assert by_name["graphql"].http_requests > 0
    assert by_name["mixed"].http_requests > 0
    assert by_name["mixed"].sql_statements > 0
    # And the reference: the same scenario over the memory adapter.
    async with bootstrap(explicit_settings(), source=MemoryDataSource()) as container:
        steps = await run_scenario(container.interactors)
    memory = hashlib.sha256(canonical_json(steps).encode()).hexdigest()[:16]
    assert {r.digest for r in runs} == {memory}
