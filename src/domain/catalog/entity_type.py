"""One entity type's declaration: its model, its query, its names and its unique keys.

Everything else an edge needs (fields and their kinds, references, owned collections, value
objects, filters, order) is read from the model and the query type, so it is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from domain.catalog.fields import FieldKind, FieldSpec, describe_model
from domain.catalog.names import Names, snake
from domain.catalog.query import FilterSpec, Query
from domain.model.base import Entity

if TYPE_CHECKING:
    from domain.catalog.catalog import Catalog

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

KEYS = ("id", "version")
"""The fields every entity has: identity and version travel apart from the attributes."""


@dataclass(frozen=True, eq=False)
class UniqueKey:
    """Fields no two stored entities may share, and a lookup by them.

    Every data source refuses a second entity with the same values (``Conflict`` with
    ``reason``, on ``fields[0]``) and answers ``Repository.find_by(key, values)`` in one
    round trip: the shoot days holding some (location, date) slots, for instance.
    """

    name: str
    fields: tuple[str, ...]
    reason: str
    """The Conflict's reason when a write would break the key (``location_double_booked``)."""
    read: str | None = None
    """What the lookup is called on the wire (``bookings``: GraphQL ``shootDayBookings``);
    default ``by_<name>``."""

    @property
    def read_name(self) -> str:
        """The lookup's name: ``read``, or ``by_<name>``."""
        return self.read or f"by_{self.name}"


@dataclass(frozen=True)
class Sample:
    """What an example factory is given: a number, a tag and the ids to refer to.

    ``n`` is unique within a run and ``tag`` is unique per run, so values made from them
    (``sample.text("Stage")``) never collide with stored data; ``refs`` holds an id for every
    reference field, chosen by the caller (the conformance kit shares some on purpose).
    """

    n: int
    tag: str
    refs: Mapping[str, UUID]

    def text(self, label: str) -> str:
        """A readable text no other sample has: ``Stage-7-1a2b3c4d``."""
        return f"{label}-{self.n}-{self.tag}"

    def ref(self, field: str) -> UUID:
        """The id the reference field ``field`` should hold."""
        return self.refs[field]


@dataclass(frozen=True, eq=False)
class EntityType(Generic[E, Q]):
    """An entity type as declared once in a catalog; every edge derives from it.

    ``name`` is the singular snake-case name (default: from the model's class name); the other
    overrides replace one spelling of the naming rule (``domain.catalog.names``).
    """

    model: type[E]
    query: type[Q]
    name: str | None = None
    plural_name: str | None = None
    jsonapi_type: str | None = None
    graphql_type: str | None = None
    unique: tuple[UniqueKey, ...] = ()
    example: Callable[[Sample], E] | None = None
    """A valid entity for a sample: the conformance kit, the equivalence machine and the
    contracts build their data with it. Examples of different ``n`` should differ in every
    field a filter reads (so each filter can be seen to include some and exclude others),
    and in every unique key given the same references."""
    personal: bool = False
    """Its entities are personal data as a whole; a field can say so alone (``Personal()``).
    Either way ``holds_personal_data`` is what shared caches (Redis) go by."""

    names: Names = field(init=False)
    fields: tuple[FieldSpec, ...] = field(init=False)
    catalog: Catalog = field(init=False, repr=False)
    """The catalog that declares this type (set by the catalog; one catalog per type)."""

    def __post_init__(self) -> None:
        names = Names.derive(
            self.name or snake(self.model.__name__),
            graphql_type=self.graphql_type or self.model.__name__,
            plural_name=self.plural_name,
            jsonapi_type=self.jsonapi_type,
        )
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "fields", describe_model(self.model))

    def __repr__(self) -> str:
        return f"EntityType({self.model.__name__})"

    @property
    def plural(self) -> str:
        """The repository's name (``shoot_days``): tables, routes and config keys use it."""
        return self.names.plural

    @property
    def label(self) -> str:
        """The name errors use for one entity of this type (the model's class name)."""
        return self.model.__name__

    @property
    def order(self) -> tuple[str, ...]:
        """The stable list order's fields, the last one ``id`` (``Entity.ordering``)."""
        return self.model.ordering

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``; KeyError names the type when there is none."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.label} has no field {name!r}")

    def of_kind(self, *kinds: FieldKind) -> tuple[FieldSpec, ...]:
        """The fields of the given kinds, in declaration order (keys left out)."""
        return tuple(f for f in self.fields if f.kind in kinds and f.name not in KEYS)

    @property
    def references(self) -> tuple[FieldSpec, ...]:
        """The fields holding another entity's id."""
        return self.of_kind(FieldKind.REFERENCE)

    @property
    def attributes(self) -> tuple[FieldSpec, ...]:
        """The fields that are neither keys nor references (JSON:API's attributes)."""
        return self.of_kind(FieldKind.SCALAR, FieldKind.VALUE, FieldKind.COLLECTION)

    @property
    def collections(self) -> tuple[FieldSpec, ...]:
        """The value collections the entity owns (stored apart by SQL)."""
        return self.of_kind(FieldKind.COLLECTION)

    @property
    def personal_fields(self) -> tuple[str, ...]:
        """The fields marked ``Personal()``, a value object's parts as ``budget.amount``."""
        return tuple(_personal(self.fields))

    @property
    def holds_personal_data(self) -> bool:
        """Whether its entities hold personal data: the type is personal, or any field is.

        The one rule for what a personal field means: the entity as a whole is treated as
        personal (shared caches never hold it). Storing it without those fields instead would
        break the repository port, whose reads answer whole entities.
        """
        return self.personal or bool(self.personal_fields)

    @property
    def filters(self) -> tuple[FilterSpec, ...]:
        """The list filters its query type offers."""
        return self.query.filters()

    def filter_name(self, name: str) -> str:
        """The qualified name of a filter, as capabilities list it: ``movies.genre``."""
        return f"{self.plural}.{name}"

    @property
    def filter_names(self) -> frozenset[str]:
        """Every qualified filter name of this type."""
        return frozenset(self.filter_name(f.name) for f in self.filters)

    def sample(self, sample: Sample) -> E:
        """The example of ``sample``; TypeError names the type when it declares none."""
        if self.example is None:
            raise TypeError(f"{self.label} declares no example factory (EntityType(example=...))")
        return self.example(sample)

    def unique_key(self, name: str) -> UniqueKey:
        """The unique key called ``name``; KeyError names the type when there is none."""
        for key in self.unique:
            if key.name == name:
                return key
        raise KeyError(f"{self.label} has no unique key {name!r}")


def _personal(fields: tuple[FieldSpec, ...], within: str = "") -> list[str]:
    """The dotted names of the personal fields among ``fields`` and their parts."""
    found: list[str] = []
    for spec in fields:
        if spec.personal:
            found.append(within + spec.name)
        else:
            found.extend(_personal(spec.parts, f"{within}{spec.name}."))
    return found
