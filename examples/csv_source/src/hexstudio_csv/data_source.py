"""The CSV data source: what hexstudio's registry builds from ``[data_source.csv]``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from adapters.spi import Capabilities

from hexstudio_csv.options import CsvOptions, parse_options
from hexstudio_csv.storage import CsvDirectory
from hexstudio_csv.unit_of_work import CsvUnitOfWork


class CsvDataSource:
    """Implements ``adapters.spi.DataSource`` over one directory of CSV files."""

    name = "csv"

    def __init__(self, options: CsvOptions) -> None:
        self.options = options
        self.directory = CsvDirectory(options.directory, read_only=options.read_only)
        # Every filter is answered (in memory, with the domain's own `Query.matches`) and a
        # commit is atomic (see storage). Read-only is declared, so the kit skips the writes.
        self.capabilities = Capabilities(writable=not options.read_only)

    def unit_of_work(self) -> CsvUnitOfWork:
        """Open a unit of work on the directory."""
        return CsvUnitOfWork(self.directory)

    async def check(self) -> str:
        """Read the committed files and describe them, or raise DataSourceUnavailable."""
        snapshot = await asyncio.to_thread(self.directory.read)
        counts = ", ".join(f"{len(rows)} {name}" for name, rows in snapshot.tables.items())
        mode = "read-only " if self.options.read_only else ""
        generation = snapshot.generation or "none committed yet"
        return f"{mode}CSV files in {self.options.directory} (generation {generation}: {counts})"

    async def aclose(self) -> None:
        """Nothing to release: files are opened and closed by each read and commit."""


def create_data_source(options: Mapping[str, Any]) -> CsvDataSource:
    """Entry point of ``csv``: validate ``[data_source.csv]`` and build the source."""
    return CsvDataSource(parse_options(options))
