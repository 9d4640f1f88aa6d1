"""Medium's use cases: one class per action, each built with a unit-of-work factory.

The rules of the graph live here and in the catalog:

- a person cannot follow themselves (``RuleViolation``, reason ``self_follow``);
- a person cannot recommend their own post (``RuleViolation``, reason ``own_post``);
- one follow per (follower, followee), one recommendation per (person, post) and one person
  per handle are unique keys: the data source refuses a second holder with ``Conflict``
  (reasons ``already_following``, ``already_recommended``, ``handle_taken``), which holds
  under races too, where a read-then-write check here would not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from domain import NotFound, RuleViolation, UnitOfWorkFactory
from domain.validation import parse, parse_value

from hexstudio_medium.catalog import FOLLOW_PAIR, FOLLOWS, PEOPLE, POSTS, RECOMMENDATIONS
from hexstudio_medium.model import Follow, Person, Post, Recommendation, Tag


def _today(on: dt.date | None, name: str) -> dt.date:
    return dt.date.today() if on is None else parse_value(dt.date, on, name)


class RegisterPerson:
    """Register a person under a handle no one else has."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, handle: str, name: str, id: UUID | None = None) -> Person:
        """Store the person; InvalidInput names a bad field, Conflict a taken handle or id."""
        fields: dict[str, object] = {"handle": handle, "name": name}
        if id is not None:
            fields["id"] = id
        person = parse(Person, fields)
        async with self._uow() as uow:
            stored = await uow.repository(PEOPLE).add(person)
            await uow.commit()
        return stored


class PublishPost:
    """Publish a post by an existing person."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        author_id: UUID,
        title: str,
        tags: Iterable[Tag | str] = (),
        published_on: dt.date | None = None,
        id: UUID | None = None,
    ) -> Post:
        """Store the post (published today by default); NotFound when the author is unknown."""
        fields: dict[str, object] = {
            "author_id": author_id,
            "title": title,
            "tags": list(tags),
            "published_on": _today(published_on, "published_on"),
        }
        if id is not None:
            fields["id"] = id
        post = parse(Post, fields)
        async with self._uow() as uow:
            await uow.repository(PEOPLE).get(post.author_id)
            stored = await uow.repository(POSTS).add(post)
            await uow.commit()
        return stored


class FollowPerson:
    """Make ``follower_id`` follow ``followee_id``: two existing, different people."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, follower_id: UUID, followee_id: UUID, since: dt.date | None = None
    ) -> Follow:
        """Store the follow edge.

        RuleViolation ``self_follow`` for oneself, NotFound for an unknown person, Conflict
        ``already_following`` when the follow exists (at the add or at the commit).
        """
        follower = parse_value(UUID, follower_id, "follower_id")
        followee = parse_value(UUID, followee_id, "followee_id")
        if follower == followee:
            raise RuleViolation(
                f"person {follower} cannot follow themselves",
                entity="Follow",
                field="followee_id",
                reason="self_follow",
            )
        follow = Follow(follower_id=follower, followee_id=followee, since=_today(since, "since"))
        async with self._uow() as uow:
            found = await uow.repository(PEOPLE).get_many([follower, followee])
            for id in (follower, followee):
                if id not in found:
                    raise NotFound.of("Person", id)
            stored = await uow.repository(FOLLOWS).add(follow)
            await uow.commit()
        return stored


class UnfollowPerson:
    """Remove the follow edge from ``follower_id`` to ``followee_id``."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, follower_id: UUID, followee_id: UUID) -> None:
        """Delete the edge, found by the pair's unique key; NotFound when there is none."""
        pair = (
            parse_value(UUID, follower_id, "follower_id"),
            parse_value(UUID, followee_id, "followee_id"),
        )
        async with self._uow() as uow:
            follows = uow.repository(FOLLOWS)
            found = list(await follows.find_by(FOLLOW_PAIR, [pair]))
            if not found:
                raise NotFound(
                    f"person {pair[0]} does not follow {pair[1]}",
                    entity="Follow",
                    field="followee_id",
                    reason="not_following",
                )
            await follows.remove(found[0].id, found[0].version)
            await uow.commit()


class RecommendPost:
    """Record that a person recommends someone else's post."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, person_id: UUID, post_id: UUID, recommended_on: dt.date | None = None
    ) -> Recommendation:
        """Store the recommendation edge.

        NotFound for an unknown person or post, RuleViolation ``own_post`` when the person
        wrote the post, Conflict ``already_recommended`` when they recommended it already.
        """
        recommendation = Recommendation(
            person_id=parse_value(UUID, person_id, "person_id"),
            post_id=parse_value(UUID, post_id, "post_id"),
            recommended_on=_today(recommended_on, "recommended_on"),
        )
        async with self._uow() as uow:
            post = await uow.repository(POSTS).get(recommendation.post_id)
            if post.author_id == recommendation.person_id:
                raise RuleViolation(
                    f"person {post.author_id} wrote post {post.id}: authors cannot recommend "
                    "their own posts",
                    entity="Recommendation",
                    field="post_id",
                    reason="own_post",
                )
            await uow.repository(PEOPLE).get(recommendation.person_id)
            stored = await uow.repository(RECOMMENDATIONS).add(recommendation)
            await uow.commit()
        return stored


@dataclass(frozen=True)
class MediumUseCases:
    """Every use case of the medium domain, wired to one unit-of-work factory."""

    uow: UnitOfWorkFactory
    register_person: RegisterPerson = field(init=False)
    publish_post: PublishPost = field(init=False)
    follow_person: FollowPerson = field(init=False)
    unfollow_person: UnfollowPerson = field(init=False)
    recommend_post: RecommendPost = field(init=False)

    def __post_init__(self) -> None:
        for name, kind in (
            ("register_person", RegisterPerson),
            ("publish_post", PublishPost),
            ("follow_person", FollowPerson),
            ("unfollow_person", UnfollowPerson),
            ("recommend_post", RecommendPost),
        ):
            object.__setattr__(self, name, kind(self.uow))
