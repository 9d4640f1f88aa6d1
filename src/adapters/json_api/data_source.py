"""The json_api data source: the ports over a JSON:API 1.1 service such as ``hexstudio serve``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from adapters.http import HttpClient, HttpOptions, parse_http_options
from adapters.json_api.session import Session
from adapters.json_api.unit_of_work import JsonApiUnitOfWork
from adapters.spi import EVERY_FILTER, Capabilities


class JsonApiDataSource:
    """Implements ``adapters.spi.DataSource`` with one pooled client for all units of work."""

    name = "json_api"
    capabilities = Capabilities(buffered_writes=True, filters=EVERY_FILTER)

    def __init__(
        self, options: HttpOptions, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.options = options
        self.client = HttpClient(options, name=self.name, transport=transport)

    def unit_of_work(self) -> JsonApiUnitOfWork:
        """Open a unit of work (no request until the first read or the commit)."""
        return JsonApiUnitOfWork(self.client)

    async def check(self) -> str:
        """Read one movie to prove the service answers JSON:API; describe it."""
        await Session(self.client).read("/movies", {"page[size]": "1"})
        return f"JSON:API service at {self.options.url}"

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.client.aclose()


def create_data_source(options: Mapping[str, Any]) -> JsonApiDataSource:
    """Entry point of ``json_api``: ``url`` (e.g. http://127.0.0.1:8000/api), token, timeouts."""
    return JsonApiDataSource(parse_http_options(options))
