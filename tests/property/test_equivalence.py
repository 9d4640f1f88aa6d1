"""Every data source answers random use-case sequences exactly like the memory oracle."""

import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.contract.ports.mutants import InclusiveCursorRepository, _with_repository
from tests.property.equivalence import STATS, Equivalence
from tests.property.sources import SourceSpec


def test_every_source_behaves_like_memory(equivalence_sources: dict[str, SourceSpec]) -> None:
    assert equivalence_sources, "no source to compare with the oracle"
    machine = type("EquivalenceRun", (Equivalence,), {"specs": equivalence_sources})
    STATS.clear()
    run_state_machine_as_test(machine)
    # The figures docs/reliability.md quotes (shown with -s).
    print(
        f"\nequivalence: {STATS['examples']} examples, {STATS['steps']} steps compared on "
        f"{len(equivalence_sources) + 1} sources ({', '.join(['memory', *equivalence_sources])}); "
        f"{STATS['errors']} steps were refusals, {STATS['successes']} succeeded; 0 differences"
    )


def test_the_machine_catches_a_source_that_pages_wrongly() -> None:
    async def nothing(source: object) -> None:
        pass

    sloppy = SourceSpec(open=lambda: _with_repository(InclusiveCursorRepository), reset=nothing)
    machine = type("SloppyRun", (Equivalence,), {"specs": {"sloppy-paging": sloppy}})
    with pytest.raises(AssertionError, match="sloppy-paging gave"):
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=200, database=None, phases=[Phase.generate], derandomize=True
            ),
        )
