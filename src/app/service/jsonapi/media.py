"""Content negotiation by the JSON:API 1.1 rules on media type parameters.

- A request body must be ``application/vnd.api+json`` with no parameters but ``ext`` and
  ``profile``, and every ``ext`` must be one this endpoint supports: otherwise 415.
- An Accept header that names the JSON:API media type only with other parameters or
  unsupported extensions, or that accepts nothing JSON:API can be served as, gets 406.
"""

from __future__ import annotations

from starlette.requests import Request

from app.service.jsonapi.errors import MEDIA_TYPE, JsonApiError, Problem

ATOMIC = "https://jsonapi.org/ext/atomic"
"""The URI of the Atomic Operations extension."""

ATOMIC_MEDIA_TYPE = f'{MEDIA_TYPE}; ext="{ATOMIC}"'
"""The media type of atomic-operations requests and responses."""

_ALLOWED_PARAMETERS = frozenset({"ext", "profile"})


def _parse(value: str) -> tuple[str, dict[str, str]]:
    """Split ``type/subtype; a=b; c="d e"`` into the lowercase type and its parameters."""
    kind, *rest = _split(value, ";")
    params: dict[str, str] = {}
    for item in rest:
        name, sep, raw = item.partition("=")
        if not sep:
            params[name.strip().lower()] = ""
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        params[name.strip().lower()] = raw
    return kind.strip().lower(), params


def _split(value: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double quotes (ext lists are quoted)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _extensions(params: dict[str, str]) -> frozenset[str]:
    return frozenset(params.get("ext", "").split())


def require_content_type(request: Request, *, extensions: frozenset[str] = frozenset()) -> None:
    """415 unless the body is JSON:API with only supported ``ext`` (all of ``extensions``)."""
    header = request.headers.get("content-type")
    if header is None:
        raise _unsupported("a request body needs Content-Type: application/vnd.api+json")
    kind, params = _parse(header)
    if kind != MEDIA_TYPE:
        raise _unsupported(f"Content-Type {header!r} is not {MEDIA_TYPE}")
    unknown = set(params) - _ALLOWED_PARAMETERS
    if unknown:
        raise _unsupported(
            f"Content-Type has parameters JSON:API forbids: {', '.join(sorted(unknown))}"
        )
    given = _extensions(params)
    if given - extensions:
        raise _unsupported(f"unsupported extension(s) here: {' '.join(sorted(given - extensions))}")
    if extensions - given:
        raise _unsupported(
            f'this endpoint needs Content-Type: {MEDIA_TYPE}; ext="{" ".join(sorted(extensions))}"'
        )


def require_acceptable(request: Request, *, extensions: frozenset[str] = frozenset()) -> None:
    """406 unless the Accept header admits a JSON:API response this endpoint can send."""
    header = request.headers.get("accept")
    if not header or not header.strip():
        return
    saw_jsonapi = False
    for item in _split(header, ","):
        if not item.strip():
            continue
        kind, params = _parse(item)
        if params.get("q", "1").strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        if kind in ("*/*", "application/*"):
            return
        if kind != MEDIA_TYPE:
            continue
        saw_jsonapi = True
        params.pop("q", None)
        if set(params) - _ALLOWED_PARAMETERS:
            continue
        if _extensions(params) <= extensions:
            return
    reason = (
        "every JSON:API media type in Accept has parameters or extensions this server cannot honour"
        if saw_jsonapi
        else f"the Accept header does not admit {MEDIA_TYPE}"
    )
    raise JsonApiError(Problem(406, "not_acceptable", reason, header="Accept"))


def _unsupported(detail: str) -> JsonApiError:
    return JsonApiError(Problem(415, "unsupported_media_type", detail, header="Content-Type"))
