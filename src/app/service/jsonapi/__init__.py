"""The JSON:API 1.1 edge of the service under /api: resources, atomic operations, use cases.

FastAPI routes and documents the endpoints; the handlers parse requests and build response
bytes themselves (see docs/decisions/0007-jsonapi-provider.md).
"""

from app.service.jsonapi.router import install, router

__all__ = ["install", "router"]
