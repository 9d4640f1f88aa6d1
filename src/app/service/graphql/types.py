"""The generic output types: Relay connections of any node type, and the resolver context.

The entity types themselves are derived from the catalog (``derived``).
"""

from __future__ import annotations

from typing import Generic, TypeVar, cast

import strawberry
from strawberry.types import Info

from app.service.graphql.context import GraphQLContext
from domain import Entity, Page

N = TypeVar("N")

Ctx = Info[GraphQLContext, None]


@strawberry.type(description="Relay page information.")
class PageInfo:
    """Whether another page follows, and the cursor to ask for it with ``after``."""

    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="One node of a connection and its cursor.")
class Edge(Generic[N]):
    """A node and (computed only when asked for) its cursor."""

    node: N

    @strawberry.field(description="Pass as `after` to continue after this node.")
    def cursor(self) -> str:
        """The opaque cursor of the page that ends with this node."""
        return cast(Entity, self.node).cursor


@strawberry.type(description="A page of nodes in the stable order.")
class Connection(Generic[N]):
    """Relay-style connection: edges and page info."""

    edges: list[Edge[N]]
    page_info: PageInfo


def connection(page: Page[N]) -> Connection[N]:
    """Wrap a port's page as a connection (endCursor is the last node's cursor)."""
    end = page.next_cursor
    if end is None and page.items:
        end = cast(Entity, page.items[-1]).cursor
    return Connection(
        edges=[Edge(node=item) for item in page.items],
        page_info=PageInfo(has_next_page=page.next_cursor is not None, end_cursor=end),
    )


__all__ = ["Connection", "Ctx", "Edge", "PageInfo", "connection"]
