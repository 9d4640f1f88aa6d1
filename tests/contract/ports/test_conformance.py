"""Every conformance check against every data source of conftest.SOURCES."""

import pytest

from adapters.testing import Check, Harness, Status, checks_for, run_check
from domain import STUDIO


@pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
async def test_conformance(harness: Harness, check: Check) -> None:
    result = await run_check(harness, check)
    if result.status is Status.SKIP:
        pytest.skip(result.detail)
    assert result.status is Status.PASS, result.detail
