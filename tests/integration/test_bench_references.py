"""The benchmarks' hand-written references answer the full stack's documents (ADR 11).

The service's throughput targets are ratios to these references, so a reference that drifted
from the service's output would make every ratio meaningless: each is compared here, in
process, over a small seeded database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.sql.migrate import upgrade
from app.service import create_app_from_settings
from app.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import graphql_reference
import graphql_service
import jsonapi_common
import jsonapi_reference
import jsonapi_service

PRODUCTIONS = jsonapi_reference.SIZE + 3  # one page and a next link


@pytest.fixture(scope="module")
async def seeded(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[str, Any]]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}"
    await upgrade(url)
    await jsonapi_common.seed(url, productions=PRODUCTIONS, days=3)
    app = create_app_from_settings(Settings(data_source={"default": "sql", "sql": {"url": url}}))
    async with app.router.lifespan_context(app):
        yield url, app


async def _get(app: Any, path: str, **kwargs: Any) -> bytes:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        method = client.post if "json" in kwargs else client.get
        response = await method(path, **kwargs)
    assert response.status_code == 200, response.text
    return response.content


async def test_happy_path_the_jsonapi_references_answer_the_full_stacks_document(
    seeded: tuple[str, Any],
) -> None:
    url, app = seeded
    body = await _get(app, jsonapi_service.PATH)
    assert "next" in json.loads(body)["links"]
    references = jsonapi_reference.references(url, body, "http://bench")
    async with references.router.lifespan_context(references):
        for mount in ("bare", "same", "raw"):
            answer = await _get(references, f"/{mount}{jsonapi_service.PATH}")
            assert jsonapi_service.canonical(answer) == jsonapi_service.canonical(body), mount


async def test_happy_path_graphql_core_alone_answers_the_full_stacks_bytes(
    seeded: tuple[str, Any],
) -> None:
    _, app = seeded
    payload = {"query": graphql_service.QUERY}
    body = await _get(app, "/graphql", json=payload)
    references = graphql_reference.references(body, json.loads(body)["data"])
    assert await _get(references, "/core/graphql", json=payload) == body
