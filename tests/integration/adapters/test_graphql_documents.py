"""Every document the graphql adapter sends is valid against the provider's schema."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from adapters.graphql.documents import compact, document, names, source
from app.service.graphql import schema


def test_every_use_of_the_port_has_its_document() -> None:
    kinds = ("movie", "location", "production", "shoot_day")
    expected = {f"{verb}_{k}" for k in kinds for verb in ("get",)}
    expected |= {f"{verb}_{k}s" for k in kinds for verb in ("get_many", "list")}
    expected |= {"shoot_day_bookings", "apply_changes", "check"}
    assert set(names()) == expected


@pytest.mark.parametrize("name", names())
def test_document_is_valid_against_the_provider_schema(name: str) -> None:
    for text in (source(name), document(name)):
        errors = validate(schema._schema, parse(text))
        assert not errors, f"{name}: {[e.message for e in errors]}"


@pytest.mark.parametrize("name", names())
def test_compaction_keeps_the_document_s_meaning(name: str) -> None:
    from graphql import print_ast

    assert print_ast(parse(document(name))) == print_ast(parse(source(name)))
    assert compact(document(name)) == document(name)
