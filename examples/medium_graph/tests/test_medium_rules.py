"""Medium's rules, through its use cases, on the memory source and on migrated SQLite."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

import pytest
from domain import Conflict, InvalidInput, NotFound, PageRequest, RuleViolation, UnitOfWorkFactory
from domain.validation import parse

from hexstudio_medium import (
    FOLLOWS,
    HANDLE,
    PEOPLE,
    POSTS,
    RECOMMENDATIONS,
    Follow,
    FollowQuery,
    MediumUseCases,
    Person,
    PostQuery,
    RecommendationQuery,
    Tag,
)

DAY = dt.date(2013, 4, 1)


async def _people(medium: MediumUseCases, *handles: str) -> list[Person]:
    return [await medium.register_person(handle=h, name=h.title()) for h in handles]


# Registering people ----------------------------------------------------------------------------


async def test_happy_path_register_person_normalises_the_handle(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    ada = await medium.register_person(handle="  Ada_L ", name="Ada Lovelace")
    assert ada.handle == "ada_l"
    async with uow() as unit:
        assert list(await unit.repository(PEOPLE).find_by(HANDLE, [("ada_l",)])) == [ada]


async def test_unhappy_path_register_person_with_a_taken_handle_conflicts(
    medium: MediumUseCases,
) -> None:
    await medium.register_person(handle="grace", name="Grace Hopper")
    with pytest.raises(Conflict) as caught:
        await medium.register_person(handle="GRACE", name="Another Grace")
    assert caught.value.reason == "handle_taken"


async def test_unhappy_path_register_person_with_a_malformed_handle_is_invalid(
    medium: MediumUseCases,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await medium.register_person(handle="no spaces", name="Someone")
    assert caught.value.field == "handle"


# Publishing posts ------------------------------------------------------------------------------


async def test_happy_path_publish_post_lists_it_by_author_and_tag(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    (ev,) = await _people(medium, "ev")
    post = await medium.publish_post(
        author_id=ev.id, title="Hello, Medium", tags=["writing", Tag.DESIGN], published_on=DAY
    )
    other = await medium.publish_post(author_id=ev.id, title="Later", published_on=DAY)
    assert post.tags == {Tag.WRITING, Tag.DESIGN}
    async with uow() as unit:
        posts = unit.repository(POSTS)
        by_author = await posts.list(PostQuery(author_id=ev.id), PageRequest())
        by_tag = await posts.list(PostQuery(author_id=ev.id, tag=Tag.WRITING), PageRequest())
    assert {p.id for p in by_author.items} == {post.id, other.id}
    assert [p.id for p in by_tag.items] == [post.id]


async def test_unhappy_path_publish_post_by_an_unknown_author_is_not_found(
    medium: MediumUseCases,
) -> None:
    with pytest.raises(NotFound):
        await medium.publish_post(author_id=uuid4(), title="Orphan", published_on=DAY)


async def test_unhappy_path_publish_post_with_an_unknown_tag_is_invalid(
    medium: MediumUseCases,
) -> None:
    (ev,) = await _people(medium, "ev")
    with pytest.raises(InvalidInput) as caught:
        await medium.publish_post(author_id=ev.id, title="Odd", tags=["knitting"])
    assert str(caught.value.field).startswith("tags")


# Following people ------------------------------------------------------------------------------


async def test_happy_path_follow_person_creates_the_edge_both_ways_of_reading(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    ada, bob, cy = await _people(medium, "ada", "bob", "cy")
    first = await medium.follow_person(follower_id=ada.id, followee_id=bob.id, since=DAY)
    second = await medium.follow_person(follower_id=cy.id, followee_id=bob.id, since=DAY)
    back = await medium.follow_person(follower_id=bob.id, followee_id=ada.id)  # the reverse pair
    assert back.since == dt.date.today()
    async with uow() as unit:
        follows = unit.repository(FOLLOWS)
        followers = await follows.list(FollowQuery(followee_id=bob.id), PageRequest())
        following = await follows.list(FollowQuery(follower_id=ada.id), PageRequest())
    assert {f.id for f in followers.items} == {first.id, second.id}
    assert [f.id for f in following.items] == [first.id]


async def test_unhappy_path_follow_yourself_is_a_rule_violation(medium: MediumUseCases) -> None:
    (ada,) = await _people(medium, "ada")
    with pytest.raises(RuleViolation) as caught:
        await medium.follow_person(follower_id=ada.id, followee_id=ada.id)
    assert caught.value.reason == "self_follow"


def test_unhappy_path_a_self_follow_cannot_even_be_built() -> None:
    """Writes that bypass the use case (the service's generic ones) meet the same invariant."""
    someone = uuid4()
    with pytest.raises(InvalidInput):
        parse(Follow, {"follower_id": someone, "followee_id": someone, "since": DAY})


async def test_unhappy_path_follow_twice_conflicts(medium: MediumUseCases) -> None:
    ada, bob = await _people(medium, "ada", "bob")
    await medium.follow_person(follower_id=ada.id, followee_id=bob.id)
    with pytest.raises(Conflict) as caught:
        await medium.follow_person(follower_id=ada.id, followee_id=bob.id)
    assert caught.value.reason == "already_following"


async def test_unhappy_path_follow_an_unknown_person_is_not_found(medium: MediumUseCases) -> None:
    (ada,) = await _people(medium, "ada")
    ghost = uuid4()
    with pytest.raises(NotFound) as caught:
        await medium.follow_person(follower_id=ada.id, followee_id=ghost)
    assert str(ghost) in caught.value.message


async def test_happy_path_unfollow_person_frees_the_pair(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    ada, bob = await _people(medium, "ada", "bob")
    await medium.follow_person(follower_id=ada.id, followee_id=bob.id)
    await medium.unfollow_person(follower_id=ada.id, followee_id=bob.id)
    async with uow() as unit:
        page = await unit.repository(FOLLOWS).list(FollowQuery(follower_id=ada.id), PageRequest())
    assert page.items == ()
    again = await medium.follow_person(follower_id=ada.id, followee_id=bob.id)
    assert again.follower_id == ada.id


async def test_unhappy_path_unfollow_without_following_is_not_found(
    medium: MediumUseCases,
) -> None:
    ada, bob = await _people(medium, "ada", "bob")
    with pytest.raises(NotFound) as caught:
        await medium.unfollow_person(follower_id=ada.id, followee_id=bob.id)
    assert caught.value.reason == "not_following"


# Recommending posts ----------------------------------------------------------------------------


async def test_happy_path_recommend_post_of_someone_else(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    ev, ada = await _people(medium, "ev", "ada")
    post = await medium.publish_post(author_id=ev.id, title="Hello", published_on=DAY)
    recommendation = await medium.recommend_post(person_id=ada.id, post_id=post.id)
    async with uow() as unit:
        page = await unit.repository(RECOMMENDATIONS).list(
            RecommendationQuery(post_ids=frozenset({post.id})), PageRequest()
        )
    assert page.items == (recommendation,)


async def test_unhappy_path_recommend_your_own_post_is_a_rule_violation(
    medium: MediumUseCases, uow: UnitOfWorkFactory
) -> None:
    (ev,) = await _people(medium, "ev")
    post = await medium.publish_post(author_id=ev.id, title="Mine", published_on=DAY)
    with pytest.raises(RuleViolation) as caught:
        await medium.recommend_post(person_id=ev.id, post_id=post.id)
    assert caught.value.reason == "own_post"
    async with uow() as unit:
        page = await unit.repository(RECOMMENDATIONS).list(
            RecommendationQuery(post_id=post.id), PageRequest()
        )
    assert page.items == (), "the refused recommendation was stored"


async def test_unhappy_path_recommend_twice_conflicts(medium: MediumUseCases) -> None:
    ev, ada = await _people(medium, "ev", "ada")
    post = await medium.publish_post(author_id=ev.id, title="Hello", published_on=DAY)
    await medium.recommend_post(person_id=ada.id, post_id=post.id)
    with pytest.raises(Conflict) as caught:
        await medium.recommend_post(person_id=ada.id, post_id=post.id)
    assert caught.value.reason == "already_recommended"


async def test_unhappy_path_recommend_an_unknown_post_or_by_an_unknown_person_is_not_found(
    medium: MediumUseCases,
) -> None:
    (ev,) = await _people(medium, "ev")
    post = await medium.publish_post(author_id=ev.id, title="Hello", published_on=DAY)
    with pytest.raises(NotFound):
        await medium.recommend_post(person_id=ev.id, post_id=uuid4())
    with pytest.raises(NotFound):
        await medium.recommend_post(person_id=uuid4(), post_id=post.id)
