"""Provider states the graphql consumer's interactions ask for.

Each entity type's states are derived from the catalog (``app.contracts.states``) over this
contract's examples, named with the prefix ``graphql: ``; the two named here are for
interactions that need no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.bootstrap import Interactors
from app.contracts.examples import ContractExamples
from app.contracts.states import provider_state, register_examples
from domain import STUDIO

EXAMPLES = ContractExamples("graphql", STUDIO, prefix="graphql: ")
"""The graphql contract's entities: six examples of every entity type, with fixed ids."""

UP = "graphql: the service is up"
"""The state of interactions that need no data (a missing id, a bad cursor...)."""

OVERLOADED = "graphql: the service is overloaded"
"""The state of the (pending) interaction recording how the consumer handles a 503."""

register_examples(EXAMPLES)


@provider_state(UP)
async def service_is_up(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up: the interaction needs no data (a missing id, a bad cursor...)."""


@provider_state(OVERLOADED)
async def overloaded(app: Interactors, params: Mapping[str, Any]) -> None:
    """Nothing to set up: a provider cannot be made to answer 503 on demand.

    The interaction that asks for this state is marked pending in the contract: it records
    how the consumer handles a 503 without failing the provider's verification.
    """
