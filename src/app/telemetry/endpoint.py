"""``GET /metrics``: the container's metrics in the Prometheus text format.

Behind the read token when one is set, like the OpenAPI document: the series name every
repository, source and route, which is for those who may read.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from app.service.jsonapi.context import authorise, endpoint
from app.telemetry.core import require_extra

PATH = "/metrics"


def install(app: FastAPI) -> None:
    """Add ``GET /metrics`` to ``app`` (its container must have telemetry on).

    Refused with ConfigError when the telemetry extra is missing: at build, not at a scrape.
    """
    require_extra()
    from app.telemetry.metrics import CONTENT_TYPE

    @endpoint
    async def metrics(request: Request) -> Response:
        authorise(request, write=False)
        telemetry = request.app.state.container.telemetry
        if telemetry is None:  # an app built over a container whose settings have it off
            return Response("telemetry is off in this container\n", 404, media_type="text/plain")
        return Response(telemetry.metrics.render(), media_type=CONTENT_TYPE)

    app.add_route(PATH, metrics, methods=["GET"], include_in_schema=False)
