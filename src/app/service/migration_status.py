"""``GET /_migration``: the running service's migration report, for whoever may read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.migration.report import report
from app.service.auth import allowed

router = APIRouter()


@router.get("/_migration", include_in_schema=False)
async def migration(request: Request) -> JSONResponse:
    """The report of ``app.migration.report``; 401 without the read token when one is set."""
    container = request.app.state.container
    service = container.settings.service
    header = request.headers.get("authorization")
    if not allowed(header, write=False, token=service.token, read_token=service.read_token):
        return JSONResponse(
            {"errors": [{"status": "401", "code": "unauthorized"}]},
            401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return JSONResponse(report(container.migration, container.routes))
