"""JSON:API error documents: one exception type for the edge, one renderer for every error.

Domain errors keep their status from ``app.service.errors`` (the table shared with GraphQL);
problems of the request's syntax (query parameters, JSON, member types) are 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus

import pydantic_core
from starlette.responses import Response

from app.service.errors import error_code, http_status, public_message
from app.service.limits import MAX_ERRORS
from domain import DomainError

MEDIA_TYPE = "application/vnd.api+json"
"""The JSON:API media type, without parameters."""


@dataclass(frozen=True)
class Problem:
    """One error object: what went wrong and where in the request."""

    status: int
    code: str
    detail: str
    pointer: str | None = None
    parameter: str | None = None
    header: str | None = None

    def to_object(self) -> dict[str, object]:
        """The JSON:API error object."""
        source: dict[str, str] = {}
        if self.pointer is not None:
            source["pointer"] = self.pointer
        if self.parameter is not None:
            source["parameter"] = self.parameter
        if self.header is not None:
            source["header"] = self.header
        error: dict[str, object] = {
            "status": str(self.status),
            "code": self.code,
            "title": _title(self.status),
            "detail": self.detail,
        }
        if source:
            error["source"] = source
        return error


class JsonApiError(Exception):
    """Raised anywhere in the JSON:API edge; rendered as an error document.

    ``total`` counts the problems found when only the first of them were built (default: as
    many as given); the rendered document says how many it leaves out.
    """

    def __init__(
        self, *problems: Problem, headers: dict[str, str] | None = None, total: int | None = None
    ) -> None:
        super().__init__(problems[0].detail)
        self.problems = problems
        self.headers = headers or {}
        self.total = len(problems) if total is None else total

    @property
    def status(self) -> int:
        """The status of the response: the first problem's."""
        return self.problems[0].status


def bad_request(
    detail: str, *, parameter: str | None = None, pointer: str | None = None
) -> JsonApiError:
    """A 400 for a syntax-level problem naming the query parameter or the body member."""
    return JsonApiError(Problem(400, "bad_request", detail, pointer=pointer, parameter=parameter))


def from_domain(
    error: DomainError, *, pointer: str | None = None, parameter: str | None = None
) -> JsonApiError:
    """The error document of a domain error; ``pointer`` locates it in the request body."""
    detail = public_message(error)
    return JsonApiError(
        Problem(http_status(error), error_code(error), detail, pointer=pointer, parameter=parameter)
    )


def field_pointer(field: str | None, base: str = "/data") -> str:
    """The JSON pointer of an entity field (``budget.amount``) in a resource object at ``base``."""
    if not field:
        return base
    parts = [p for p in field.replace("[", ".").replace("]", "").split(".") if p]
    head = parts[0]
    if head == "id":
        return f"{base}/id"
    if head == "version":
        return f"{base}/meta/version"
    if head in _FOREIGN_KEYS:
        return f"{base}/relationships/{_FOREIGN_KEYS[head]}"
    return f"{base}/attributes/" + "/".join(pointer_token(p) for p in parts)


_FOREIGN_KEYS = {"movie_id": "movie", "production_id": "production", "location_id": "location"}


def pointer_token(part: str) -> str:
    """``part`` as one reference token of a JSON pointer (RFC 6901 escapes ``~`` and ``/``)."""
    return part.replace("~", "~0").replace("/", "~1")


def render(
    problems: Sequence[Problem],
    status: int,
    headers: dict[str, str] | None = None,
    *,
    total: int | None = None,
) -> Response:
    """The error document as a response with the JSON:API media type.

    At most ``MAX_ERRORS`` error objects, then one counting the rest (``total`` problems were
    found; default ``len(problems)``): a request cannot make the service build a huge answer.
    """
    shown = list(problems[:MAX_ERRORS])
    left_out = (len(problems) if total is None else total) - len(shown)
    if left_out > 0:
        shown.append(_left_out(left_out, status))
    body = pydantic_core.to_json({"errors": [p.to_object() for p in shown]})
    # Errors depend on Accept as much as documents do (406 is one): a cache must key them so.
    all_headers = {"Vary": "Accept", **(headers or {})}
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=all_headers)


def _left_out(count: int, status: int) -> Problem:
    detail = f"{count:,} more problems are not reported: a response lists at most {MAX_ERRORS}"
    return Problem(status, "too_many_errors", detail)


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
