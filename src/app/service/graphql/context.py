"""The context of one GraphQL request: the container's interactors and fresh DataLoaders."""

from __future__ import annotations

from fastapi import Request, Response
from strawberry.fastapi import BaseContext

from app.bootstrap import Interactors
from app.service.graphql.loaders import Loaders
from app.settings import ServiceSection

RESPONSE_KEY = "hexstudio.graphql.response"
"""Where the request scope keeps the response, so error handling can set its status."""


class GraphQLContext(BaseContext):
    """What resolvers see as ``info.context``."""

    def __init__(self, interactors: Interactors, service: ServiceSection) -> None:
        super().__init__()
        self.interactors = interactors
        self.service = service
        self.loaders = Loaders.for_request(interactors.uow)

    @property
    def authorization(self) -> str | None:
        """The request's ``Authorization`` header, if any."""
        return self.request.headers.get("authorization") if self.request else None


async def get_context(request: Request, response: Response) -> GraphQLContext:
    """FastAPI dependency building the context of one request."""
    container = request.app.state.container
    request.scope[RESPONSE_KEY] = response
    return GraphQLContext(container.interactors, container.settings.service)
