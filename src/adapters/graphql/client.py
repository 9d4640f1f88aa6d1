"""One GraphQL operation over the shared HTTP client: post a document, validate, map errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

from adapters.graphql.documents import document
from adapters.graphql.errors import to_domain_error
from adapters.graphql.wire import Envelope
from adapters.http import HttpClient, decode
from domain import Catalog, DataSourceError

T = TypeVar("T")


class GraphQLClient:
    """Posts the package's documents to the service's GraphQL endpoint."""

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        # The endpoint itself, not a path under it: httpx would add a trailing slash.
        self.url = http.options.url

    async def execute(
        self,
        name: str,
        variables: dict[str, Any] | None,
        shape: TypeAdapter[Envelope[T]],
        *,
        write: bool = False,
        catalog: Catalog | None = None,
        text: str | None = None,
    ) -> dict[str, T | None]:
        """Run the document ``name``; return ``data`` or raise the domain error of ``errors``.

        Queries are reads, retried on transient failures although they are POSTs; mutations
        are sent once. ``text``: the document itself, when it is not one of the package's
        (a read plan's, built from the plan).
        """
        body: dict[str, Any] = {"query": text if text is not None else document(name, catalog)}
        if variables is not None:
            body["variables"] = variables
        response = await self.http.send("POST", self.url, idempotent=not write, json=body)
        envelope = decode(response, shape, f"answer to {name}")
        if envelope.errors:
            raise to_domain_error(envelope.errors, name)
        if envelope.data is None or response.status_code != 200:
            raise DataSourceError(
                f"graphql service answered {name} with status {response.status_code} "
                "and neither data nor errors",
                reason="bad_response",
            )
        return envelope.data
