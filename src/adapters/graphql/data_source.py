"""The graphql data source: the studio's repositories over a GraphQL service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import TypeAdapter

from adapters.graphql import wire as w
from adapters.graphql.client import GraphQLClient
from adapters.graphql.unit_of_work import GraphQLUnitOfWork
from adapters.http import HttpClient, HttpOptions, parse_http_options
from adapters.spi import EVERY_FILTER, Capabilities

_CHECK = TypeAdapter(w.Envelope[str])


class GraphQLDataSource:
    """Implements ``adapters.spi.DataSource`` over one pooled HTTP client."""

    name = "graphql"
    capabilities = Capabilities(buffered_writes=True, filters=EVERY_FILTER)
    """Writable, atomic commits (one applyChanges), every filter of the ports."""

    def __init__(
        self, options: HttpOptions, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.http = HttpClient(options, name=self.name, transport=transport)
        self.client = GraphQLClient(self.http)

    def unit_of_work(self) -> GraphQLUnitOfWork:
        """Open a unit of work (no request until it reads or commits)."""
        return GraphQLUnitOfWork(self.client)

    async def check(self) -> str:
        """Ask the service for ``__typename``; DataSourceUnavailable if it does not answer."""
        await self.client.execute("check", None, _CHECK)
        return f"graphql service at {self.http.options.url}"

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.http.aclose()


def create_data_source(options: Mapping[str, Any]) -> GraphQLDataSource:
    """Entry point of ``graphql``: ``url`` (the /graphql endpoint), ``token``, timeouts."""
    return GraphQLDataSource(parse_http_options(options))
