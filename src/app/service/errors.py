"""One table from domain error to HTTP status, shared by the JSON:API and GraphQL edges."""

from __future__ import annotations

from domain import (
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    DomainError,
    InvalidInput,
    NotFound,
    RuleViolation,
)

_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    RuleViolation: 409,  # the request conflicts with the current state (a booked slot, a phase)
    InvalidInput: 422,
    DataSourceUnavailable: 503,
    DataSourceError: 502,
}


def http_status(error: DomainError) -> int:
    """The HTTP status that carries ``error`` (500 only for an unknown error class)."""
    for kind in type(error).__mro__:
        if kind in _STATUS:
            return _STATUS[kind]
    return 500


def error_code(error: DomainError) -> str:
    """The stable code clients match on: the class code, refined by the rule's reason."""
    return f"{error.code}.{error.reason}" if error.reason else error.code
