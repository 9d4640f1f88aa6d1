"""The JSON:API unit of work: writes are queued and sent at commit as one atomic request."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Self

from adapters.http import HttpClient
from adapters.json_api.repositories import JsonApiRepository, JsonApiShootDayRepository
from adapters.json_api.session import Session, ensure_ok
from adapters.json_api.wire import ATOMIC_MEDIA_TYPE, LOCATIONS, MOVIES, PRODUCTIONS
from domain import DataSourceError, Movie, Production, ShootingLocation
from domain.queries import LocationQuery, MovieQuery, ProductionQuery

_HEADERS = {"Content-Type": ATOMIC_MEDIA_TYPE, "Accept": ATOMIC_MEDIA_TYPE}


class JsonApiUnitOfWork:
    """Implements ``domain.ports.UnitOfWork``; the commit is one Atomic Operations request."""

    def __init__(self, client: HttpClient) -> None:
        self._session = Session(client)
        self.movies = JsonApiRepository[Movie, MovieQuery](self._session, MOVIES)
        self.locations = JsonApiRepository[ShootingLocation, LocationQuery](
            self._session, LOCATIONS
        )
        self.productions = JsonApiRepository[Production, ProductionQuery](
            self._session, PRODUCTIONS
        )
        self.shoot_days = JsonApiShootDayRepository(self._session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._session.forget()

    async def commit(self) -> None:
        """POST the queued writes to /operations, all or nothing; never retried."""
        operations = list(self._session.pending)
        self._session.forget()
        if not operations:
            return
        body = json.dumps({"atomic:operations": operations}, separators=(",", ":"))
        response = await self._session.client.send(
            "POST", "/operations", idempotent=False, content=body.encode(), headers=_HEADERS
        )
        ensure_ok(response, 200)
        try:
            results = json.loads(response.content)["atomic:results"]
        except (ValueError, KeyError, TypeError):
            results = None
        if not isinstance(results, list) or len(results) != len(operations):
            raise DataSourceError(
                "POST /operations answered 200 without one atomic result per operation",
                reason="bad_response",
            )
