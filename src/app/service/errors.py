"""One table from domain error to HTTP status, shared by the JSON:API and GraphQL edges."""

from __future__ import annotations

import logging

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


logger = logging.getLogger(__name__)

_PUBLIC_5XX: dict[type[DomainError], str] = {
    DataSourceUnavailable: "the data source is unavailable; retry later",
    DataSourceError: "the data source failed to answer",
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


def public_message(error: DomainError) -> str:
    """What a client is told of ``error``: a 5xx names no host, port, URL or statement.

    An adapter's message for an unavailable source says where it looked (the operator needs
    that), so the edges log it here and answer with the class's plain sentence.
    """
    if http_status(error) < 500:
        return error.message
    logger.warning("data source failure: %s", error.message)
    for kind in type(error).__mro__:
        if kind in _PUBLIC_5XX:
            return _PUBLIC_5XX[kind]
    return "the service failed to answer"
