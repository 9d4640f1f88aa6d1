"""The worst-case entity count of GraphQL operations (app/service/graphql/cost.py)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from app.service.edges import edges_for
from app.service.graphql.cost import MAX_ENTITIES, Counted, estimated_entities
from app.service.graphql.schema import schema_of
from domain import STUDIO
from domain.studio_domain import DOMAIN

schema = schema_of(STUDIO, edges_for(DOMAIN))
COUNTED = Counted.of(STUDIO)


def estimate(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> Any:
    return estimated_entities(schema._schema, parse(query), name, variables, counted=COUNTED)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ movie(id: 1) { title } }", 1),
        ("{ movies(first: 7) { edges { node { id } } } }", 7),
        ("{ movies { edges { node { id } } } }", 50),  # the argument's default
        ("{ productions(first: 100) { edges { node { id movie { id } } } } }", 200),
        ("{ moviesByIds(ids: [1, 2, 3]) { id } }", 3),
        ("{ movies(first: 2) { pageInfo { hasNextPage } edges { cursor } } }", 0),
        ("{ __typename movies(first: 3) { edges { node { __typename } } } }", 3),
        (
            "{ productions(first: 10) { edges { node { shootDays(first: 20) "
            "{ edges { node { location { name } } } } } } } }",
            10 + 10 * 20 * 2,
        ),
    ],
)
def test_happy_path_counts_the_entities_an_operation_can_return(query: str, expected: int) -> None:
    assert estimate(query) == expected


def test_happy_path_variables_given_then_declared_defaults_then_argument_defaults() -> None:
    query = "query($n: Int = 4, $m: Int) { a: movies(first: $n) { edges { node { id } } } \
             b: movies(first: $m) { edges { node { id } } } }"
    assert estimate(query) == 4 + 50
    assert estimate(query, {"n": 9, "m": 2}) == 11


def test_happy_path_fragments_and_inline_fragments_count_like_fields() -> None:
    query = """
      query { productions(first: 5) { edges { node { ...P ... on Production { movie { id } } } } } }
      fragment P on Production { movie { id } shootDays(first: 3) { edges { node { id } } } }
    """
    assert estimate(query) == 5 * (1 + 1 + 3 + 1)


def test_happy_path_batches_of_unknown_length_count_as_a_full_page() -> None:
    assert estimate("query($ids: [ID!]!) { moviesByIds(ids: $ids) { id } }") == 500
    assert estimate("query($ids: [ID!]!) { moviesByIds(ids: $ids) { id } }", {"ids": [1]}) == 1


def test_unhappy_path_nested_full_pages_exceed_the_cap() -> None:
    query = (
        "{ productions(first: 500) { edges { node { shootDays(first: 500) "
        "{ edges { node { id } } } } } } }"
    )
    assert estimate(query) > MAX_ENTITIES


def test_unhappy_path_doubling_fragments_are_estimated_without_expanding_them() -> None:
    levels = 40  # 2**40 fields once expanded
    fragments = [f"fragment F{i} on Movie {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Movie {{ title }}")
    query = "{ movies(first: 1) { edges { node { ...F0 } } } }\n" + "\n".join(fragments)
    assert estimate(query) == 1


def test_unhappy_path_an_ambiguous_operation_is_left_to_execution() -> None:
    assert estimate("query A { movie(id: 1) { id } } query B { movie(id: 1) { id } }") is None


def test_happy_path_a_page_of_productions_with_their_default_shoot_day_pages_is_allowed() -> None:
    nested = "{{ productions(first: {n}) {{ edges {{ node {{ shootDays {{ edges {{ node {{ \
              location {{ name }} }} }} }} }} }} }} }}"
    assert estimate(nested.format(n=100)) == 10_100 <= MAX_ENTITIES
    assert estimate(nested.format(n=500)) == 50_500 > MAX_ENTITIES


def test_happy_path_every_versioned_object_type_of_the_schema_counts_as_an_entity() -> None:
    from graphql import GraphQLObjectType

    versioned = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and {"id", "version"} <= set(kind.fields)
    }
    assert versioned == COUNTED.entity_types
