"""Use case: add a movie to the catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.model import Genre, Movie
from domain.ports import UnitOfWorkFactory
from domain.studio import MOVIES
from domain.validation import parse


class RegisterMovie:
    """Register a new movie; the id may be chosen by the caller (idempotent retries)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        title: str,
        logline: str = "",
        genres: Iterable[Genre | str] = (),
        release_year: int | None = None,
        id: UUID | None = None,
    ) -> Movie:
        """Validate and store the movie; InvalidInput names a bad field, Conflict a taken id."""
        fields: dict[str, object] = {
            "title": title,
            "logline": logline,
            "genres": list(genres),
            "release_year": release_year,
        }
        if id is not None:
            fields["id"] = id
        movie = parse(Movie, fields)
        async with self._uow() as uow:
            stored = await uow.repository(MOVIES).add(movie)
            await uow.commit()
        return stored
