"""The operation to run: a document of several operations must say which, by ``operationName``.

The GraphQL spec (GetOperation) makes that a request error; strawberry instead picks the first
operation, so a client that forgot the name runs something it did not choose (issue 11). The
schema records the name the request gave (``requested``); ``OneOperation`` refuses after parsing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError

requested: ContextVar[str | None] = ContextVar("hexstudio_graphql_operation_name", default=None)
"""The ``operationName`` of the request being executed (None: the client named none)."""


class OperationNameRequired(CannotGetOperationTypeError):
    """Several operations and no name; strawberry's HTTP view answers this class with 400."""

    def __init__(self, count: int) -> None:
        super().__init__(None)
        self.count = count

    def as_http_error_reason(self) -> str:
        """The message of the 400."""
        return f"the document has {self.count} operations: operationName must name the one to run"


class OneOperation(SchemaExtension):
    """Refuse, before validation, a document of several operations when none is named."""

    def on_parse(self) -> Iterator[None]:
        """Count the parsed document's operations."""
        yield
        document = self.execution_context.graphql_document
        if document is None or requested.get() is not None:
            return
        count = sum(isinstance(node, OperationDefinitionNode) for node in document.definitions)
        if count > 1:
            raise OperationNameRequired(count)
