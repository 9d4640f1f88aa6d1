"""GraphQL errors as clients see them: a message, and ``extensions.code`` they can match on.

Domain errors carry the same codes as the JSON:API edge (``app.service.errors.error_code``)
plus ``entity``/``field``/``reason``. Request errors (syntax, validation, variables, depth)
get ``invalid_query``. Anything else is a bug: it is logged with its traceback and the client
sees only "Unexpected error." (code ``internal_error``), never a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from app.service.errors import error_code, public_message
from domain import DomainError

logger = logging.getLogger(__name__)

INVALID_QUERY = "invalid_query"
INTERNAL_ERROR = "internal_error"
UNAUTHORIZED = "unauthorized"
NOT_ACCEPTABLE = "not_acceptable"
"""A POST whose ``Accept`` allows neither GraphQL media type (HTTP 406)."""


def is_expected(error: GraphQLError) -> bool:
    """Whether ``error`` is the client's doing (a domain or request error), not a bug."""
    original = error.original_error
    return original is None or error.path is None or isinstance(original, DomainError)


def format_error(error: GraphQLError) -> dict[str, Any]:
    """The JSON of one error of a response."""
    original = error.original_error
    extensions: dict[str, Any]
    if isinstance(original, DomainError):
        message = public_message(original)
        extensions = {"code": error_code(original)}
        for name in ("entity", "field", "reason"):
            value = getattr(original, name)
            if value is not None:
                extensions[name] = value
    elif is_expected(error):
        message = error.message
        extensions = {"code": INVALID_QUERY, **(error.extensions or {})}
    else:
        message = "Unexpected error."
        extensions = {"code": INTERNAL_ERROR}
    formatted: dict[str, Any] = {"message": message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path:
        formatted["path"] = error.path
    formatted["extensions"] = extensions
    return formatted


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log the errors that are bugs, with their tracebacks (the client never sees them)."""
    for error in errors:
        if not is_expected(error):
            logger.error(
                "unexpected error in GraphQL field %s",
                ".".join(map(str, error.path or ())),
                exc_info=error.original_error,
            )
