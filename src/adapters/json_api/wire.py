"""The wire format of the JSON:API service: resource types, resource objects <-> entities.

Attributes are the entity fields; foreign keys travel as to-one relationships and the version
as ``meta.version``. Anything a response carries that is not of this shape is a
DataSourceError naming the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired

from pydantic import ValidationError
from typing_extensions import TypedDict

from domain import DataSourceError, Entity, Movie, Production, ShootDay, ShootingLocation

MEDIA_TYPE = "application/vnd.api+json"
ATOMIC = "https://jsonapi.org/ext/atomic"
ATOMIC_MEDIA_TYPE = f'{MEDIA_TYPE}; ext="{ATOMIC}"'


@dataclass(frozen=True)
class WireType:
    """One resource type: its name on the wire, its entity and its to-one relationships."""

    name: str
    entity: type[Entity]
    to_one: tuple[tuple[str, str, str], ...] = ()
    """(relationship name, target type, entity field) of each foreign key."""
    include: str | None = None
    """What reads of this type ask the service to include (to answer later reads locally)."""


MOVIES = WireType("movies", Movie)
LOCATIONS = WireType("locations", ShootingLocation)
PRODUCTIONS = WireType(
    "productions", Production, (("movie", "movies", "movie_id"),), include="movie"
)
SHOOT_DAYS = WireType(
    "shoot-days",
    ShootDay,
    (("production", "productions", "production_id"), ("location", "locations", "location_id")),
    include="location",
)
BY_NAME = {t.name: t for t in (MOVIES, LOCATIONS, PRODUCTIONS, SHOOT_DAYS)}


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


def from_resource(kind: WireType, resource: Resource, where: str) -> Entity:
    """The entity a resource object describes; DataSourceError naming ``where`` otherwise."""
    try:
        return _from_resource(kind, resource, where)
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad(f"{where}: missing or malformed member {exc}") from None


def _from_resource(kind: WireType, resource: Resource, where: str) -> Entity:
    if resource["type"] != kind.name:
        raise _bad(f"{where}.type is {resource['type']!r}, expected {kind.name!r}")
    fields: dict[str, Any] = dict(resource.get("attributes", {}))
    fields["id"] = resource["id"]
    fields["version"] = resource.get("meta", {}).get("version")
    relationships = resource.get("relationships", {})
    for name, _, field in kind.to_one:
        linkage = relationships.get(name, {}).get("data")
        if not isinstance(linkage, dict):
            raise _bad(f"{where}.relationships.{name}.data is missing")
        fields[field] = linkage["id"]
    try:
        return kind.entity.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        member = ".".join(str(p) for p in first["loc"])
        raise _bad(f"{where}: {member}: {first['msg']}") from None


def _bad(message: str) -> DataSourceError:
    return DataSourceError(f"unexpected JSON:API resource: {message}", reason="bad_response")
