"""The json_api data source: the ports over a JSON:API 1.1 service such as ``hexstudio serve``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from adapters.http import HttpClient, HttpOptions, parse_http_options
from adapters.json_api.errors import to_domain
from adapters.json_api.session import ACCEPT
from adapters.json_api.unit_of_work import JsonApiUnitOfWork
from adapters.json_api.wire import MEDIA_TYPE
from adapters.spi import EVERY_FILTER, Capabilities
from domain import DataSourceError


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
        """Prove a JSON:API service answers at ``url``; describe it.

        No resource type is assumed (the source serves any catalog): any answer at the root in
        the JSON:API media type will do, an error document included, unless it refuses the
        token or the service fails.
        """
        response = await self.client.send("GET", "/", idempotent=True, headers=ACCEPT)
        if response.status_code in {401, 403} or response.status_code >= 500:
            raise to_domain(response)
        if not response.headers.get("content-type", "").startswith(MEDIA_TYPE):
            raise DataSourceError(
                f"json_api: {self.options.url} answered {response.status_code} in "
                f"{response.headers.get('content-type') or 'no media type'}, not JSON:API",
                reason="not_jsonapi",
            )
        return f"JSON:API service at {self.options.url}"

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.client.aclose()


def create_data_source(options: Mapping[str, Any]) -> JsonApiDataSource:
    """Entry point of ``json_api``: ``url`` (e.g. http://127.0.0.1:8000/api), token, timeouts."""
    return JsonApiDataSource(parse_http_options(options))
