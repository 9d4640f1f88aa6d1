"""Query: the studio's slate, one page of productions with their movies."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.catalog import Plan
from domain.errors import DataSourceError
from domain.model import Phase, SlateEntry
from domain.paging import Page, PageRequest
from domain.ports import UnitOfWorkFactory, planned_list
from domain.queries import ProductionQuery
from domain.studio import MOVIES, PRODUCTIONS
from domain.validation import parse

SLATE = Plan(PRODUCTIONS, ("movie",))
"""What the slate reads after a page of productions: their movies."""


class ListSlate:
    """List productions (optionally of some phases or one movie) with their movies, batched."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        phases: Iterable[Phase | str] | None = None,
        movie_id: UUID | None = None,
        page: PageRequest | None = None,
    ) -> Page[SlateEntry]:
        """Return one page of the slate in production order (starts_on, id); two reads."""
        query = parse(
            ProductionQuery,
            {"movie_id": movie_id, "phases": None if phases is None else list(phases)},
        )
        async with self._uow() as uow:
            productions = await planned_list(
                uow.repository(PRODUCTIONS), query, page or PageRequest(), SLATE
            )
            movies = await uow.repository(MOVIES).get_many({p.movie_id for p in productions.items})
        missing = {p.movie_id for p in productions.items} - movies.keys()
        if missing:
            # Foreign keys make this impossible on one source; across sources it is real.
            raise DataSourceError(
                "productions refer to movies the movie source does not have: "
                + ", ".join(sorted(map(str, missing))),
                entity="Movie",
            )
        entries = tuple(
            SlateEntry(production=p, movie=movies[p.movie_id]) for p in productions.items
        )
        return Page(items=entries, next_cursor=productions.next_cursor)
