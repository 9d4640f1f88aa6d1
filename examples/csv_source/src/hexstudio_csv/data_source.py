"""The CSV data source: what hexstudio's registry builds from ``[data_source.csv]``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from adapters.spi import EVERY_FILTER, Capabilities

from hexstudio_csv.options import CsvOptions, parse_options
from hexstudio_csv.storage import CsvDirectory
from hexstudio_csv.unit_of_work import CsvUnitOfWork


class CsvDataSource:
    """Implements ``adapters.spi.DataSource`` over one directory of CSV files."""

    name = "csv"

    def __init__(self, options: CsvOptions) -> None:
        self.options = options
        self.directory = CsvDirectory(options.directory, read_only=options.read_only)
        # Every filter a query type declares is answered (in memory, with the domain's own
        # `Query.matches`), filters added later too; a commit is atomic (see storage).
        # Read-only is declared, so the kit skips the writes.
        self.capabilities = Capabilities(writable=not options.read_only, filters=EVERY_FILTER)

    def unit_of_work(self) -> CsvUnitOfWork:
        """Open a unit of work on the directory."""
        return CsvUnitOfWork(self.directory)

    async def check(self) -> str:
        """Count the committed files' rows and describe them, or raise DataSourceUnavailable.

        The files are parsed as CSV only: no catalog is known before a repository is asked
        for, so cells are validated by the first read instead.
        """
        generation, counts = await asyncio.to_thread(self.directory.describe)
        mode = "read-only " if self.options.read_only else ""
        where = f"{mode}CSV files in {self.options.directory}"
        if generation is None:
            return f"{where} (none committed yet)"
        shown = ", ".join(f"{rows} {plural}" for plural, rows in counts.items()) or "no files"
        return f"{where} (generation {generation}: {shown})"

    async def aclose(self) -> None:
        """Nothing to release: files are opened and closed by each read and commit."""


def create_data_source(options: Mapping[str, Any]) -> CsvDataSource:
    """Entry point of ``csv``: validate ``[data_source.csv]`` and build the source."""
    return CsvDataSource(parse_options(options))
