"""Provider states the json_api consumer's interactions ask for.

Each entity type's states are derived from the catalog (``app.contracts.states``) over this
contract's examples; of the two named here, one is for interactions that need no data and one
overloads the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.bootstrap import Interactors
from app.contracts.examples import ContractExamples
from app.contracts.states import overload_state, provider_state, register_examples
from domain import STUDIO

EXAMPLES = ContractExamples("json_api", STUDIO)
"""The json_api contract's entities: six examples of every entity type, with fixed ids."""

NOTHING = "no particular data is needed"
"""The state of interactions that need no data (a missing id, a malformed cursor)."""

OVERLOADED = "the service is overloaded"
"""While it holds, the service answers 503: how the consumer handles that is in the contract."""

register_examples(EXAMPLES)
overload_state(OVERLOADED)


@provider_state(NOTHING)
async def nothing_needed(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up (a missing id, a malformed cursor): the interaction needs no data."""
