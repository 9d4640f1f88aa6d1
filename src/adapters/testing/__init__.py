"""The conformance kit: one suite of port checks that every data source must pass.

Third parties prove their adapter with ``hexstudio conformance NAME``, or from pytest::

    from adapters.testing import Harness, checks_for, run_check
    from domain import STUDIO

    @pytest.mark.parametrize("check", checks_for(STUDIO), ids=lambda c: c.name)
    async def test_conformance(check):
        harness = Harness(my_source.unit_of_work, my_source.capabilities, STUDIO)
        result = await run_check(harness, check)
        ...

``run_live`` runs only the checks that never write, over the data a source already holds
(the promotion gate's, ``hexstudio migration check``).
"""

# Importing the check modules registers their checks, in this order.
# isort: off
from adapters.testing import (  # noqa: F401
    checks_reads,
    checks_plans,
    checks_filters,
    checks_paging,
    checks_writes,
    checks_bulk,
    checks_units,
    checks_unique,
    checks_concurrency,
)

# isort: on
from adapters.testing.kit import Check, Harness, Result, Status, checks_for
from adapters.testing.live import live_checks_for, run_live
from adapters.testing.runner import Report, run_check, run_conformance

__all__ = [
    "Check",
    "Harness",
    "Report",
    "Result",
    "Status",
    "checks_for",
    "live_checks_for",
    "run_check",
    "run_conformance",
    "run_live",
]
