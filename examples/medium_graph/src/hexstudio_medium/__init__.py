"""Medium's graph as a hexstudio domain, from its own distribution.

Installing the distribution registers ``medium`` in the entry-point group
``hexstudio.domains``; ``HEXSTUDIO_DOMAIN=medium`` makes every hexstudio command (``db``,
``conformance``, ``describe``, ``serve``...) work over this catalog instead of the studio's.
The domain imports only the framework's ``domain`` package, pydantic and the standard library.
"""

from domain.declaration import Domain

from hexstudio_medium.catalog import (
    FOLLOW_PAIR,
    FOLLOWS,
    HANDLE,
    MEDIUM,
    PEOPLE,
    POSTS,
    RECOMMENDATION_PAIR,
    RECOMMENDATIONS,
)
from hexstudio_medium.model import Follow, Person, Post, Recommendation, Tag
from hexstudio_medium.queries import FollowQuery, PersonQuery, PostQuery, RecommendationQuery
from hexstudio_medium.use_cases import (
    FollowPerson,
    MediumUseCases,
    PublishPost,
    RecommendPost,
    RegisterPerson,
    UnfollowPerson,
)

DOMAIN = Domain(
    "medium", MEDIUM, use_cases=MediumUseCases, migrations="hexstudio_medium.migrations"
)
"""Medium: its catalog, its use cases, and the Alembic revisions of its SQL schema."""

__all__ = [
    "DOMAIN",
    "FOLLOWS",
    "FOLLOW_PAIR",
    "HANDLE",
    "MEDIUM",
    "PEOPLE",
    "POSTS",
    "RECOMMENDATIONS",
    "RECOMMENDATION_PAIR",
    "Follow",
    "FollowPerson",
    "FollowQuery",
    "MediumUseCases",
    "Person",
    "PersonQuery",
    "Post",
    "PostQuery",
    "PublishPost",
    "RecommendPost",
    "Recommendation",
    "RecommendationQuery",
    "RegisterPerson",
    "Tag",
    "UnfollowPerson",
]
