"""One pooled httpx client per data source, with bounded retries and transport-error mapping.

Reads are retried on transient failures (timeouts, refused or reset connections, 502/503/504)
with exponential backoff; writes are sent once, because a write whose answer was lost may have
been applied. The caller maps the protocol's own error bodies; this layer maps what every HTTP
source shares: the transport, 5xx, and refused credentials.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from adapters.http.options import HttpOptions
from domain import DataSourceError, DataSourceUnavailable

logger = logging.getLogger(__name__)

_TRANSIENT_STATUS = frozenset({502, 503, 504})


class HttpClient:
    """Sends requests to one service; raises only domain errors for transport problems."""

    def __init__(
        self, options: HttpOptions, *, name: str, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.options = options
        self._name = name
        headers = {"User-Agent": "hexstudio"}
        if options.token is not None:
            headers["Authorization"] = f"Bearer {options.token.get_secret_value()}"
        self._client = httpx.AsyncClient(
            base_url=options.url,
            headers=headers,
            timeout=httpx.Timeout(options.timeout, connect=options.connect_timeout),
            limits=httpx.Limits(max_connections=options.max_connections),
            transport=transport,
        )

    async def send(
        self, method: str, url: str, *, idempotent: bool, **kwargs: Any
    ) -> httpx.Response:
        """Send one request; retry it only if ``idempotent``; map transport failures."""
        attempts = 1 + (self.options.retries if idempotent else 0)
        delay = self.options.backoff
        for attempt in range(1, attempts + 1):
            try:
                response = await self._client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                failure = f"timed out after {self.options.timeout} s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                failure = f"connection failed ({type(exc).__name__}: {exc})"
            else:
                if response.status_code not in _TRANSIENT_STATUS:
                    return self._check_auth(response)
                failure = f"answered {response.status_code}"
            if attempt < attempts:
                logger.info("%s %s %s: %s; retry %d", self._name, method, url, failure, attempt)
                await asyncio.sleep(delay)
                delay *= 2
        raise DataSourceUnavailable(
            f"{self._name} service at {self.options.url}: {method} {url} {failure}"
            + (f" (tried {attempts} times)" if attempts > 1 else " (writes are not retried)")
        )

    def _check_auth(self, response: httpx.Response) -> httpx.Response:
        if response.status_code in (401, 403):
            given = "was refused" if self.options.token is not None else "is missing"
            raise DataSourceError(
                f"{self._name} service answered {response.status_code}: the token {given} "
                f"(set HEXSTUDIO_DATA_SOURCE__{self._name.upper()}__TOKEN)",
                reason="unauthorized",
            )
        if response.status_code >= 500:
            raise DataSourceUnavailable(
                f"{self._name} service answered {response.status_code} to "
                f"{response.request.method} {response.request.url.path}"
            )
        return response

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._client.aclose()
