"""Keyset pagination: page requests, pages and the opaque cursor between them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from domain.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 500
"""No data source returns more than this many items in one page."""

DEFAULT_PAGE_SIZE = 50


class PageRequest(BaseModel):
    """Which page to read: at most ``size`` items after ``cursor`` (None for the first page)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Items in the stable list order, and the cursor of the next page (None on the last)."""

    items: tuple[T, ...]
    next_cursor: str | None = None


# The checksum catches truncated, edited or foreign cursors early with a clear error. It is not a
# security boundary: every decoded value is still parsed and bound as a query parameter.
_CHECKSUM_KEY = b"hexstudio.cursor.v1"


def _checksum(payload: bytes) -> str:
    digest = hashlib.blake2b(payload, key=_CHECKSUM_KEY, digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode_cursor(key: Sequence[str]) -> str:
    """Encode the sort key of the last item of a page as an opaque, URL-safe cursor."""
    payload = json.dumps(list(key), separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_checksum(payload)}"


def decode_cursor(cursor: str, *, arity: int) -> tuple[str, ...]:
    """Decode a cursor made by encode_cursor, or raise InvalidInput naming ``page.cursor``."""
    body, _, checksum = cursor.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        key = json.loads(payload) if checksum == _checksum(payload) else None
    except (binascii.Error, ValueError):
        key = None
    if not (isinstance(key, list) and len(key) == arity and all(isinstance(k, str) for k in key)):
        raise InvalidInput("page.cursor: malformed or tampered cursor", field="page.cursor")
    return tuple(key)
