"""The media type of a GraphQL answer, chosen from the request's ``Accept`` (GraphQL over HTTP).

The spec draft defines ``application/graphql-response+json``, which says "this is a GraphQL
response whatever the status", so request errors can be 4xx; ``application/json`` is kept for
the clients that predate it (they read the body only on 200). A client gets the new type when
it names it: a wildcard (``*/*``, ``application/*``) or no ``Accept`` means ``application/json``
(the audit's rule, and what every client before the draft expects) unless that is refused by
name (``application/json;q=0``).
"""

from __future__ import annotations

from functools import lru_cache

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


@lru_cache(maxsize=64)
def negotiate(accept: str | None) -> str | None:
    """``GRAPHQL_RESPONSE`` or ``JSON`` for an ``Accept`` value; None when it allows neither.

    Of the two, the one of the higher quality wins (RFC 9110: the most specific range that
    matches gives a type its quality); on a tie, the one this spec prefers. Cached: clients
    send the same few headers over and over.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = dict(_ranges(accept))
    wildcard = next(
        (q for q in (ranges.get("application/*"), ranges.get("*/*")) if q is not None), None
    )
    named = ranges.get(GRAPHQL_RESPONSE)
    plain = ranges.get(JSON, wildcard)
    if named and (plain is None or named >= plain):
        return GRAPHQL_RESPONSE
    if plain:
        return JSON
    # JSON refused by name, yet a wildcard still takes the spec's type.
    return GRAPHQL_RESPONSE if named is None and wildcard else None


def _ranges(accept: str) -> list[tuple[str, float]]:
    """Each media range of ``accept``, lowercased without parameters, with its quality."""
    found: list[tuple[str, float]] = []
    for part in accept.split(","):
        kind, *parameters = (piece.strip() for piece in part.split(";"))
        if not kind:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:  # nan too
                    quality = 0.0  # an unreadable weight accepts nothing rather than everything
        found.append((kind.lower(), quality))
    return found
