"""Provider verification: the committed json_api pact replayed against the live service."""

import pytest

from app import registry
from app.contracts.verify import verify_provider
from tests.contract.pact.test_consumer_json_api import PACT_FILE
from tests.support.live_service import LiveService

pytestmark = pytest.mark.xdist_group("pact-json-api")


def test_happy_path_the_service_honours_the_json_api_adapter_s_pact(live: LiveService) -> None:
    result = verify_provider(
        live.base_url,
        [PACT_FILE],
        seed=lambda: registry.create("sql", {"url": live.database_url}),
        token=live.token,
    )
    if not result.passed:
        pytest.fail(str(result.output) + "\n" + "\n".join(result.state_problems))
    assert result.interactions > 0
