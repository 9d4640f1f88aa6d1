"""JSON:API error documents -> domain errors, by the stable ``code`` first, the status second."""

from __future__ import annotations

import json
from typing import Any

import httpx

from domain import (
    Conflict,
    DataSourceError,
    DomainError,
    InvalidInput,
    NotFound,
)
from domain.errors import ERRORS_BY_CODE

_BY_STATUS: dict[int, type[DomainError]] = {
    400: InvalidInput,
    404: NotFound,
    409: Conflict,
    422: InvalidInput,
}
_RELATIONSHIP_FIELDS = {
    "movie": "movie_id",
    "production": "production_id",
    "location": "location_id",
}
_PARAMETER_FIELDS = {"page[after]": "page.cursor", "page[size]": "page.size"}


def field_of(source: Any) -> str | None:
    """The entity field an error's ``source`` names (``/data/attributes/title`` -> ``title``)."""
    if not isinstance(source, dict):
        return None
    parameter = source.get("parameter")
    if isinstance(parameter, str):
        return _PARAMETER_FIELDS.get(parameter, parameter)
    pointer = source.get("pointer")
    if not isinstance(pointer, str):
        return None
    parts = pointer.split("/")[1:]
    if parts[:1] == ["atomic:operations"]:
        parts = parts[2:]  # "/atomic:operations/<i>/data/..." -> "data/..."
    if parts[:1] == ["data"]:
        parts = parts[1:]
    if parts[:1] == ["attributes"] and len(parts) > 1:
        return ".".join(parts[1:])
    if parts[:1] == ["relationships"] and len(parts) > 1:
        return _RELATIONSHIP_FIELDS.get(parts[1], parts[1])
    if parts[:2] == ["meta", "version"]:
        return "version"
    if parts[:1] == ["id"]:
        return "id"
    return None


def to_domain(response: httpx.Response) -> DomainError:
    """The domain error an error response carries (4xx; 5xx and auth are the HttpClient's)."""
    request = f"{response.request.method} {response.request.url.path}"
    try:
        body = json.loads(response.content)
        error = body["errors"][0]
        code = str(error.get("code", ""))
        detail = str(error.get("detail") or error.get("title") or code)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return DataSourceError(
            f"{request} answered {response.status_code} without a JSON:API error document",
            reason="bad_response",
        )
    prefix, _, reason = code.partition(".")
    kind = ERRORS_BY_CODE.get(prefix) or _BY_STATUS.get(response.status_code)
    if kind is None:
        return DataSourceError(
            f"{request} answered {response.status_code} ({code or 'no code'}): {detail}",
            reason="unexpected_status",
        )
    return kind(detail, field=field_of(error.get("source")), reason=reason or None)
