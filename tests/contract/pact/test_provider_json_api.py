"""Provider verification: the committed json_api pact replayed against the live service."""

import pytest

from app import registry
from app.contracts import states_json_api
from app.contracts.verify import STATE_PATH, verify_provider
from tests.contract.pact.test_consumer_json_api import PACT_FILE
from tests.support.live_service import LiveService

pytestmark = pytest.mark.xdist_group("pact-json-api")


def test_happy_path_the_service_honours_the_json_api_adapter_s_pact(
    pact_provider: LiveService,
) -> None:
    # Through the service's own state endpoint, as a third party's verifier would: the
    # overload state and the commit the service refuses are verified like the rest.
    result = verify_provider(
        pact_provider.base_url,
        [PACT_FILE],
        state_url=pact_provider.base_url + STATE_PATH,
        token=pact_provider.token,
    )
    if not result.passed:
        pytest.fail(str(result.output) + "\n" + "\n".join(result.state_problems))
    assert result.interactions > 0
    assert not [r.description for r in result.results if r.pending]


def test_unhappy_path_seeded_through_a_data_source_the_overload_state_cannot_be_set(
    pact_provider: LiveService,
) -> None:
    # Writes through the provider's storage set every state but the service's own condition.
    result = verify_provider(
        pact_provider.base_url,
        [PACT_FILE],
        seed=lambda: registry.create("sql", {"url": pact_provider.database_url}),
        token=pact_provider.token,
    )
    failed = [r.description for r in result.results if not r.passed]
    assert failed == ["a request while the service is overloaded"]
    assert not result.passed
    assert [p for p in result.state_problems if "only its state endpoint" in p] == [
        f"state {states_json_api.OVERLOADED!r} overloads the provider: only its state endpoint "
        "can set it (/_pact/provider_states; hexstudio contracts verify --seed provider)"
    ]
