"""The entities of one consumer contract, made from the catalog's example factories.

Provider states store them and the consumer tests expect them, both from here, so an entity
type declared with an example factory (``EntityType(example=...)``) has its contract data, its
provider states and its interactions with no code of its own.

Per type there are six examples, each with a role, a fixed id (a uuid5 in the contract's
namespace) and its own ``Sample.n``:

- ``first`` and ``second``: stored by the state "two <plural> exist"; what reads, lists, pages
  and lookups find;
- ``edited`` and ``removed``: stored at version 1 by the state "<a> <singular> to edit and ...
  to remove exist"; ``edit`` is what a commit writes over ``edited`` (same id and version,
  every other field from another sample) and ``new`` is what it adds (absent until then).

``first`` and ``second`` refer to the first example of each referenced type; the other roles
refer to the second. So the children of a contract parent's first example are exactly two,
whatever commits ran before: paging interactions can pin both pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain import Catalog, Entity, Query
from domain.catalog import AnyEntityType, FieldKind, FilterSpec, Sample

ROLES: Mapping[str, int] = {
    "first": 0,
    "second": 1,
    "edited": 2,
    "edit": 3,
    "removed": 4,
    "new": 5,
}
"""Each role's ``Sample.n``: distinct, so examples differ in every filtered field and key."""

_PARENT_ROLE = {"first": "first", "second": "first"}
"""The role of the parents an example refers to; every other role's parents are ``second``."""

MISSING = UUID("00000000-0000-4000-8000-000000000404")
"""An id no contract entity has: what "does not exist" interactions ask for."""


def contract_ids(contract: str) -> Callable[[str], UUID]:
    """Fixed ids for one consumer's contract: ``name`` -> a uuid5 in the contract's namespace.

    Each consumer has its own namespace, so two contracts' states never share an entity.
    """
    namespace = uuid5(NAMESPACE_URL, f"https://hexstudio.dev/pact/{contract}")
    return lambda name: uuid5(namespace, name)


def words(name: str) -> str:
    """A snake-case name as words: ``shoot_days`` -> ``shoot days``."""
    return name.replace("_", " ")


def article(name: str) -> str:
    """``a shoot day``, ``an employee``: the singular with its indefinite article."""
    text = words(name)
    return f"{'an' if text[0] in 'aeiou' else 'a'} {text}"


@dataclass(frozen=True)
class TypeExamples:
    """One entity type's examples in one contract, by role (see the module docstring)."""

    entity: AnyEntityType
    first: Entity
    second: Entity
    edited: Entity
    edit: Entity
    removed: Entity
    new: Entity

    @property
    def pages(self) -> tuple[Entity, Entity]:
        """``first`` and ``second`` in the list order: page one holds the first of these."""
        ordered = sorted((self.first, self.second), key=lambda e: e.sort_key)
        return ordered[0], ordered[1]


def filter_value(spec: FilterSpec, stored: Any) -> Any:
    """A value of the filter ``spec`` that an entity whose field holds ``stored`` passes.

    None when there is none to give (the field is None, or an empty collection).
    """
    if stored is None:
        return None
    if spec.op == "has":
        return min(stored, key=str) if stored else None
    if spec.op == "in":
        return frozenset({stored})
    return stored  # eq, and the ends of a range (ge, le), include the value itself


def matching_query(entity: AnyEntityType, example: Entity) -> Query[Any]:
    """A query setting every filter of ``entity``'s type that ``example`` can pass.

    Each filter gets a value from the example's own field, so the example matches the query;
    a filter whose rule the value does not satisfy (a custom marker) is left unset.
    """
    values: dict[str, Any] = {}
    for spec in entity.filters:
        value = filter_value(spec, getattr(example, spec.field))
        if value is not None and entity.query(**{spec.name: value}).matches(example):
            values[spec.name] = value
    query: Query[Any] = entity.query(**values)
    return query


def scope_filter(entity: AnyEntityType) -> FilterSpec | None:
    """The first equality filter on a reference: lists the children of one parent, or None."""
    for spec in entity.filters:
        if spec.op == "eq" and entity.field(spec.field).kind is FieldKind.REFERENCE:
            return spec
    return None


def lineage(catalog: Catalog, entity: AnyEntityType) -> tuple[AnyEntityType, ...]:
    """Every type ``entity`` refers to, transitively, parents first, then ``entity`` itself.

    ValueError names the types of a reference cycle: no order stores those parents first.
    """
    order: list[AnyEntityType] = []

    def visit(current: AnyEntityType, path: tuple[AnyEntityType, ...]) -> None:
        if current in path:
            cycle = " -> ".join(t.plural for t in (*path, current))
            raise ValueError(f"contract examples need parents stored first; cycle: {cycle}")
        if current in order:
            return
        for ref in current.references:
            visit(catalog.target(ref), (*path, current))
        order.append(current)

    visit(entity, ())
    return tuple(order)


class ContractExamples:
    """Every example of one consumer contract, and the names of the states that store them.

    ``prefix`` starts every state name of the contract, so that two contracts verified
    against one provider never share a state (``graphql: two movies exist``).
    """

    def __init__(self, contract: str, catalog: Catalog, *, prefix: str = "") -> None:
        self.contract = contract
        self.catalog = catalog
        self.prefix = prefix
        self.id = contract_ids(contract)
        # A type is left out when it or a type it refers to declares no example factory.
        self._types = {
            e: self._build(e)
            for e in catalog
            if all(t.example is not None for t in lineage(catalog, e))
        }
        self._by_id = {
            example.id: example
            for found in self._types.values()
            for example in (found.first, found.second, found.edited, found.removed, found.new)
        }

    @property
    def types(self) -> tuple[AnyEntityType, ...]:
        """The types with examples: those whose lineage declares example factories."""
        return tuple(self._types)

    def __getitem__(self, entity: AnyEntityType) -> TypeExamples:
        return self._types[entity]

    def __iter__(self) -> Iterator[TypeExamples]:
        return iter(self._types.values())

    def stored(self, id: UUID) -> Entity:
        """The example with ``id`` (as a state stores it: ``edit`` never is)."""
        return self._by_id[id]

    def role_id(self, entity: AnyEntityType, role: str) -> UUID:
        """The fixed id of ``entity``'s example in ``role`` (``edit`` shares ``edited``'s)."""
        return self.id(f"{entity.plural} {'edited' if role == 'edit' else role}")

    def exist_state(self, entity: AnyEntityType) -> str:
        """The state storing ``first`` and ``second`` of ``entity``'s type, parents too."""
        return f"{self.prefix}two {words(entity.plural)} exist"

    def change_state(self, entity: AnyEntityType) -> str:
        """The state a commit of ``entity``'s type starts from: edited and removed stored."""
        one = article(entity.names.singular)
        return f"{self.prefix}{one} to edit and {one} to remove exist"

    def _build(self, entity: AnyEntityType) -> TypeExamples:
        made: dict[str, Entity] = {}
        for role, n in ROLES.items():
            parent_role = _PARENT_ROLE.get(role, "second")
            refs = {
                ref.name: self.role_id(self.catalog.target(ref), parent_role)
                for ref in entity.references
            }
            example = entity.sample(Sample(n, self.contract, refs))
            made[role] = example.evolve(id=self.role_id(entity, role), version=1)
        return TypeExamples(entity, **made)
