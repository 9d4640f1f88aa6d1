"""The GraphQL documents the adapter sends, kept as ``.graphql`` files in this package.

A test validates every file against the provider's schema; the Pact contracts pin them. They
are sent compacted (comments and optional whitespace removed), which is still valid GraphQL.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_COMMENT = re.compile(r"#[^\n]*")
_IGNORED = re.compile(r"[\s,]+")
_AROUND_PUNCTUATION = re.compile(r" ?([!$():=@\[\]{}|]) ?")


def compact(text: str) -> str:
    """``text`` without comments, commas or whitespace that separates nothing.

    Our documents hold no string literals, so no whitespace inside one can be lost.
    """
    text = _IGNORED.sub(" ", _COMMENT.sub("", text)).strip()
    return _AROUND_PUNCTUATION.sub(r"\1", text)


def source(name: str) -> str:
    """The file ``documents/<name>.graphql`` as written."""
    return (files("adapters.graphql") / "documents" / f"{name}.graphql").read_text("utf-8")


@cache
def document(name: str) -> str:
    """The compacted document ``name``, as sent on the wire."""
    return compact(source(name))


def names() -> list[str]:
    """Every document of the package, by name."""
    folder = files("adapters.graphql") / "documents"
    return sorted(
        p.name.removesuffix(".graphql") for p in folder.iterdir() if p.name.endswith(".graphql")
    )
