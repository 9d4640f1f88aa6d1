"""A CSV-file data source for hexstudio: the worked example of a third-party adapter.

Installing the distribution registers ``csv`` in the entry-point group
``hexstudio.data_sources``; configure it with ``[data_source.csv] directory = "..."``.
"""

from hexstudio_csv.data_source import CsvDataSource, create_data_source
from hexstudio_csv.options import CsvOptions, parse_options
from hexstudio_csv.storage import CsvDirectory, Snapshot
from hexstudio_csv.unit_of_work import CsvUnitOfWork

__all__ = [
    "CsvDataSource",
    "CsvDirectory",
    "CsvOptions",
    "CsvUnitOfWork",
    "Snapshot",
    "create_data_source",
    "parse_options",
]
