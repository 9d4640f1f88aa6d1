"""Read plans: the related entities a read will go on to read, named by relationship paths.

A plan starts at one entity type and follows the relationships its catalog declares: a
reference field's to-one relationship (``Production.movie_id`` -> ``movie``) or a reverse
to-many one (``catalog.reverses``: a production's ``shoot_days``). Paths are checked against
the catalog when the plan is built, so an interactor cannot name a relationship that does not
exist, and no adapter's include string is written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from domain.catalog.catalog import AnyEntityType, CatalogError
from domain.catalog.entity_type import EntityType
from domain.catalog.fields import FieldSpec
from domain.model.base import Entity

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True)
class Hop:
    """One step of a path: a relationship from ``source`` to ``target``."""

    name: str
    """The relationship's name (``movie``, ``shoot_days``), as every edge spells it."""
    source: AnyEntityType
    target: AnyEntityType
    field: FieldSpec
    """The reference field: on ``source`` for a to-one hop, on ``target`` for a to-many one."""
    to_many: bool


def hops(entity: AnyEntityType) -> dict[str, Hop]:
    """Every relationship a path may take from ``entity``, by name."""
    catalog = entity.catalog
    found = {
        ref.relationship: Hop(ref.relationship, entity, catalog.target(ref), ref, False)
        for ref in entity.references
    }
    for reverse in catalog.reverses(entity):
        found[reverse.name] = Hop(reverse.name, entity, reverse.source, reverse.field, True)
    return found


class Plan(Generic[E]):
    """Which relatives of a ``root`` read the caller will read next, in the same unit of work.

    ``Plan(PRODUCTIONS, ("movie",), ("shoot_days", "location"))``: the production's movie, its
    shoot days and their locations. A prefix of a path is planned too (``shoot_days`` above).
    A plan is a hint: a data source may fetch the relatives along with the root and answer the
    following reads from them, or ignore it; either way every read answers the same.
    """

    def __init__(self, root: EntityType[E, Any], *paths: tuple[str, ...]) -> None:
        self.root = root
        self.paths: tuple[tuple[str, ...], ...] = tuple(dict.fromkeys(paths))
        self.hops: tuple[tuple[Hop, ...], ...] = tuple(self._resolve(p) for p in self.paths)

    def _resolve(self, path: tuple[str, ...]) -> tuple[Hop, ...]:
        if not path:
            raise CatalogError(f"a plan of {self.root.label} has an empty path")
        steps: list[Hop] = []
        at: AnyEntityType = self.root
        for name in path:
            choices = hops(at)
            hop = choices.get(name)
            if hop is None:
                raise CatalogError(
                    f"plan path {'.'.join(path)!r}: {at.label} has no relationship {name!r} "
                    f"(choices: {', '.join(sorted(choices)) or 'none'})"
                )
            steps.append(hop)
            at = hop.target
        return tuple(steps)

    @property
    def to_many(self) -> bool:
        """Whether any path takes a to-many hop (whose children must come complete)."""
        return any(hop.to_many for path in self.hops for hop in path)

    def dotted(self, depth: int | None = None) -> tuple[str, ...]:
        """The paths as ``a.b`` strings, each cut to ``depth`` hops when given, deduplicated."""
        cut = (p if depth is None else p[:depth] for p in self.paths)
        return tuple(dict.fromkeys(".".join(p) for p in cut))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plan) and (self.root, self.paths) == (other.root, other.paths)

    def __hash__(self) -> int:
        return hash((self.root, self.paths))

    def __repr__(self) -> str:
        return f"Plan({self.root.plural}, {', '.join(self.dotted())})"
