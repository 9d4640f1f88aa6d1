"""What a declaration writes on a field: references, personal data and list filters.

All are plain values put in ``Annotated[...]``; pydantic keeps them in the field's metadata
and the catalog reads them from there, so a model or a query stays an ordinary pydantic class::

    movie_id: Annotated[UUID, References("movies")]
    name: Annotated[str, Personal()]
    phases: Annotated[frozenset[Phase] | None, In("phase")] = None
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class References:
    """The field holds the id of an entity of the type whose plural is ``target``.

    The relationship is named after the field without ``_id`` (``movie_id`` -> ``movie``)
    unless ``relationship`` says otherwise; the referenced type sees the reverse relationship
    named after the referring type's plural (``productions``), unless ``reverse`` says so.
    """

    target: str
    relationship: str | None = None
    reverse: str | None = None


@dataclass(frozen=True)
class Personal:
    """The field holds personal data (a person's name, an e-mail address).

    What follows from it is decided once, by the entity type
    (``EntityType.holds_personal_data``): shared caches keep such entities out of Redis.
    """


@dataclass(frozen=True)
class Filter:
    """A query field that restricts a list by one entity field; the subclass says how.

    ``field`` names the entity field compared (default: the query field's own name).
    """

    field: str | None = None
    op: ClassVar[str]
    """The comparison's stable name (``eq``, ``in``, ``has``, ``ge``, ``le``): adapters map it."""

    def test(self, stored: Any, wanted: Any) -> bool:
        """Whether an entity whose field is ``stored`` passes the filter set to ``wanted``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Equals(Filter):
    """The field equals the value (what a query field without a marker means)."""

    op: ClassVar[str] = "eq"

    def test(self, stored: Any, wanted: Any) -> bool:
        """Equality."""
        return bool(stored == wanted)


@dataclass(frozen=True)
class In(Filter):
    """The field is one of a set of values; an empty set matches nothing."""

    op: ClassVar[str] = "in"

    def test(self, stored: Any, wanted: Collection[Any]) -> bool:
        """Membership of the stored value in the set asked for."""
        return stored in wanted


@dataclass(frozen=True)
class Has(Filter):
    """The field is a collection that holds the value (a movie having a genre)."""

    op: ClassVar[str] = "has"

    def test(self, stored: Collection[Any], wanted: Any) -> bool:
        """Membership of the value asked for in the stored collection."""
        return wanted in stored


@dataclass(frozen=True)
class AtLeast(Filter):
    """The field is at least the value (the lower end of a range, included)."""

    op: ClassVar[str] = "ge"

    def test(self, stored: Any, wanted: Any) -> bool:
        """``stored >= wanted``."""
        return bool(stored >= wanted)


@dataclass(frozen=True)
class AtMost(Filter):
    """The field is at most the value (the upper end of a range, included)."""

    op: ClassVar[str] = "le"

    def test(self, stored: Any, wanted: Any) -> bool:
        """``stored <= wanted``."""
        return bool(stored <= wanted)
