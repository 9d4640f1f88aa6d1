"""What the catalog reads from a model's fields: their kind, type and references.

The kind decides how every edge carries a field, so no edge needs to be told field by field:

- ``scalar``: one value (text, number, date, UUID, enum), optional or not;
- ``reference``: a scalar holding another entity's id, marked ``References(...)``;
- ``value``: a nested value object (``Money``), stored flattened (``budget_amount``...);
- ``collection``: a set or tuple of scalars the entity owns (a movie's genres), stored apart.

Any kind may also be marked ``Personal()`` (``FieldSpec.personal``).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from domain.catalog.markers import Personal, References


class FieldKind(enum.StrEnum):
    """How a field travels; see the module docstring."""

    SCALAR = "scalar"
    REFERENCE = "reference"
    VALUE = "value"
    COLLECTION = "collection"


@dataclass(frozen=True)
class FieldSpec:
    """One field of an entity model as the catalog sees it."""

    name: str
    kind: FieldKind
    type: Any
    """The value's type: the scalar's, the collection item's, or the value object's class."""
    optional: bool
    """None is allowed."""
    required: bool
    """It has no default: a create must give it."""
    references: References | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)
    """Declared bounds an edge can use: ``max_length``, ``min_length``, ``max_digits``,
    ``decimal_places`` (from ``StringConstraints``, ``Field(...)`` and friends)."""
    parts: tuple[FieldSpec, ...] = ()
    """A value object's own fields (``Money``: amount, currency)."""
    personal: bool = False
    """Marked ``Personal()``: it holds personal data."""

    @property
    def relationship(self) -> str:
        """The relationship's name for a reference (``movie_id`` -> ``movie``)."""
        if self.references is None:
            raise ValueError(f"{self.name} is not a reference")
        return self.references.relationship or self.name.removesuffix("_id")

    @property
    def is_enum(self) -> bool:
        """Whether values come from an enumeration (``Phase``, ``Genre``)."""
        return isinstance(self.type, type) and issubclass(self.type, enum.Enum)


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``Annotated`` and ``| None``, and whether None was allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(members) < len(get_args(annotation))
            if len(members) != 1:
                return annotation, optional
            annotation = members[0]
        else:
            return annotation, optional


def collection_item(annotation: Any) -> Any | None:
    """The item type of ``frozenset[X]``, ``set[X]``, ``list[X]`` or ``tuple[X, ...]``."""
    origin = get_origin(annotation)
    if origin in (frozenset, set, list, typing.AbstractSet, typing.Sequence):
        return unwrap(get_args(annotation)[0])[0]
    if origin is tuple:
        args = get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return unwrap(args[0])[0]
    return None


_BOUNDS = ("max_length", "min_length", "max_digits", "decimal_places")


def _metadata(info: FieldInfo) -> list[Any]:
    """The field's metadata, including what sits in an ``Annotated`` inside ``X | None``."""
    found = list(info.metadata)
    pending = [info.annotation]
    while pending:
        annotation = pending.pop()
        args = get_args(annotation)
        if get_origin(annotation) is Annotated:
            for extra in args[1:]:
                found.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
            pending.append(args[0])
        elif get_origin(annotation) in (Union, types.UnionType):
            pending.extend(args)
    return found


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for item in metadata:
        for name in _BOUNDS:
            value = getattr(item, name, None)
            if value is not None:
                bounds[name] = value
    return bounds


def describe(name: str, info: FieldInfo) -> FieldSpec:
    """The FieldSpec of one pydantic field."""
    annotation, optional = unwrap(info.annotation)
    metadata = _metadata(info)
    reference = next((m for m in metadata if isinstance(m, References)), None)
    item = collection_item(annotation)
    parts: tuple[FieldSpec, ...] = ()
    if reference is not None:
        kind = FieldKind.REFERENCE
    elif item is not None:
        kind, annotation = FieldKind.COLLECTION, item
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        kind, parts = FieldKind.VALUE, describe_model(annotation)
    else:
        kind = FieldKind.SCALAR
    return FieldSpec(
        name,
        kind,
        annotation,
        optional,
        info.is_required(),
        reference,
        _constraints(metadata),
        parts,
        any(isinstance(m, Personal) for m in metadata),
    )


def describe_model(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """Every field of ``model``, in declaration order."""
    return tuple(describe(name, info) for name, info in model.model_fields.items())
