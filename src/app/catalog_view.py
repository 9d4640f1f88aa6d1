"""What the catalog derives for one entity type, edge by edge, as plain data.

``hexstudio describe`` prints it, so nothing the framework derives is hidden from a reader.
"""

from __future__ import annotations

from typing import Any

from adapters.graphql import plans as graphql_plans
from adapters.json_api.repositories import INCLUDE_DEPTH
from adapters.json_api.wire import wire_type
from adapters.sql.tables import schema_of
from domain.catalog import AnyEntityType, Plan
from domain.catalog.plan import hops
from domain.interactors import PLANS


def describe(entity: AnyEntityType) -> dict[str, Any]:
    """Every name, column, attribute and filter the edges derive for ``entity``'s type."""
    names = entity.names
    tables = schema_of(entity.catalog)[entity]
    wire = wire_type(entity)
    # The rule is EntityType.holds_personal_data's: one personal field is enough.
    shared = "never hold it" if entity.holds_personal_data else "may hold it"
    return {
        "entity": entity.label,
        "names": {
            "singular": names.singular,
            "plural (repository, [repositories] key)": names.plural,
            "JSON:API type": names.jsonapi_type,
            "GraphQL type": names.graphql_type,
            "GraphQL fields": [names.graphql_one, names.graphql_many, names.graphql_by_ids],
            # A query without filters has no filter input (GraphQL has no empty inputs).
            "GraphQL inputs": [names.graphql_filter] * bool(entity.filters) + [names.graphql_input],
        },
        "order": list(entity.order),
        "fields": [
            {"name": f.name, "kind": f.kind.value, "type": getattr(f.type, "__name__", str(f.type))}
            for f in entity.fields
        ],
        "personal data": {
            "type (EntityType(personal=...))": "yes" if entity.personal else "no",
            "fields (Personal())": ", ".join(entity.personal_fields) or "none",
            "shared caches (Redis)": shared,
        },
        "sql (generic column types)": {
            table.name: [f"{c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in table.c]
            for table in (tables.table, *(c.table for c in tables.collections))
        },
        "sql indexes": sorted(
            f"{ix.name} ({', '.join(c.name for c in ix.columns)})" for ix in tables.table.indexes
        ),
        "sql unique constraints": [
            f"uq_{entity.plural}_{'_'.join(key.fields)} ({', '.join(key.fields)})"
            for key in entity.unique
        ],
        "json:api": {
            "attributes": [f.name for f in entity.attributes],
            "to-one": [f"{name} -> {target}" for name, target, _ in wire.to_one],
        },
        "referenced by": [
            f"{r.source.plural}.{r.field.name} (relationship {r.name})"
            for r in entity.catalog.reverses(entity)
        ],
        "filters": [
            f"{f.name}: {f.op} on {f.field} (capability {entity.filter_name(f.name)})"
            for f in entity.filters
        ],
        "unique keys": [
            f"{key.name} ({', '.join(key.fields)}): Conflict {key.reason}" for key in entity.unique
        ],
        "plan relationships": [
            f"{name} -> {hop.target.plural} "
            f"({'to-many by' if hop.to_many else 'to-one through'} {hop.field.name})"
            for name, hop in hops(entity).items()
        ],
        "read plans": [_plan(plan) for plan in PLANS if plan.root is entity],
    }


def _plan(plan: Plan[Any]) -> dict[str, str]:
    """What each remote adapter sends for one of the interactors' read plans."""
    get, listed = graphql_plans.for_get(plan), graphql_plans.for_list(plan)
    return {
        "paths": " ".join(plan.dotted()),
        "json:api include": ",".join(plan.dotted(INCLUDE_DEPTH)),
        "graphql get": graphql_plans.name(get, "get") if get else "plain get",
        "graphql list": graphql_plans.name(listed, "list") if listed else "plain list",
    }
