"""The json_api data source: every port over a JSON:API 1.1 service, commits as atomic operations.

Round trips: get, get_many (up to 200 ids) and list are one request each; reads of productions
and shoot days include their movie or location, and a planned read includes its plan's paths,
so an overview and a slate page cost one request each; a commit is one request using the
Atomic Operations extension.
"""

from adapters.json_api.data_source import JsonApiDataSource, create_data_source
from adapters.json_api.unit_of_work import JsonApiUnitOfWork

__all__ = ["JsonApiDataSource", "JsonApiUnitOfWork", "create_data_source"]
