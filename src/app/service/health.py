"""``/healthz``: the service is up and its data source answers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from domain import DomainError

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> JSONResponse:
    """200 with each source's status line, or 503 naming the one that failed."""
    container = request.app.state.container
    statuses: dict[str, str] = {}
    for name, source in container.sources.items():
        try:
            statuses[name] = await source.check()
        except DomainError as exc:
            return JSONResponse(
                {"status": "unavailable", "source": name, "detail": exc.message}, 503
            )
    return JSONResponse({"status": "ok", "sources": statuses})
