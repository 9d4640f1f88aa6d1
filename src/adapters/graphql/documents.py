"""The GraphQL documents the adapter sends, kept as ``.graphql`` files in this package.

The files are the generator's output for the studio's catalog (``generate``), committed so
that a review sees every change of what goes on the wire; a test validates each against the
provider's schema, and the Pact contracts pin them. Another domain's documents are generated
by the same code when first sent. They are sent compacted (comments and optional whitespace
removed), which is still valid GraphQL.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from domain import STUDIO, Catalog

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
def document(name: str, catalog: Catalog | None = None) -> str:
    """The compacted document ``name`` of ``catalog`` (default the studio's), as sent."""
    if catalog is None or catalog is STUDIO:
        return compact(source(name))
    from adapters.graphql.generate import documents  # the generator needs kinds, which needs us

    return compact(documents(catalog)[name])


def names() -> list[str]:
    """Every document of the package, by name."""
    folder = files("adapters.graphql") / "documents"
    return sorted(
        p.name.removesuffix(".graphql") for p in folder.iterdir() if p.name.endswith(".graphql")
    )
