"""A CSV-file data source for hexstudio: the worked example of a third-party adapter.

Installing the distribution registers ``csv`` in the entry-point group
``hexstudio.data_sources``; configure it with ``[data_source.csv] directory = "..."``.
It stores any catalog: one ``<plural>.csv`` per entity type, its columns derived from the
type's fields (``hexstudio_csv.columns``).
"""

from hexstudio_csv.columns import Layout, layout
from hexstudio_csv.data_source import CsvDataSource, create_data_source
from hexstudio_csv.options import CsvOptions, parse_options
from hexstudio_csv.storage import CsvDirectory, Snapshot
from hexstudio_csv.unit_of_work import CsvUnitOfWork

__all__ = [
    "CsvDataSource",
    "CsvDirectory",
    "CsvOptions",
    "CsvUnitOfWork",
    "Layout",
    "Snapshot",
    "create_data_source",
    "layout",
    "parse_options",
]
