"""The swap as it is done in production: shadow reads, dialing, fallback (issue 14).

Each is a decorator over the read side of one repository, composed per route by the routed
unit of work (``app.routed_uow``); writes are never redirected. State that outlives a request
(circuit breakers, shadow comparisons) lives in one ``MigrationState`` per container.
"""

from app.migration.breaker import Breaker
from app.migration.state import MigrationState
from app.migration.values import Outcome, differences, outcome_of

__all__ = ["Breaker", "MigrationState", "Outcome", "differences", "outcome_of"]
