"""The kit has teeth: each deliberately broken adapter fails exactly the checks it should."""

import pytest

from adapters.testing import Harness, Status, run_conformance
from domain import STUDIO
from tests.contract.ports.mutants import build_mutants


@pytest.mark.parametrize("name", sorted(build_mutants()))
async def test_the_kit_fails_a_broken_adapter(name: str) -> None:
    source, must_fail = build_mutants()[name]
    harness = Harness(source.unit_of_work, source.capabilities, STUDIO)
    report = await run_conformance(name, harness)
    failed = {r.check for r in report.results if r.status is Status.FAIL}
    assert not report.ok
    assert must_fail <= failed, f"{name} slipped through {sorted(must_fail - failed)}"
