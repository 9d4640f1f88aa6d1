"""The reference provider service: JSON:API under /api and GraphQL under /graphql (ASGI).

A driving adapter: every request goes through the domain's interactors and ports over the
configured data source (SQL by default). It keeps no state between requests, so several
workers or machines can serve one database.
"""

from app.service.application import create_app, create_app_from_settings

__all__ = ["create_app", "create_app_from_settings"]
