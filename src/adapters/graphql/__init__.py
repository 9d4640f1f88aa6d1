"""The graphql data source: every port over a GraphQL service (the reference one or yours).

Reads are one request each (get, get_many, a page of a connection); writes are buffered by
the unit of work and sent at commit as one ``applyChanges`` mutation, atomic on the provider.
"""

from adapters.graphql.data_source import GraphQLDataSource, create_data_source
from adapters.graphql.unit_of_work import GraphQLUnitOfWork

__all__ = ["GraphQLDataSource", "GraphQLUnitOfWork", "create_data_source"]
