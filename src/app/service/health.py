"""``/healthz``: the service is up and its data source answers.

With a read token set, a request without it learns only that the process is alive: the
sources' versions and addresses are for those who may read.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.service.auth import allowed
from app.service.errors import public_message
from domain import DomainError

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> JSONResponse:
    """200 with each source's status line, or 503 naming the source that failed (not where)."""
    container = request.app.state.container
    service = container.settings.service
    if not allowed(
        request.headers.get("authorization"),
        write=False,
        token=service.token,
        read_token=service.read_token,
    ):
        return JSONResponse({"status": "alive"})
    statuses: dict[str, str] = {}
    for name, source in container.sources.items():
        try:
            statuses[name] = await source.check()
        except DomainError as exc:
            detail = public_message(exc)
            return JSONResponse({"status": "unavailable", "source": name, "detail": detail}, 503)
    return JSONResponse({"status": "ok", "sources": statuses})
