"""What every stored entity shares: a domain-assigned identity and a version."""

from __future__ import annotations

from typing import Any, ClassVar, Self
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from domain.errors import InvalidInput
from domain.paging import decode_cursor, encode_cursor
from domain.validation import parse


class Entity(BaseModel):
    """An immutable, versioned entity; changes produce new, validated instances.

    Identity comes from the domain (a UUID), never from a data source, so any adapter can
    store any entity. ``version`` starts at 1 and each successful update stores version + 1.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ordering: ClassVar[tuple[str, ...]] = ("id",)
    """Fields of the stable list order, the same on every data source."""

    id: UUID = Field(default_factory=uuid4)
    version: int = Field(default=1, ge=1)

    def evolve(self, **changes: Any) -> Self:
        """Return a copy with ``changes`` applied and validated (InvalidInput if not valid)."""
        return parse(type(self), {**self.__dict__, **changes})

    @property
    def sort_key(self) -> tuple[str, ...]:
        """The list-order key as strings; ISO dates and lowercase UUIDs sort as they compare."""
        return tuple(str(getattr(self, name)) for name in self.ordering)

    @property
    def cursor(self) -> str:
        """The opaque cursor of the page that ends with this entity."""
        return encode_cursor(self.sort_key)

    @classmethod
    def cursor_key(cls, cursor: str) -> tuple[Any, ...]:
        """Parse a cursor made by ``cursor`` back into typed values, or raise InvalidInput."""
        raw = decode_cursor(cursor, arity=len(cls.ordering))
        try:
            return tuple(
                _adapter(cls.model_fields[name].annotation).validate_python(value)
                for name, value in zip(cls.ordering, raw, strict=True)
            )
        except (KeyError, ValidationError):
            raise InvalidInput(
                "page.cursor: malformed or tampered cursor", field="page.cursor"
            ) from None


# Sort keys are parsed per page: each field type's TypeAdapter is built once, not per page.
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    found = _ADAPTERS.get(annotation)
    if found is None:
        found = _ADAPTERS[annotation] = TypeAdapter(annotation)
    return found
