"""GraphQL ``errors`` to domain errors, by ``extensions.code`` (``conflict.stale_version``...)."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.graphql.wire import GraphQLError
from domain import DataSourceError, DomainError
from domain.errors import ERRORS_BY_CODE

_KEPT = frozenset(
    {"not_found", "conflict", "rule_violation", "invalid_input", "data_source_unavailable"}
)


def to_domain_error(errors: Sequence[GraphQLError], what: str) -> DomainError:
    """The domain error of the first GraphQL error; unknown codes are a DataSourceError."""
    first = errors[0]
    extensions = first.extensions
    code = extensions.get("code")
    kind, _, refinement = code.partition(".") if isinstance(code, str) else ("", "", "")
    details = {
        name: value
        for name in ("entity", "field", "reason")
        if isinstance(value := extensions.get(name), str)
    }
    if kind in _KEPT:
        if refinement:
            details.setdefault("reason", refinement)
        return ERRORS_BY_CODE[kind](first.message, **details)
    if kind == "unauthorized":
        return DataSourceError(
            f"graphql service refused {what}: the token is missing or wrong ({first.message})",
            reason="unauthorized",
        )
    shown = code if isinstance(code, str) else "no code"
    return DataSourceError(
        f"graphql service answered an error to {what} ({shown}): {first.message}"
    )
