"""The GraphQL unit of work: writes are buffered and sent at commit as one ``applyChanges``."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import TypeAdapter

from adapters.graphql import wire as w
from adapters.graphql.client import GraphQLClient
from adapters.graphql.kinds import kind_of
from adapters.graphql.repositories import GraphQLRepository, Loaded
from domain import DataSourceError, Entity, EntityType, Query, Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])

_APPLIED = TypeAdapter(w.Envelope[w.Applied])


class GraphQLUnitOfWork:
    """Implements ``domain.ports.UnitOfWork``: one mutation per commit, all or nothing.

    Errors of buffered writes (a stale version, a taken id) surface at ``commit``, which the
    port allows. The mutation is never retried: its answer may be lost after it was applied.
    """

    def __init__(self, client: GraphQLClient) -> None:
        self._client = client
        self._pending: list[dict[str, Any]] = []
        self._loaded = Loaded()
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type, over the documents named after it."""
        found = self._repositories.get(entity)
        if found is None:
            found = GraphQLRepository(self._client, kind_of(entity), self._pending, self._loaded)
            self._repositories[entity] = found
        return found

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending.clear()
        self._loaded.clear()

    async def commit(self) -> None:
        """Send every buffered write in one ``applyChanges``; nothing to send, no request."""
        changes = list(self._pending)
        self._pending.clear()
        # What planned reads brought is as old as they are: reads after a commit ask again.
        self._loaded.clear()
        if not changes:
            return
        data = await self._client.execute(
            "apply_changes", {"changes": changes}, _APPLIED, write=True
        )
        applied = data.get("applyChanges")
        if applied is None or applied.applied != len(changes):
            raise DataSourceError(
                f"graphql service applied {applied and applied.applied} of {len(changes)} changes",
                reason="bad_response",
            )
