"""Provider states the graphql consumer's interactions ask for.

Each entity type's states are derived from the catalog (``app.contracts.states``) over this
contract's examples, named with the prefix ``graphql: ``; of the two named here, one is for
interactions that need no data and one overloads the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.bootstrap import Interactors
from app.contracts.examples import ContractExamples
from app.contracts.states import overload_state, provider_state, register_examples
from domain import STUDIO

EXAMPLES = ContractExamples("graphql", STUDIO, prefix="graphql: ")
"""The graphql contract's entities: six examples of every entity type, with fixed ids."""

UP = "graphql: the service is up"
"""The state of interactions that need no data (a missing id, a bad cursor...)."""

OVERLOADED = "graphql: the service is overloaded"
"""While it holds, the service answers 503: how the consumer handles that is in the contract."""

register_examples(EXAMPLES)
overload_state(OVERLOADED)


@provider_state(UP)
async def service_is_up(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up: the interaction needs no data (a missing id, a bad cursor...)."""
