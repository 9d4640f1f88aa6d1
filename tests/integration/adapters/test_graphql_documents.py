"""Every document the graphql adapter sends is valid against the provider's schema."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from adapters.graphql.documents import compact, document, names, source
from adapters.graphql.generate import documents
from adapters.graphql.plans import sent
from adapters.graphql.plans import text as planned_text
from app.service.edges import edges_for
from app.service.graphql import schema_of
from domain import SHOOT_DAYS, STUDIO
from domain.catalog import Plan
from domain.interactors import PLANS
from domain.studio_domain import DOMAIN


def test_every_document_is_what_the_catalog_gives() -> None:
    """The committed files are generated: `python -m adapters.graphql.generate` rewrites them.

    The interactors' read plans (``PLANS``) each have their planned documents committed too.
    """
    generated = documents(STUDIO, PLANS)
    assert set(names()) == set(generated)
    for name in names():
        assert source(name) == generated[name], f"{name}.graphql drifted from the catalog"


@pytest.mark.parametrize("name", names())
def test_document_is_valid_against_the_provider_schema(name: str) -> None:
    for text in (source(name), document(name)):
        errors = validate(schema_of(DOMAIN.catalog, edges_for(DOMAIN))._schema, parse(text))
        assert not errors, f"{name}: {[e.message for e in errors]}"


@pytest.mark.parametrize("name", names())
def test_compaction_keeps_the_document_s_meaning(name: str) -> None:
    from graphql import print_ast

    assert print_ast(parse(document(name))) == print_ast(parse(source(name)))
    assert compact(document(name)) == document(name)


def test_a_plan_without_a_committed_document_gets_one_from_the_same_generator() -> None:
    plan = Plan(SHOOT_DAYS, ("production", "movie"), ("location",))
    name, text = sent(plan, "get")
    assert name == "get_shoot_day_with_production_movie_and_location"
    assert name not in names()
    errors = validate(schema_of(DOMAIN.catalog, edges_for(DOMAIN))._schema, parse(text))
    assert not errors, [e.message for e in errors]
    assert "production {" in planned_text(plan, "get")
    for committed in PLANS:
        assert sent(committed, "get")[1] == document(sent(committed, "get")[0])
