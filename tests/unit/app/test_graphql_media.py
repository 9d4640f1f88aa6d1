"""Choosing the GraphQL answer's media type from ``Accept``."""

from __future__ import annotations

import pytest

from app.service.graphql.media import GRAPHQL_RESPONSE, JSON, negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("Application/GraphQL-Response+JSON", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.9, application/json;q=0.8", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.8, application/json;q=0.9", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.8, application/*;q=0.9", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.8, */*", JSON),
        (f"{GRAPHQL_RESPONSE}, */*;q=0.1", GRAPHQL_RESPONSE),
        ("application/json;q=0, */*", GRAPHQL_RESPONSE),  # the most specific range rules
    ],
)
def test_happy_path_the_higher_quality_wins_and_ties_go_to_the_spec_type(
    accept: str | None, chosen: str
) -> None:
    assert negotiate(accept) == chosen


@pytest.mark.parametrize(
    "accept",
    ["text/html", "text/html, image/*", f"{GRAPHQL_RESPONSE};q=0", f"{GRAPHQL_RESPONSE};q=nan"],
)
def test_unhappy_path_an_accept_allowing_neither_type_chooses_none(accept: str) -> None:
    assert negotiate(accept) is None


@pytest.mark.parametrize("weight", ["x", "2", "-1", "inf", "nan"])
def test_unhappy_path_an_unreadable_weight_accepts_nothing(weight: str) -> None:
    assert negotiate(f"application/json;q={weight}") is None
