"""The context of one GraphQL request: the container's interactors and fresh DataLoaders."""

from __future__ import annotations

from fastapi import Request, Response
from strawberry.fastapi import BaseContext

from app.bootstrap import Container, Interactors
from app.service.graphql.loaders import Loaders
from app.settings import ServiceSection

RESPONSE_KEY = "hexstudio.graphql.response"
"""Where the request scope keeps the response, so error handling can set its status."""


class GraphQLContext(BaseContext):
    """What resolvers see as ``info.context``."""

    def __init__(self, container: Container) -> None:
        super().__init__()
        self.container = container
        self.uow = container.uow
        self.service: ServiceSection = container.settings.service
        self.loaders = Loaders.for_request(container.uow)

    @property
    def interactors(self) -> Interactors:
        """The studio's use cases (its own mutations call them)."""
        return self.container.interactors

    @property
    def authorization(self) -> str | None:
        """The request's ``Authorization`` header, if any."""
        return self.request.headers.get("authorization") if self.request else None


async def get_context(request: Request, response: Response) -> GraphQLContext:
    """FastAPI dependency building the context of one request."""
    request.scope[RESPONSE_KEY] = response
    return GraphQLContext(request.app.state.container)
