"""An employee: a crew member of one production, and the query that lists them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import StringConstraints

from domain.catalog import In, Personal, Query, References
from domain.model.base import Entity


class Role(StrEnum):
    """What a crew member does on a production."""

    DIRECTOR = "director"
    PRODUCER = "producer"
    CINEMATOGRAPHER = "cinematographer"
    EDITOR = "editor"
    GAFFER = "gaffer"
    GRIP = "grip"


class Employee(Entity):
    """A crew member of one production."""

    name: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$"
        ),
        Personal(),  # a person's name
    ]
    role: Role
    production_id: Annotated[UUID, References("productions")]


class EmployeeQuery(Query[Employee]):
    """The crew of one production (or of several) and/or in some roles."""

    production_id: UUID | None = None
    production_ids: Annotated[frozenset[UUID] | None, In("production_id")] = None
    roles: Annotated[frozenset[Role] | None, In("role")] = None
