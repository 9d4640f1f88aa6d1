"""Medium's catalog: its entity types, each declared once, with their unique keys and examples.

Every edge derives from these lines: the memory and SQL stores (``hexstudio describe posts``
prints the tables), the JSON:API and GraphQL wire formats, the conformance kit and the CLI.
Each example factory makes a valid entity per sample, varied by ``sample.n`` in every field
a filter reads.
"""

from __future__ import annotations

import datetime as dt

from domain.catalog import Catalog, EntityType, Sample, UniqueKey

from hexstudio_medium.model import Follow, Person, Post, Recommendation, Tag
from hexstudio_medium.queries import FollowQuery, PersonQuery, PostQuery, RecommendationQuery

_TAGS = list(Tag)
_FIRST_DAY = dt.date(2012, 8, 15)  # Medium opened to the public in August 2012


def _person(sample: Sample) -> Person:
    return Person(handle=sample.text("writer"), name=sample.text("Writer"))


def _post(sample: Sample) -> Post:
    n = sample.n
    return Post(
        author_id=sample.ref("author_id"),
        title=sample.text("Story"),
        published_on=_FIRST_DAY + dt.timedelta(days=n),
        # Two tags that move at different speeds, so each tag is held by some and not others.
        tags={_TAGS[n % len(_TAGS)], _TAGS[(n * 3 + 1) % len(_TAGS)]},
    )


def _follow(sample: Sample) -> Follow:
    return Follow(
        follower_id=sample.ref("follower_id"),
        followee_id=sample.ref("followee_id"),
        since=_FIRST_DAY + dt.timedelta(days=sample.n),
    )


def _recommendation(sample: Sample) -> Recommendation:
    return Recommendation(
        person_id=sample.ref("person_id"),
        post_id=sample.ref("post_id"),
        recommended_on=_FIRST_DAY + dt.timedelta(days=sample.n),
    )


HANDLE = UniqueKey("handle", ("handle",), reason="handle_taken")
"""One person per handle: registering a taken handle is a Conflict."""
PEOPLE = EntityType(Person, PersonQuery, example=_person, unique=(HANDLE,))

POSTS = EntityType(Post, PostQuery, example=_post)

FOLLOW_PAIR = UniqueKey("follow_pair", ("follower_id", "followee_id"), reason="already_following")
"""One follow per (follower, followee): following again is a Conflict."""
FOLLOWS = EntityType(Follow, FollowQuery, example=_follow, unique=(FOLLOW_PAIR,))

RECOMMENDATION_PAIR = UniqueKey(
    "recommendation_pair", ("person_id", "post_id"), reason="already_recommended"
)
"""One recommendation per (person, post): recommending again is a Conflict."""
RECOMMENDATIONS = EntityType(
    Recommendation, RecommendationQuery, example=_recommendation, unique=(RECOMMENDATION_PAIR,)
)

MEDIUM = Catalog("medium", (PEOPLE, POSTS, FOLLOWS, RECOMMENDATIONS))
"""The medium domain's catalog."""
