"""Arguments every connection shares (``first``, ``after``) and id parsing, as domain values."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain import MAX_PAGE_SIZE, InvalidInput, PageRequest

PageArgs = PageRequest
"""A connection's ``first``/``after`` as the ports' page request (hashable: a loader key)."""


def page_args(first: int, after: str | None) -> PageRequest:
    """Check ``first`` (1..500) and wrap both; InvalidInput names the argument."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(
            f"first: must be between 1 and {MAX_PAGE_SIZE}, got {first}", field="first"
        )
    return PageRequest(size=first, cursor=after)


def to_uuid(value: str, field: str) -> UUID:
    """Parse an ``ID`` argument; InvalidInput names ``field`` when it is not a UUID."""
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        raise InvalidInput(f"{field}: {value!r} is not a UUID", field=field) from None


def to_uuids(values: Sequence[str], field: str) -> list[UUID]:
    """Parse a list of ``ID`` arguments, naming the index of a bad one."""
    return [to_uuid(value, f"{field}[{index}]") for index, value in enumerate(values)]
