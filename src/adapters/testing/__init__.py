"""The conformance kit: one suite of port checks that every data source must pass.

Third parties prove their adapter with ``hexstudio conformance NAME``, or from pytest::

    from adapters.testing import CHECKS, Harness, run_check

    @pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
    async def test_conformance(check):
        result = await run_check(Harness(uow=my_source.unit_of_work,
                                         capabilities=my_source.capabilities), check)
        ...
"""

# Importing the check modules registers their checks, in this order.
# isort: off
from adapters.testing import (  # noqa: F401
    checks_reads,
    checks_filters,
    checks_paging,
    checks_writes,
    checks_units,
    checks_bookings,
    checks_concurrency,
)

# isort: on
from adapters.testing.kit import CHECKS, Check, Harness, Result, Status
from adapters.testing.runner import Report, run_check, run_conformance

__all__ = [
    "CHECKS",
    "Check",
    "Harness",
    "Report",
    "Result",
    "Status",
    "run_check",
    "run_conformance",
]
