r"""JSON request bodies, parsed so that bad input is the client's error, never a 500.

Both APIs parse their bodies here. Refused, each with what was wrong and where:

- bytes that are not UTF-8 (RFC 8259 requires it; ``json.loads`` of bytes would also accept
  UTF-16 and encoded lone surrogates),
- text that is not JSON, or a number of more digits than Python converts,
- nesting deeper than ``MAX_JSON_DEPTH`` (Python's parser overflows its stack near 1,000 levels
  and pydantic's serializer fails at 255, both unhandled),
- a lone surrogate (``"\ud800"`` in the JSON) in any string or member name: JSON allows the
  escape, but it is no Unicode text, and every UTF-8 encoder after the edge (pydantic, the SQL
  drivers) fails on it.

The normal path costs two ``count`` calls and one regex search over the text: the tree is walked
only when the text has more brackets than the depth allows or a surrogate escape.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.service.limits import MAX_JSON_DEPTH

# A surrogate can only arrive escaped: strict UTF-8 decoding refuses encoded ones. Pairs
# (\ud83d\ude00) match too; the walk then finds they were joined into one character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadJson(ValueError):
    """A body refused: ``detail`` says why; ``pointer`` (RFC 6901) where, when it is known."""

    def __init__(self, detail: str, pointer: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


def parse_json(body: bytes | str) -> Any:
    """The JSON value of ``body``, or ``BadJson`` saying what is wrong with it."""
    text = _text(body)
    try:
        value = json.loads(text)
    except RecursionError:
        raise BadJson(_too_deep("")) from None
    except ValueError as exc:
        raise BadJson(f"the request body is not valid JSON: {_reason(exc)}") from None
    strings = _SURROGATE_ESCAPE.search(text) is not None
    if strings or text.count("[") + text.count("{") > MAX_JSON_DEPTH:
        _check(value, strings=strings)
    return value


def _text(body: bytes | str) -> str:
    if isinstance(body, str):
        return body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJson(f"the request body is not UTF-8: {exc.reason} at byte {exc.start}") from None


def _reason(exc: ValueError) -> str:
    text = str(exc)
    # CPython's advice to call sys.set_int_max_str_digits() is for the operator, not the client.
    return text.partition(";")[0] if text.startswith("Exceeds the limit") else text


def _too_deep(pointer: str) -> str:
    where = f" at {pointer}" if pointer else ""
    return f"the request body is nested deeper than {MAX_JSON_DEPTH} levels{where}"


def _check(value: Any, *, strings: bool) -> None:
    """Raise ``BadJson`` for a container too deep, or (``strings``) the first lone surrogate."""
    try:
        if isinstance(value, (dict, list)):
            _walk(value, 1, strings)
        elif strings and isinstance(value, str) and _SURROGATE.search(value):
            raise _Found("string", value)
    except _Found as found:
        pointer = "".join(f"/{_token(t)}" for t in reversed(found.tokens))
        raise BadJson(found.detail(pointer), pointer) from None


def _token(part: str | int) -> str:
    """One reference token of a JSON pointer (RFC 6901 escapes ``~`` and ``/``)."""
    return str(part).replace("~", "~0").replace("/", "~1")


class _Found(Exception):
    """Raised at the problem; each level on the way up adds its member name or index."""

    def __init__(self, kind: str, text: str = "") -> None:
        self.kind = kind
        self.text = text
        self.tokens: list[str | int] = []

    def detail(self, pointer: str) -> str:
        if self.kind == "deep":
            return _too_deep(pointer)
        what = "a member name" if self.kind == "name" else "a string"
        where = pointer or "the top level"
        return f"{what} at {where} has a lone surrogate, no Unicode text: {_excerpt(self.text)}"


def _excerpt(text: str) -> str:
    """Up to 20 characters either side of the first surrogate, escaped by ``ascii``.

    Escaped, because the detail itself must encode as UTF-8 (it shows a backslash-u escape).
    """
    found = _SURROGATE.search(text)
    start = found.start() if found else 0
    return ascii(text[max(0, start - 20) : start + 21])


def _walk(container: dict[str, Any] | list[Any], depth: int, strings: bool) -> None:
    # Recursion is bounded: a container past MAX_JSON_DEPTH stops the walk. Scalars are looked
    # at in their container's loop, not in a call each: a body of 1,000 operations is ~10,000.
    if depth > MAX_JSON_DEPTH:
        raise _Found("deep")
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, item in items:
        if strings and isinstance(key, str) and _SURROGATE.search(key):
            raise _Found("name", key)  # points at the object: the name cannot be encoded
        if isinstance(item, (dict, list)):
            try:
                _walk(item, depth + 1, strings)
            except _Found as found:
                found.tokens.append(key)
                raise
        elif strings and isinstance(item, str) and _SURROGATE.search(item):
            problem = _Found("string", item)
            problem.tokens.append(key)
            raise problem
