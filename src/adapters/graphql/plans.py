"""GraphQL documents for read plans: the root and every planned relative in one nested query.

``Plan(PRODUCTIONS, ("movie",), ("shoot_days", "location"))`` becomes ``production(id:) {
... movie { ... } shoot_days: shootDays(first: 500) { edges { node { ... location { ... } } }
pageInfo { hasNextPage } } }``. Relationship fields are aliased to their names in the catalog
so a response is walked by the plan's own hops. The documents of the plans the studio's
interactors use are committed with the others (``generate``); any other plan's document is
generated when first sent, from the same code.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from adapters.graphql.documents import compact, names, source
from domain import MAX_PAGE_SIZE, STUDIO
from domain.catalog import AnyEntityType, Hop, Plan
from domain.catalog.names import camel, pascal

Tree = dict[str, tuple[Hop, "Tree"]]
"""A plan as nested hops: each relationship once, with what follows it."""


def tree(plan: Plan[Any]) -> Tree:
    """The plan's paths merged into one tree (``shoot_days`` and ``shoot_days.location``)."""
    root: Tree = {}
    for path in plan.hops:
        at = root
        for hop in path:
            at = at.setdefault(hop.name, (hop, {}))[1]
    return root


def _node(entity: AnyEntityType, below: Tree, fields: Any, indent: str) -> str:
    """The selection of ``entity``'s fields and of the relatives in ``below``."""
    lines = [indent + fields(entity)]
    for name, (hop, rest) in below.items():
        inner = _node(hop.target, rest, fields, indent + "    " if hop.to_many else indent + "  ")
        field = camel(name)
        alias = field if field == name else f"{name}: {field}"
        if hop.to_many:
            # Every child: the list is complete only when hasNextPage is false.
            lines.append(
                f"{indent}{alias}(first: {MAX_PAGE_SIZE}) {{\n{indent}  edges {{ node {{\n"
                f"{inner}\n{indent}  }} }}\n{indent}  pageInfo {{ hasNextPage }}\n{indent}}}"
            )
        else:
            lines.append(f"{indent}{alias} {{\n{inner}\n{indent}}}")
    return "\n".join(lines)


def _cut(plan: Plan[Any], to_many: int) -> Plan[Any] | None:
    """``plan`` with each path cut before its ``to_many + 1``-th to-many hop (None if empty)."""
    paths = []
    for path, hops in zip(plan.paths, plan.hops, strict=True):
        seen, cut = 0, len(hops)
        for index, hop in enumerate(hops):
            seen += hop.to_many
            if seen > to_many:
                cut = index
                break
        if cut:
            paths.append(path[:cut])
    return Plan(plan.root, *paths) if paths else None


def for_get(plan: Plan[Any]) -> Plan[Any] | None:
    """The plan a get follows: at most one to-many hop per path.

    Each to-many hop asks for a full page (500): two nested ones ask for 250,000 entities,
    past the service's cost cap (app.service.graphql.cost). What is cut is read when asked for.
    """
    return _cut(plan, 1)


def for_list(plan: Plan[Any]) -> Plan[Any] | None:
    """The plan a list follows: no to-many hop.

    A page of 100 parents times their children would pass the cost cap too.
    """
    return _cut(plan, 0)


def name(plan: Plan[Any], operation: str) -> str:
    """The document's name: ``get_production_with_movie_and_shoot_days_location``."""
    entity = plan.root.names
    subject = entity.singular if operation == "get" else entity.plural
    planned = "_and_".join("_".join(path) for path in plan.paths)
    return f"{operation}_{subject}_with_{planned}"


def text(plan: Plan[Any], operation: str) -> str:
    """The document of a planned ``get`` or ``list`` of ``plan.root``, as committed."""
    from adapters.graphql.generate import selection  # generate imports kinds, which imports us

    entity, below = plan.root, tree(plan)
    names_ = entity.names
    title = pascal(name(plan, operation))
    what = ", ".join(plan.dotted())
    if operation == "get":
        body = _node(entity, below, selection, "    ")
        return (
            f"# a planned repository.get: one {names_.singular.replace('_', ' ')} with {what}, "
            "in one request.\n"
            f"query {title}($id: ID!) {{\n  {names_.graphql_one}(id: $id) {{\n{body}\n  }}\n}}\n"
        )
    body = _node(entity, below, selection, "        ")
    declared = f", $filter: {names_.graphql_filter}" if entity.filters else ""
    passed = ", filter: $filter" if entity.filters else ""
    return (
        f"# a planned repository.list: one page of {names_.plural.replace('_', ' ')} with "
        f"{what}, in one request.\n"
        f"query {title}($first: Int!, $after: String{declared}) {{\n"
        f"  {names_.graphql_many}(first: $first, after: $after{passed}) {{\n"
        f"    edges {{\n      node {{\n{body}\n      }}\n    }}\n"
        "    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n"
    )


@cache
def sent(plan: Plan[Any], operation: str) -> tuple[str, str]:
    """The document's name and compacted text: the committed file when there is one."""
    found = name(plan, operation)
    if plan.root.catalog is STUDIO and found in names():
        return found, compact(source(found))
    return found, compact(text(plan, operation))
