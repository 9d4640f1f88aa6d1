"""The JSON:API unit of work: writes are queued and sent at commit as one atomic request."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, Self, TypeVar

from adapters.http import HttpClient
from adapters.json_api.repositories import JsonApiRepository
from adapters.json_api.session import Session, ensure_ok
from adapters.json_api.wire import ATOMIC_MEDIA_TYPE, wire_type
from domain import DataSourceError, Entity, EntityType, Query, Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

_HEADERS = {"Content-Type": ATOMIC_MEDIA_TYPE, "Accept": ATOMIC_MEDIA_TYPE}


class JsonApiUnitOfWork:
    """Implements ``domain.ports.UnitOfWork``; the commit is one Atomic Operations request."""

    def __init__(self, client: HttpClient) -> None:
        self._session = Session(client)
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type, at its collection path."""
        found = self._repositories.get(entity)
        if found is None:
            self._session.catalog = entity.catalog
            found = self._repositories[entity] = JsonApiRepository(self._session, wire_type(entity))
        return found

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
