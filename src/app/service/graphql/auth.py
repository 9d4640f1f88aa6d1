"""Bearer tokens on GraphQL: mutations need the write token; queries the read token if set."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from app.service.auth import allowed
from app.service.graphql.context import GraphQLContext
from app.service.graphql.errors import UNAUTHORIZED


class Authorization(SchemaExtension):
    """Refuse an operation before any resolver runs when its token is missing or wrong.

    It runs after parsing and validation, when the operation type is known; the router turns
    the ``unauthorized`` code into HTTP 401.
    """

    def on_execute(self) -> Iterator[None]:
        """Set the refusal as the result, which makes strawberry skip execution."""
        run = self.execution_context
        context = run.context
        if isinstance(context, GraphQLContext):
            write = run.operation_type is OperationType.MUTATION
            service = context.service
            if not allowed(
                context.authorization,
                write=write,
                token=service.token,
                read_token=service.read_token,
            ):
                kind = "mutations" if write else "queries"
                run.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"{kind} need 'Authorization: Bearer <token>' with a valid token",
                            extensions={"code": UNAUTHORIZED},
                        )
                    ],
                )
        yield
