"""The identity map's child lists: a planned read's complete children answer a later list."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

from adapters.identity import children_page
from domain import SHOOT_DAYS, PageRequest, ShootDay, ShootDayQuery

PRODUCTION = uuid4()
LATE, EARLY = (
    ShootDay(production_id=PRODUCTION, location_id=uuid4(), date=dt.date(2030, 1, day))
    for day in (9, 2)
)
NAME = "shoot-days"


Entities = dict[tuple[str, UUID], ShootDay]
Children = dict[tuple[str, str, UUID], tuple[UUID, ...]]


def _maps(*days: ShootDay) -> tuple[Entities, Children]:
    """The days read, and the production's complete child list (both days, late first)."""
    entities = {(NAME, day.id): day for day in days}
    children: Children = {(NAME, "production_id", PRODUCTION): (LATE.id, EARLY.id)}
    return entities, children


def test_happy_path_complete_children_come_in_the_entity_order() -> None:
    entities, children = _maps(LATE, EARLY)
    query = ShootDayQuery(production_id=PRODUCTION)
    page = children_page(SHOOT_DAYS, NAME, query, PageRequest(), entities, children)
    assert page is not None
    assert page.items == (EARLY, LATE)
    assert page.next_cursor is None


def test_unhappy_path_a_child_not_read_leaves_the_list_to_the_data_source() -> None:
    entities, children = _maps(LATE)  # EARLY is listed by the linkage but was not brought
    query = ShootDayQuery(production_id=PRODUCTION)
    assert children_page(SHOOT_DAYS, NAME, query, PageRequest(), entities, children) is None


def test_unhappy_path_a_page_smaller_than_the_list_or_another_filter_is_not_answered() -> None:
    entities, children = _maps(LATE, EARLY)
    one = ShootDayQuery(production_id=PRODUCTION)
    assert children_page(SHOOT_DAYS, NAME, one, PageRequest(size=1), entities, children) is None
    many = ShootDayQuery(production_ids=frozenset({PRODUCTION}))
    assert children_page(SHOOT_DAYS, NAME, many, PageRequest(), entities, children) is None
