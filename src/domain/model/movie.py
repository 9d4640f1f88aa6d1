"""A movie: what a production makes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_serializer

from domain.model.base import Entity
from domain.model.genre import Genre

# Control characters are refused: PostgreSQL cannot store NUL, and no title needs them.
Title = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
Logline = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=500, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
    ),
]


class Movie(Entity):
    """A title with its logline, genres and (once known) release year."""

    title: Title
    logline: Logline = ""
    genres: frozenset[Genre] = frozenset()
    release_year: Annotated[int, Field(ge=1888, le=2100)] | None = None

    @field_serializer("genres")
    def _sorted_genres(self, genres: frozenset[Genre]) -> list[str]:
        # Set order depends on string hashing, which changes per process: sort for stable output.
        return sorted(genres)
