"""Turn pydantic validation failures into InvalidInput that names the offending field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Mapping[str, Any], *, prefix: str = "") -> M:
    """Validate ``data`` into ``model`` or raise InvalidInput naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc, model.__name__, prefix) from None


def invalid_input(exc: ValidationError, entity: str, prefix: str = "") -> InvalidInput:
    """Describe every problem of ``exc``; the field of the first one becomes ``field``."""
    problems = []
    first_field = ""
    for error in exc.errors(include_url=False):
        field = prefix + ".".join(str(part) for part in error["loc"])
        first_field = first_field or field
        problems.append(f"{field or entity}: {error['msg']}")
    return InvalidInput("; ".join(problems), entity=entity, field=first_field or None)


T = TypeVar("T")


def parse_value(kind: type[T], value: object, field: str) -> T:
    """Validate one argument of a use case, or raise InvalidInput naming ``field``."""
    try:
        return TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        message = exc.errors(include_url=False)[0]["msg"]
        raise InvalidInput(f"{field}: {message}", field=field) from None
