"""Answers of the read ports as comparable domain values, and their differences by field path.

A shadow's answer is compared with the primary's as values: entities by their fields, pages
by their items (and whether more follow: cursors are each source's own), ``get_many`` by id,
``find_by`` as a set, and a failure by its domain error class, never by its message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain import DomainError, Entity, Page


@dataclass(frozen=True)
class Outcome:
    """What a read answered: a JSON-like value, or the class of the domain error it raised."""

    value: Any = None
    error: str | None = None


def outcome_of(answer: Any = None, error: DomainError | None = None) -> Outcome:
    """The comparable form of a port's answer (or of the error it raised)."""
    if error is not None:
        return Outcome(error=type(error).__name__)
    return Outcome(value=_plain(answer))


def _plain(answer: Any) -> Any:
    if isinstance(answer, Entity):
        return answer.model_dump(mode="json")
    if isinstance(answer, Page):
        return {"items": [_plain(e) for e in answer.items], "more": answer.next_cursor is not None}
    if isinstance(answer, Mapping):
        return {str(key): _plain(value) for key, value in answer.items()}
    if isinstance(answer, list | tuple | set | frozenset):
        return {str(e.id): _plain(e) for e in answer}  # find_by: a set, keyed by id
    return answer


def differences(expected: Outcome, got: Outcome, limit: int = 20) -> list[str]:
    """The field paths where ``got`` differs from ``expected`` (at most ``limit``)."""
    if expected.error or got.error:
        if expected.error == got.error:
            return []
        return [f"error: {expected.error or 'none'} != {got.error or 'none'}"]
    found: list[str] = []
    _walk(expected.value, got.value, "", found, limit)
    return found


def _walk(a: Any, b: Any, path: str, found: list[str], limit: int) -> None:
    if len(found) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            here = f"{path}.{key}" if path else str(key)
            if key not in b:
                found.append(f"{here}: missing")
            elif key not in a:
                found.append(f"{here}: unexpected")
            else:
                _walk(a[key], b[key], here, found, limit)
            if len(found) >= limit:
                return
        return
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            found.append(f"{path or 'items'}: {len(a)} != {len(b)} items")
            return
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, f"{path}[{index}]", found, limit)
        return
    found.append(path or "value")
