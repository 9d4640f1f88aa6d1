"""Which version a PATCH or DELETE applies to: If-Match, ``meta.version``, or the stored one.

The rule (docs/jsonapi.md, "Versions and ETags"), one for every write of one resource:

- ``If-Match: "<version>"`` (the resource's ``ETag``) makes the write conditional the HTTP way:
  when the stored version is another, **412** ``conflict.stale_version`` naming the header.
- ``meta.version`` makes it conditional the JSON:API way: a mismatch is **409**
  ``conflict.stale_version`` pointing at ``/data/meta/version``. With both, If-Match is
  checked first, so a write that fails both is 412.
- Neither: the write applies to the version it finds stored, read and written in one
  transaction, so fields it did not send keep what that version holds. A write that another
  one overtakes between the read and the write is tried again on the new version (the
  version guard of the write finds it, no field is lost), up to ``ATTEMPTS`` times.
- With ``service.require_versions = true`` a write with neither gets **428** naming both ways.

Generic clients (kitsu, jsona, openapi-python-client's) send no version; the json_api data
source always does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request

from app.service.jsonapi.errors import JsonApiError, Problem
from domain import Conflict, DomainError

T = TypeVar("T")

ATTEMPTS = 3
"""Tries of a write without a version that concurrent writes keep overtaking; then 409."""

ANY = -1
"""``If-Match: *``: any stored version (the resource must exist); no version is named."""


def etag(version: int) -> str:
    """The entity tag of a resource at ``version``: strong, as If-Match compares strongly."""
    return f'"{version}"'


@dataclass(frozen=True)
class Condition:
    """The versions a write was sent with, if any."""

    if_match: int | None = None
    """The If-Match version (``ANY`` for ``*``), or None without the header."""
    meta_version: int | None = None
    """``data.meta.version``, or None without it."""

    @property
    def named(self) -> bool:
        """Whether the request names a version (``If-Match: *`` names none)."""
        return self.meta_version is not None or self.if_match not in (None, ANY)

    def version_for(self, stored: int) -> int:
        """The version the write must find: 412 when If-Match names another than ``stored``."""
        if self.if_match not in (None, ANY, stored):
            raise precondition_failed(stored)
        return stored if self.meta_version is None else self.meta_version

    def overtaken(self, error: DomainError) -> JsonApiError | None:
        """412 when ``error`` is a stale version the write found by If-Match, else None.

        When ``meta.version`` names another version than If-Match (which the stored one
        matched), the write looked for the body's version: its failure is the body's, 409.
        """
        by_header = self.if_match not in (None, ANY) and self.meta_version in (None, self.if_match)
        return precondition_failed(None) if by_header and _is_stale(error) else None


def parse_if_match(request: Request) -> int | None:
    """The version in If-Match (``"3"``; ``W/"3"`` too), ``ANY`` for ``*``; 400 when malformed."""
    raw = request.headers.get("if-match")
    if raw is None:
        return None
    value = raw.strip()
    if value == "*":
        return ANY
    value = value.removeprefix("W/")  # lenient: a weak tag of ours names a version all the same
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not (value.isascii() and value.isdigit()):
        raise JsonApiError(
            Problem(
                400,
                "bad_request",
                'If-Match must be one ETag of the resource, its version: "3"',
                header="If-Match",
            )
        )
    return int(value)


def require_version(request: Request, condition: Condition, *, body: bool = True) -> None:
    """428 when the service requires versions and the write names none."""
    if condition.named or not request.app.state.container.settings.service.require_versions:
        return
    ways = (
        'If-Match: "<version>" (the ETag a GET answers) or data.meta.version'
        if body
        else 'If-Match: "<version>" (the ETag a GET answers), or meta.version in an atomic remove'
    )
    raise JsonApiError(
        Problem(
            428,
            "precondition_required",
            f"this service requires the version a write applies to: send {ways}",
            header="If-Match",
        )
    )


def precondition_failed(stored: int | None) -> JsonApiError:
    """412 for an If-Match the stored version does not match."""
    detail = "If-Match names another version than the stored one"
    if stored is not None:
        detail += f" ({stored}, ETag {etag(stored)})"
    return JsonApiError(Problem(412, "conflict.stale_version", detail, header="If-Match"))


async def applying(condition: Condition, write: Callable[[], Awaitable[T]]) -> T:
    """Run ``write`` (one transaction); again when it named no version and was overtaken."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await write()
        except DomainError as exc:
            if condition.named or not _is_stale(exc) or attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _is_stale(error: DomainError) -> bool:
    return isinstance(error, Conflict) and error.reason == "stale_version"
