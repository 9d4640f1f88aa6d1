"""The wire format of the JSON:API service: resource types, resource objects <-> entities.

Attributes are the entity fields; foreign keys travel as to-one relationships and the version
as ``meta.version``. Anything a response carries that is not of this shape is a
DataSourceError naming the member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NotRequired

from pydantic import ValidationError
from typing_extensions import TypedDict

from domain import DataSourceError, Entity, EntityType

MEDIA_TYPE = "application/vnd.api+json"
ATOMIC = "https://jsonapi.org/ext/atomic"
ATOMIC_MEDIA_TYPE = f'{MEDIA_TYPE}; ext="{ATOMIC}"'


@dataclass(frozen=True, eq=False)
class WireType:
    """One resource type: its name on the wire, its entity type and its to-one relationships.

    All of it comes from the entity type's declaration: the JSON:API type is its
    ``jsonapi_type``, each reference is a to-one relationship named after the field.
    """

    entity: EntityType[Any, Any]
    name: str = field(init=False)
    to_one: tuple[tuple[str, str, str], ...] = field(init=False)
    """(relationship name, target type, entity field) of each foreign key."""
    to_many: dict[str, tuple[str, str]] = field(init=False)
    """Each reverse relationship by name: (referring type, its reference field). The linkage
    of an included to-many relationship lists every child, so later lists are answered."""
    include: str | None = field(init=False)
    """What reads of this type ask the service to include, to answer later reads locally:
    the referenced types that reference nothing themselves (a production's movie, a shoot
    day's location), so one include never fans out further."""
    validate: Callable[[Any], Any] = field(init=False)
    """The entity model's own validator, called on each flattened resource object (the same
    checks as ``model_validate``, without its Python wrapper: see ``from_resource``)."""

    def __post_init__(self) -> None:
        catalog = self.entity.catalog
        to_one = tuple(
            (ref.relationship, catalog.target(ref).names.jsonapi_type, ref.name)
            for ref in self.entity.references
        )
        leaves = [
            ref.relationship for ref in self.entity.references if not catalog.target(ref).references
        ]
        object.__setattr__(self, "name", self.entity.names.jsonapi_type)
        object.__setattr__(self, "to_one", to_one)
        to_many = {
            r.name: (r.source.names.jsonapi_type, r.field.name)
            for r in catalog.reverses(self.entity)
        }
        object.__setattr__(self, "to_many", to_many)
        object.__setattr__(self, "include", ",".join(leaves) or None)
        object.__setattr__(
            self, "validate", self.entity.model.__pydantic_validator__.validate_python
        )


_WIRE_TYPES: dict[EntityType[Any, Any], WireType] = {}


def wire_type(entity: EntityType[Any, Any]) -> WireType:
    """The wire type of ``entity``'s type, built once."""
    found = _WIRE_TYPES.get(entity)
    if found is None:
        found = _WIRE_TYPES[entity] = WireType(entity)
    return found


class Identifier(TypedDict):
    """A resource identifier object."""

    type: str
    id: str


class Relationship(TypedDict):
    """A relationship object (only its linkage is read)."""

    data: NotRequired[Identifier | list[Identifier] | None]


class Resource(TypedDict):
    """A resource object as the service sends it."""

    type: str
    id: str
    attributes: NotRequired[dict[str, Any]]
    relationships: NotRequired[dict[str, Relationship]]
    meta: NotRequired[dict[str, Any]]


class Document(TypedDict):
    """A top-level data document."""

    data: Resource | list[Resource] | None
    included: NotRequired[list[Resource]]
    links: NotRequired[dict[str, Any]]


def to_resource(kind: WireType, entity: Entity) -> dict[str, Any]:
    """The full resource object of ``entity`` (``meta.version`` is the version it is at)."""
    fields = entity.model_dump(mode="json")
    relationships = {
        name: {"data": {"type": target, "id": fields.pop(field)}}
        for name, target, field in kind.to_one
    }
    identity = {"type": kind.name, "id": fields.pop("id")}
    version = fields.pop("version")
    resource: dict[str, Any] = {**identity, "attributes": fields}
    if relationships:
        resource["relationships"] = relationships
    resource["meta"] = {"version": version}
    return resource


def from_resource(
    kind: WireType, resource: Resource, where: str, index: int | None = None
) -> Entity:
    """The entity a resource object describes; DataSourceError naming ``where`` otherwise.

    ``index``: the resource's position in the ``where`` array, named only in an error (an
    overview builds 57 entities and formatting each one's ``included[i]`` costs 6 us).

    The hot path of every read: the fields are flattened in one dict display and given to the
    model's validator directly. Measured on the overview's 57 resources
    (``bench/jsonapi_adapter.py --profile``): 121 us through ``model_validate`` and a copied
    attributes dict, 92 us so; the validation itself (pydantic-core) is 65 us of it.
    """
    try:
        if resource["type"] != kind.name:
            raise _bad(f"{_at(where, index)}.type is {resource['type']!r}, expected {kind.name!r}")
        fields: dict[str, Any] = {
            **resource.get("attributes", {}),
            "id": resource["id"],
            "version": resource.get("meta", {}).get("version"),
        }
        if kind.to_one:
            relationships = resource.get("relationships", {})
            for name, _, key in kind.to_one:
                linkage = relationships.get(name, {}).get("data")
                if not isinstance(linkage, dict):
                    raise _bad(f"{_at(where, index)}.relationships.{name}.data is missing")
                fields[key] = linkage["id"]
        entity: Entity = kind.validate(fields)
        return entity
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        member = ".".join(str(p) for p in first["loc"])
        raise _bad(f"{_at(where, index)}: {member}: {first['msg']}") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad(f"{_at(where, index)}: missing or malformed member {exc}") from None


def _at(where: str, index: int | None) -> str:
    return where if index is None else f"{where}[{index}]"


def _bad(message: str) -> DataSourceError:
    return DataSourceError(f"unexpected JSON:API resource: {message}", reason="bad_response")
