"""Hide secrets in what people read: one rule for ``config show`` and every error message.

It lives here, below the app, because adapters echo their options in errors too (the
import-linter forbids adapters to import the app).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "********"

SECRET_KEY = re.compile(r"(token|password|passwd|pwd|secret|api_?key)$", re.IGNORECASE)
"""A key whose whole value is a secret (matched at the end of a dotted key)."""

_USERINFO = re.compile(
    r"(?P<head>(?:[a-z][a-z0-9+.-]*://)?[^\s:/@?#'\"]*:)(?!//)[^\s'\"]*(?=@)",
    re.IGNORECASE,
)
# The password of ``user:password@host``, with or without a scheme. Greedy up to the last "@"
# of the word: a password with a raw "@" in it is hidden whole (more hidden is the safe side).
_SECRET_PARAMETER = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd|token|secret|api_?key)=)[^&\s'\"]*", re.IGNORECASE
)
# ``?password=...`` in a URL's query: asyncpg and others take the password that way too.


def mask_text(text: str) -> str:
    """``text`` with every ``user:password@`` password and ``password=`` parameter hidden."""
    text = _USERINFO.sub(rf"\g<head>{MASK}", text)
    return _SECRET_PARAMETER.sub(rf"\g<head>{MASK}", text)


def mask(key: str, value: Any) -> Any:
    """``value`` fit to show as the value of ``key``.

    All of it under a secret key (``token``, ``password``...); else, through tables and lists,
    the password of every URL in it.
    """
    if value is None:
        return None
    if SECRET_KEY.search(key):
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {name: mask(str(name), item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask(key, item) for item in value]
    return value


def contains_secret(key: str, value: Any) -> bool:
    """Whether ``mask`` would hide anything of ``value`` (e.g. a token in a settings file)."""
    return bool(mask(key, value) != value)
