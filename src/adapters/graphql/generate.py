"""The adapter's GraphQL documents, written from a catalog: the committed files are its output.

``python -m adapters.graphql.generate`` rewrites ``documents/`` for the studio's catalog; a
test fails when a committed file differs from what the declarations give (as schema.graphql
is checked against the service). Selections alias camelCase fields to the entities' names,
so nodes validate straight into domain entities.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from adapters.graphql import plans as planned
from adapters.graphql.kinds import kind_of
from domain import Catalog
from domain.catalog import AnyEntityType, FieldKind, Plan
from domain.catalog.names import camel, pascal, plural

_FIXED = {
    "apply_changes": (
        "# unit_of_work.commit: every buffered write, applied in order in one transaction.\n"
        "mutation ApplyChanges($changes: [ChangeInput!]!) {\n"
        "  applyChanges(changes: $changes) {\n"
        "    applied\n"
        "  }\n"
        "}\n"
    ),
    "check": "# data_source.check: the service answers GraphQL.\nquery Check {\n  __typename\n}\n",
}


def selection(entity: AnyEntityType) -> str:
    """Every field of the entity, aliased to its Python name where GraphQL spells it apart."""
    parts = []
    for spec in entity.fields:
        name = camel(spec.name)
        shown = name if name == spec.name else f"{spec.name}: {name}"
        if spec.kind is FieldKind.VALUE:
            shown += " { " + " ".join(camel(part.name) for part in spec.parts) + " }"
        parts.append(shown)
    return " ".join(parts)


def documents(catalog: Catalog, plans: Iterable[Plan[Any]] = ()) -> dict[str, str]:
    """Every document the adapter sends for ``catalog``, by file name (without .graphql).

    ``plans``: the read plans to write a planned get and list document for (the studio's
    interactors' ``PLANS`` for the committed files).
    """
    found = dict(_FIXED)
    for plan in plans:
        for operation, cut in (("get", planned.for_get(plan)), ("list", planned.for_list(plan))):
            if cut is not None:
                found[planned.name(cut, operation)] = planned.text(cut, operation)
    for entity in catalog:
        names, fields = entity.names, selection(entity)
        words = names.plural.replace("_", " ")
        get, get_many, list_ = kind_of(entity).documents
        found[get] = (
            f"# repository.get: one {names.singular.replace('_', ' ')} by id; a missing id "
            "answers null (repository.get raises NotFound).\n"
            f"query {pascal(get)}($id: ID!) {{\n"
            f"  {names.graphql_one}(id: $id) {{\n    {fields}\n  }}\n}}\n"
        )
        found[get_many] = (
            f"# repository.get_many: the {words} among $ids, in one request.\n"
            f"query {pascal(get_many)}($ids: [ID!]!) {{\n"
            f"  {names.graphql_by_ids}(ids: $ids) {{\n    {fields}\n  }}\n}}\n"
        )
        # A query without filters has no filter input on the service (GraphQL allows no
        # empty input objects), so its list document declares none.
        declared = f", $filter: {names.graphql_filter}" if entity.filters else ""
        passed = ", filter: $filter" if entity.filters else ""
        found[list_] = (
            f"# repository.list: one page of {words} in the stable order (a Relay connection).\n"
            f"query {pascal(list_)}($first: Int!, $after: String{declared}) {{\n"
            f"  {names.graphql_many}(first: $first, after: $after{passed}) {{\n"
            "    edges {\n      node {\n"
            f"        {fields}\n"
            "      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n"
        )
        for key in entity.unique:
            name, argument = kind_of(entity).lookup_document(key), camel(plural(key.name))
            found[name] = (
                f"# {names.plural}.find_by({key.name}): the {words} holding any of "
                f"${argument}, in one request.\n"
                f"query {pascal(name)}(${argument}: [{pascal(key.name)}Input!]!) {{\n"
                f"  {camel(name)}({argument}: ${argument}) {{\n    {fields}\n  }}\n}}\n"
            )
    return found


def write(catalog: Catalog, folder: Path, plans: Iterable[Plan[Any]] = ()) -> None:
    """Replace the documents in ``folder`` by those of ``catalog`` and ``plans``."""
    for stale in folder.glob("*.graphql"):
        stale.unlink()
    for name, text in documents(catalog, plans).items():
        (folder / f"{name}.graphql").write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from domain import STUDIO
    from domain.interactors import PLANS

    write(STUDIO, Path(str(files("adapters.graphql") / "documents")), PLANS)
    sys.exit(0)
