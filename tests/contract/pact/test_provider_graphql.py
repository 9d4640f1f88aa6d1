"""Provider verification: the graphql consumer's pact replayed against the live service."""

from __future__ import annotations

import pytest

from app.contracts.verify import STATE_PATH, verify_provider
from tests.contract.pact.test_consumer_graphql import PACT_FILE
from tests.support.live_service import LiveService

pytestmark = pytest.mark.xdist_group("pact-graphql")


def test_the_service_honours_the_graphql_consumer_pact(pact_provider: LiveService) -> None:
    # Through the service's own state endpoint, as a third party's verifier would.
    result = verify_provider(
        pact_provider.base_url,
        [PACT_FILE],
        state_url=pact_provider.base_url + STATE_PATH,
        token=pact_provider.token,
    )
    assert not result.state_problems, result.state_problems
    assert result.interactions > 0, str(result.output)
    assert not [r.description for r in result.results if r.pending]
    if not result.passed:
        pytest.fail(str(result.output))
