"""``GET /_migration``: the running service's shadow comparisons, breakers and differences."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from app.bootstrap import bootstrap
from app.service import create_app
from app.settings import Settings
from domain import MOVIES, Movie


async def test_happy_path_the_report_counts_what_the_shadow_compared() -> None:
    settings = Settings(
        data_source={"default": "memory", "legacy": {"kind": "memory"}},  # type: ignore[arg-type]
        repositories={"movies": {"shadow": {"to": "legacy"}, "fallback": "legacy"}},  # type: ignore[arg-type]
        service={"read_token": SecretStr("reader"), "token": SecretStr("writer")},  # type: ignore[arg-type]
    )
    async with bootstrap(settings) as container:
        async with container.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Not in legacy"))
            await uow.commit()
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            reader = {"Authorization": "Bearer reader"}
            assert (await client.get(f"/api/movies/{movie.id}", headers=reader)).status_code == 200
            await container.migration.drain()
            refused = await client.get("/_migration")
            report = (await client.get("/_migration", headers=reader)).json()
    assert refused.status_code == 401
    movies = report["repositories"]["movies"]
    assert movies["route"] == "memory, shadow legacy (100%, 0.2 s), fallback legacy"
    assert (movies["comparisons"], movies["mismatches"], movies["mismatch_rate"]) == (1, 1, 1.0)
    assert report["breakers"]["memory"]["state"] == "closed"
    [difference] = report["differences"]
    assert difference["repository"] == "movies"
    assert difference["operation"] == "get"
    assert difference["subject"] == str(movie.id)
    assert difference["paths"] == ["error: none != NotFound"]
