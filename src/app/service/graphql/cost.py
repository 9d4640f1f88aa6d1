"""A cap on the entities one GraphQL operation may ask for, checked before any resolver runs.

Depth and ``first`` limits alone still let a document multiply: ``productions(first: 500) {
shootDays(first: 500) { location { shootDays(first: 500) ... } } }`` asks for 500^3 shoot days
within depth 10. The estimate multiplies each connection's ``first`` (its default when absent)
and each batch field's list of ids or slots along the nesting, and counts the entities
(movies, locations, productions, shoot days) the operation could return at most.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension

from app.service.graphql.errors import INVALID_QUERY
from domain import MAX_PAGE_SIZE, Catalog
from domain.catalog.names import plural

MAX_ENTITIES = 20_000
"""Most entities one operation may ask for: forty full pages, or 100 productions with their
first 50 shoot days (the default page) and those days' locations (10,100) twice over. At
~0.1 ms per entity through GraphQL (docs/performance.md) that bounds a request to about two
seconds of CPU, where nested full pages could otherwise ask for millions."""


@dataclass(frozen=True)
class Counted:
    """What the estimate counts, from a catalog: its entity types and its batch arguments."""

    entity_types: frozenset[str]
    """The object types that count as entities: every type of the catalog (a type left out
    would be counted as free, which is how a hand-kept list under-counted a new entity)."""
    batch_arguments: tuple[str, ...]
    """Arguments whose list length multiplies a field: ``ids`` and each unique key's plural."""

    @classmethod
    def of(cls, catalog: Catalog) -> Counted:
        """What ``catalog`` makes countable."""
        return cls(
            frozenset(entity.names.graphql_type for entity in catalog),
            ("ids", *(plural(key.name) for entity in catalog for key in entity.unique)),
        )


class _Estimate:
    """The worst-case entity count of one operation, given its variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        counted: Counted,
    ) -> None:
        self._schema = schema
        self._counted = counted
        self._operation = operation
        self._variables = variables
        self._defaults = {
            d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
        }
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        # A fragment spread many times is counted once: the count is linear in the multiplier,
        # so documents doubling fragments at each level cost no more to estimate than to read.
        self._fragment_counts: dict[str, int] = {}

    def count(self) -> int:
        """The entities the operation could return at most."""
        root = self._schema.get_root_type(self._operation.operation)
        return 0 if root is None else self._selections(root, self._operation.selection_set)

    def _selections(self, parent: GraphQLObjectType, selections: SelectionSetNode) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self._selections(
                    self._condition(selection.type_condition, parent), selection.selection_set
                )
            elif isinstance(selection, FragmentSpreadNode):
                total += self._spread(selection.name.value, parent)
        return total

    def _field(self, parent: GraphQLObjectType, node: FieldNode) -> int:
        field = parent.fields.get(node.name.value)
        if field is None:  # __typename and introspection: no entities
            return 0
        named = get_named_type(field.type)
        inner = 0
        if node.selection_set is not None and isinstance(named, GraphQLObjectType):
            inner = self._selections(named, node.selection_set)
        own = 1 if named.name in self._counted.entity_types else 0
        return self._fan_out(field, node) * (own + inner)

    def _spread(self, name: str, parent: GraphQLObjectType) -> int:
        if name not in self._fragment_counts:
            fragment = self._fragments.get(name)
            self._fragment_counts[name] = 0  # validation refuses cycles; never loop here
            if fragment is not None:
                self._fragment_counts[name] = self._selections(
                    self._condition(fragment.type_condition, parent), fragment.selection_set
                )
        return self._fragment_counts[name]

    def _condition(self, condition: Any, parent: GraphQLObjectType) -> GraphQLObjectType:
        found = self._schema.get_type(condition.name.value) if condition is not None else None
        return found if isinstance(found, GraphQLObjectType) else parent

    def _fan_out(self, field: GraphQLField, node: FieldNode) -> int:
        """How many times the field's selections repeat: ``first``, or a batch's length."""
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        if "first" in field.args:
            first = self._value(given.get("first"), field.args["first"].default_value)
            # Over the cap, the resolver refuses it with its own message.
            return min(first, MAX_PAGE_SIZE) if isinstance(first, int) and first > 0 else 1
        for name in self._counted.batch_arguments:
            if name in field.args:
                batch = self._value(given.get(name), None)
                return len(batch) if isinstance(batch, list) else MAX_PAGE_SIZE
        return 1

    def _value(self, node: ValueNode | None, default: Any) -> Any:
        if node is None:
            return None if default is Undefined else default
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self._variables:
                return self._variables[name]
            return self._value(self._defaults.get(name), default)
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, ListValueNode):
            return list(node.values)
        return None


def estimated_entities(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    *,
    counted: Counted,
) -> int | None:
    """The most entities the operation could return; None when the operation is ambiguous."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    return _Estimate(schema, document, operation, variables or {}, counted).count()


def query_cost(catalog: Catalog) -> type[QueryCost]:
    """The cost extension of a schema serving ``catalog``."""
    return type("QueryCost", (QueryCost,), {"counted": Counted.of(catalog)})


class QueryCost(SchemaExtension):
    """Refuse an operation that could return more than ``MAX_ENTITIES`` entities."""

    counted: Counted
    """Set per catalog by ``query_cost``."""

    def on_execute(self) -> Iterator[None]:
        """Set the refusal as the result, which makes strawberry skip execution."""
        run = self.execution_context
        if run.result is None and run.graphql_document is not None:
            variables = run.variables if isinstance(run.variables, dict) else {}
            estimate = estimated_entities(
                run.schema._schema,
                run.graphql_document,
                run.operation_name,
                variables,
                counted=self.counted,
            )
            if estimate is not None and estimate > MAX_ENTITIES:
                run.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"this operation could return {estimate:,} entities, more than the "
                            f"{MAX_ENTITIES:,} allowed per request: ask for smaller pages "
                            "(first) or fewer nested connections",
                            extensions={"code": INVALID_QUERY, "reason": "too_costly"},
                        )
                    ],
                )
        yield
