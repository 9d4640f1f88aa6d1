"""Provider verification: the graphql consumer's pact replayed against the live service."""

from __future__ import annotations

import pytest

from app import registry
from app.contracts.verify import verify_provider
from tests.contract.pact.test_consumer_graphql import PACT_FILE
from tests.support.live_service import LiveService

pytestmark = pytest.mark.xdist_group("pact-graphql")


def test_the_service_honours_the_graphql_consumer_pact(live: LiveService) -> None:
    result = verify_provider(
        live.base_url,
        [PACT_FILE],
        seed=lambda: registry.create("sql", {"url": live.database_url}),
        token=live.token,
    )
    assert not result.state_problems, result.state_problems
    assert result.interactions > 0, str(result.output)
    if not result.passed:
        pytest.fail(str(result.output))
