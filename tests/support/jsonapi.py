"""Helpers for JSON:API tests: the official 1.1 schema, and an in-process service client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from adapters.memory import MemoryDataSource
from app.bootstrap import Container, bootstrap
from app.service import create_app
from app.settings import Settings

MEDIA = "application/vnd.api+json"
ATOMIC = f'{MEDIA}; ext="https://jsonapi.org/ext/atomic"'
TOKEN = "in-process-token"
WRITE = {"Content-Type": MEDIA, "Authorization": f"Bearer {TOKEN}"}
ATOMIC_WRITE = {"Content-Type": ATOMIC, "Authorization": f"Bearer {TOKEN}"}

_SCHEMA = json.loads(Path(__file__).with_name("jsonapi-1.1-schema.json").read_text())
_VALIDATOR = Draft202012Validator(_SCHEMA)
_RESOURCE = Draft202012Validator({**_SCHEMA, "$ref": "#/definitions/resource"})


def assert_jsonapi(response: httpx.Response) -> dict[str, Any]:
    """The body of ``response``, after checking media type and the official JSON:API schema.

    Atomic-operations results use the extension's member, which the base schema cannot know:
    their resource objects are checked against the schema's resource definition instead.
    """
    assert response.headers["content-type"].startswith(MEDIA), response.headers
    body: dict[str, Any] = response.json()
    if "atomic:results" in body:
        for result in body["atomic:results"]:
            if "data" in result:
                errors = sorted(_RESOURCE.iter_errors(result["data"]), key=str)
                assert not errors, [e.message for e in errors]
        return body
    errors = sorted(_VALIDATOR.iter_errors(body), key=str)
    assert not errors, f"not JSON:API 1.1: {[e.message for e in errors][:3]} in {body}"
    return body


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The first error object of an error response with ``status``, schema-checked."""
    assert response.status_code == status, response.text
    body = assert_jsonapi(response)
    error: dict[str, Any] = body["errors"][0]
    assert error["status"] == str(status)
    assert "Traceback" not in response.text
    return error


@asynccontextmanager
async def in_process(
    source: MemoryDataSource | None = None, **service: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Container]]:
    """The service over a memory source (token required for writes), with an ASGI client."""
    settings = Settings(service={"token": TOKEN, **service})  # type: ignore[arg-type]
    async with bootstrap(settings, source=source or MemoryDataSource()) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://studio") as client:
            yield client, container
