"""The provider the pacts are verified against: the live service with its state endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.live_service import LiveService, live_service


@pytest.fixture(scope="session")
def pact_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    """The reference service with ``service.provider_states`` on, once per test session.

    Not the shared ``live`` service: an overload state makes it answer 503 while it holds,
    which no other test sharing it should meet.
    """
    directory = tmp_path_factory.mktemp("pact-provider")
    with live_service(directory, provider_states=True) as service:
        yield service
