"""GraphQL under ``/graphql``: a catalog's entities and relationships, use cases and a commit.

A driving adapter like the JSON:API routes: every resolver goes through the interactors or
the ports of a unit of work, relationships through per-request DataLoaders.
"""

from app.service.graphql.router import graphql_router
from app.service.graphql.schema import build_schema, schema_of

__all__ = ["build_schema", "graphql_router", "schema_of"]
