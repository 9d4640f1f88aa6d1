"""The list queries of Medium's types: each field is a filter, its marker says what it compares.

A field without a marker is an equality on the entity field of the same name; ``In`` fields
ask for the children of many parents at once (what a DataLoader batches).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from domain.catalog import AtLeast, AtMost, Has, In, Query

from hexstudio_medium.model import Follow, Person, Post, Recommendation, Tag


class PersonQuery(Query[Person]):
    """Every person, by handle; one handle is looked up through the ``handle`` unique key."""


class PostQuery(Query[Post]):
    """Posts of one author (or of several), with one tag, within a publication date range."""

    author_id: UUID | None = None
    author_ids: Annotated[frozenset[UUID] | None, In("author_id")] = None
    tag: Annotated[Tag | None, Has("tags")] = None
    published_from: Annotated[dt.date | None, AtLeast("published_on")] = None
    published_to: Annotated[dt.date | None, AtMost("published_on")] = None


class FollowQuery(Query[Follow]):
    """The follows one person made (``follower_id``) and/or the follows of one person."""

    follower_id: UUID | None = None
    followee_id: UUID | None = None


class RecommendationQuery(Query[Recommendation]):
    """The recommendations of one post (or of several) and/or made by one person."""

    post_id: UUID | None = None
    post_ids: Annotated[frozenset[UUID] | None, In("post_id")] = None
    person_id: UUID | None = None
