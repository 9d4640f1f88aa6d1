"""The adapter's wire formats: the envelopes and connections responses are validated in.

Documents alias camelCase fields to the entities' snake_case names, so nodes validate straight
into domain entities (``kinds`` lowers GraphQL enum names on the way in).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from domain import Entity

N = TypeVar("N")
E = TypeVar("E", bound=Entity)


class GraphQLError(BaseModel):
    """One entry of ``errors``; ``extensions.code`` says what went wrong."""

    model_config = ConfigDict(extra="ignore")

    message: str = ""
    extensions: dict[str, Any] = Field(default_factory=dict)


class Envelope(BaseModel, Generic[N]):
    """A GraphQL response: ``data`` keyed by the root field, and ``errors``."""

    model_config = ConfigDict(extra="ignore")

    data: dict[str, N | None] | None = None
    errors: list[GraphQLError] | None = None


class Edge(BaseModel, Generic[N]):
    """An edge of a connection (the adapter never asks for edge cursors)."""

    node: N


class PageInfo(BaseModel):
    """Whether a next page exists and its cursor."""

    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: str | None = Field(alias="endCursor")


class Connection(BaseModel, Generic[N]):
    """A Relay connection: one page of nodes."""

    edges: list[Edge[N]]
    page_info: PageInfo = Field(alias="pageInfo")


class Applied(BaseModel):
    """What ``applyChanges`` answers."""

    applied: int


class Typename(BaseModel):
    """Nothing: ``check`` only needs a valid answer."""
