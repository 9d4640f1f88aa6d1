"""The schema: queries, mutations, and the extensions that guard them."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from app.service.edges import NONE, UseCaseEdges
from app.service.graphql.auth import Authorization
from app.service.graphql.changes import Changes
from app.service.graphql.cost import query_cost
from app.service.graphql.errors import log_unexpected
from app.service.graphql.execution import StudioExecutionContext
from app.service.graphql.operation import OneOperation, requested
from app.service.graphql.schema_types import catalog_types
from domain import Catalog

MAX_DEPTH = 10
"""Deepest selection accepted: room for productions -> shootDays -> location, not for loops."""

MAX_ALIASES = 30
"""Most aliases in one document: 2,000 aliased ``movies(first: 500)`` would be 2,000 queries."""

MAX_TOKENS = 2000
"""Most tokens in one document (the largest the graphql adapter sends has under 100): a 1 MB
document of repeated fields otherwise costs ~10 s of CPU in validation before it is refused."""


# The depth rule is built once: ValidationCache keys on the rule classes, and a limiter made
# per request would make a new class each time (a cache miss costing ~10 ms per request).
_DEPTH_RULES = QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules
_ALIAS_RULES = MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules


class StudioSchema(strawberry.Schema):
    """The strawberry schema, logging only unexpected errors (domain errors are answers)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log bugs with their tracebacks; bad input and domain refusals are not logged."""
        log_unexpected(errors)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Strawberry's execution, with the requested operation name where OneOperation sees it.

        Strawberry gives extensions the name of the operation it picked, not the one asked for.
        """
        token = requested.set(operation_name)
        try:
            return await super().execute(
                query,
                variable_values=variable_values,
                context_value=context_value,
                root_value=root_value,
                operation_name=operation_name,
                allowed_operation_types=allowed_operation_types,
                operation_extensions=operation_extensions,
            )
        finally:
            requested.reset(token)


def mutation_type(catalog: Catalog, edges: UseCaseEdges = NONE) -> type:
    """``Mutation``: the domain's use-case mutations, if any, then the derived ``applyChanges``."""
    commit = Changes(catalog_types(catalog)).mutation_type()
    own = () if edges.graphql_mutations is None else (edges.graphql_mutations,)
    return strawberry.type(
        type("Mutation", (*own, commit), {}),
        description="Writes; they need the bearer token when one is configured.",
    )


def build_schema(catalog: Catalog, edges: UseCaseEdges = NONE, **options: Any) -> StudioSchema:
    """A new schema over ``catalog`` (one per app; parsed and validated documents are cached)."""
    return StudioSchema(
        query=catalog_types(catalog).query_type,
        mutation=mutation_type(catalog, edges),
        extensions=[
            # Factories: a fresh extension per request; the caches are shared module-wide.
            lambda: AddValidationRules([*_DEPTH_RULES, *_ALIAS_RULES]),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=256),
            OneOperation,
            lambda: ValidationCache(maxsize=256),
            Authorization,
            query_cost(catalog),
        ],
        execution_context_class=StudioExecutionContext,
        **options,
    )


@functools.cache
def schema_of(catalog: Catalog, edges: UseCaseEdges = NONE) -> StudioSchema:
    """The schema of ``catalog`` with ``edges``, built once per process.

    Every app of the process over one catalog shares it, and with it the parser and
    validation caches.
    """
    return build_schema(catalog, edges)
