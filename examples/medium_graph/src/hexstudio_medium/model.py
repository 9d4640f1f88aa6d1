"""Medium's graph as entities: people and posts are nodes, follows and recommendations edges.

The article this domain comes from describes Medium's Neo4j graph: "People, posts, tags, and
collections are nodes in the graphs. Edges are created on entity creation and when people
perform actions such as follow, recommend, and highlight." Here the authorship edge is a
reference on the post (it is created with the post), and the action edges are entities of
their own, so each can be listed, counted and undone.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from domain import Entity
from domain.catalog import References
from pydantic import StringConstraints, field_serializer, model_validator

# Control characters are refused: PostgreSQL cannot store NUL, and no name or title needs them.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
Title = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$"
    ),
]
# The pattern admits capitals because pydantic matches it before lowering the text.
Handle = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
    ),
]
"""``@handle`` without the ``@``: lowercased, so ``Ada`` and ``ada`` are one handle."""


class Tag(StrEnum):
    """The topics a post can be tagged with.

    A fixed vocabulary rather than a node type: the framework's owned collections hold values
    (enums, ints, UUIDs), which gives a post its tags in one field, a ``Has`` filter and an
    indexed ``post_tags`` table; free-form tag nodes would need a ``PostTag`` edge entity.
    """

    TECHNOLOGY = "technology"
    SCIENCE = "science"
    DESIGN = "design"
    WRITING = "writing"
    STARTUPS = "startups"
    PROGRAMMING = "programming"
    POLITICS = "politics"


class Person(Entity):
    """Someone who writes, follows and recommends; known by a unique handle."""

    # The people directory reads alphabetically by handle.
    ordering: ClassVar[tuple[str, ...]] = ("handle", "id")

    handle: Handle
    name: Name


class Post(Entity):
    """A story written by one person, tagged with some topics."""

    # Newest-first is a presentation choice; the stable order is by publication date.
    ordering: ClassVar[tuple[str, ...]] = ("published_on", "id")

    author_id: Annotated[UUID, References("people", relationship="author")]
    title: Title
    published_on: dt.date
    tags: frozenset[Tag] = frozenset()

    @field_serializer("tags")
    def _sorted_tags(self, tags: frozenset[Tag]) -> list[str]:
        # Set order depends on string hashing, which changes per process: sort for stable output.
        return sorted(tags)


class Follow(Entity):
    """An edge: ``follower_id`` follows ``followee_id`` since a date.

    Two references to people, so the reverse relationships are named: a person's
    ``following`` (the follows they made) and ``followers`` (the follows of them).
    """

    ordering: ClassVar[tuple[str, ...]] = ("since", "id")

    follower_id: Annotated[UUID, References("people", reverse="following")]
    followee_id: Annotated[UUID, References("people", reverse="followers")]
    since: dt.date

    @model_validator(mode="after")
    def _not_oneself(self) -> Self:
        # The use case refuses this with RuleViolation(reason="self_follow") first; the
        # invariant is repeated here because the service's generic writes bypass use cases.
        if self.follower_id == self.followee_id:
            raise ValueError("a person cannot follow themselves")
        return self


class Recommendation(Entity):
    """An edge: ``person_id`` recommended ``post_id`` on a date (Medium's old "recommend")."""

    ordering: ClassVar[tuple[str, ...]] = ("recommended_on", "id")

    person_id: Annotated[UUID, References("people")]
    post_id: Annotated[UUID, References("posts")]
    recommended_on: dt.date
