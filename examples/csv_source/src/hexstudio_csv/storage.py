"""The directory: generations of CSV files, one per entity type, and the pointer to the current one.

Layout::

    <directory>/CURRENT                      the name of the committed generation, one line
    <directory>/generations/<name>/*.csv     one <plural>.csv per type of the catalog, per commit
    <directory>/LOCK                         held (fcntl.flock) by the process that commits

A commit writes a whole new generation beside the current one and flushes it to disk, then
replaces CURRENT with ``os.replace``, which is atomic. Readers, and a process restarting after
a crash, see the old generation or the new one, never a mix of the two: that is what makes a
commit all or nothing across the files.

The entity types come from the catalog of the types asked for (``EntityType.catalog``); a
directory holds one catalog's files, so a directory serves the first catalog it is asked for.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from uuid import UUID

from domain import Catalog, DataSourceError, DataSourceUnavailable, Entity, EntityType

from hexstudio_csv.changes import Change, apply
from hexstudio_csv.columns import layout
from hexstudio_csv.csv_files import count_rows, read_table, write_table
from hexstudio_csv.tables import Table

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Entity)
T = TypeVar("T")

POINTER = "CURRENT"
GENERATIONS = "generations"
_GENERATION_NAME = re.compile(r"\d{8}-[0-9a-f]{8}")
_READ_ATTEMPTS = 3


@dataclass(frozen=True)
class Snapshot:
    """The entities of one committed generation (None: nothing committed yet), by plural."""

    generation: str | None
    tables: Mapping[str, Table]
    """One table per entity type of the catalog read, keyed by the type's plural."""

    @classmethod
    def empty(cls, catalog: Catalog) -> Snapshot:
        """The snapshot of a directory where nothing was committed: every table empty."""
        return cls(None, {kind.plural: Table(kind) for kind in catalog})

    def table(self, kind: EntityType[Any, Any]) -> Table:
        """The table of ``kind``'s entities."""
        return self.tables[kind.plural]

    def rows(self, kind: EntityType[E, Any]) -> Mapping[UUID, E]:
        """The entities of ``kind``, by id, typed as its model."""
        return cast(Mapping[UUID, E], self.tables[kind.plural].rows)


class CsvDirectory:
    """One directory of CSV files: committed snapshots to read, atomic commits to write."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.catalog: Catalog | None = None
        """The catalog whose files the directory holds, once a type of it was asked for."""
        self._cached: Snapshot | None = None  # the last generation parsed; CURRENT says if stale

    def serve(self, catalog: Catalog) -> None:
        """Serve ``catalog`` from now on; DataSourceError if it already serves another one.

        A generation holds exactly one catalog's files, so a commit for a second catalog
        would drop the first one's files from the next generation.
        """
        if self.catalog is None:
            self.catalog = catalog
        elif self.catalog is not catalog:
            raise DataSourceError(
                f"{self.path} holds the {self.catalog.name} catalog's files: give the "
                f"{catalog.name} catalog a directory of its own",
                reason="other_catalog",
            )

    def read(self, catalog: Catalog) -> Snapshot:
        """The committed snapshot of ``catalog``: parse the files only when CURRENT moved."""
        self.serve(catalog)
        cached = self._cached

        def load(name: str) -> Snapshot:
            if cached is not None and cached.generation == name:
                return cached
            return self._load(catalog, name)

        snapshot = self._at_current(load)
        if snapshot is None:
            return Snapshot.empty(catalog)
        self._cached = snapshot
        return snapshot

    def describe(self) -> tuple[str | None, dict[str, int]]:
        """The committed generation's name and the rows of each of its files, by plural.

        The files are read as CSV only, which needs no entity type: ``check`` can answer
        before anyone has asked for a repository. Cells are validated by ``read``.
        """
        return self._at_current(self._count) or (None, {})

    def commit(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` to the committed snapshot and store the result, all or nothing."""
        self.ensure_writable()
        catalog = changes[0].kind.catalog  # every change came through a repository of it
        with self._os_errors("write to"), self._locked():
            current = self.read(catalog)  # under the lock, no other writer can move CURRENT
            tables = apply(current.tables, changes)  # Conflict or NotFound here: nothing written
            generation = self.write_generation(tables, after=current.generation)
            self.switch_to(generation)  # the commit point
            self._cached = Snapshot(generation, tables)
        self._collect_garbage(keep={generation, current.generation})

    def write_generation(self, tables: Mapping[str, Table], *, after: str | None) -> str:
        """Write one file per table into a new generation folder, flushed; return its name."""
        number = 1 if after is None else int(after.partition("-")[0]) + 1
        # The random suffix keeps a new attempt clear of a crashed attempt's leftover folder.
        name = f"{number:08d}-{secrets.token_hex(4)}"
        folder = self.path / GENERATIONS / name
        folder.mkdir(parents=True)
        for table in tables.values():
            write_table(folder / layout(table.kind).file, table.kind, table.rows.values())
        _fsync_directory(folder)
        _fsync_directory(folder.parent)
        return name

    def switch_to(self, generation: str) -> None:
        """Point CURRENT at ``generation`` atomically: the moment a commit takes effect."""
        staged = self.path / f"{POINTER}.tmp"
        with staged.open("w", encoding="ascii") as file:
            file.write(f"{generation}\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(staged, self.path / POINTER)
        _fsync_directory(self.path)

    def ensure_writable(self) -> None:
        """Raise DataSourceError when the directory was opened read-only."""
        if self.read_only:
            raise DataSourceError(
                f"the CSV data source at {self.path} is read-only", reason="read_only"
            )

    def _at_current(self, load: Callable[[str], T]) -> T | None:
        """``load`` the generation CURRENT names (None: nothing committed yet).

        A writer may move CURRENT and collect the old generation while it is being read: then
        its files vanish midway, and the read starts again from the new pointer.
        """
        with self._os_errors("read"):
            for _ in range(_READ_ATTEMPTS):
                name = self._pointer()
                if name is None:
                    return None
                try:
                    return load(name)
                except FileNotFoundError as exc:
                    if self._pointer() == name:
                        raise DataSourceError(
                            f"{exc.filename}: missing from the committed generation {name}"
                        ) from None
        raise DataSourceUnavailable(f"{self.path}: CURRENT kept moving while being read")

    def _pointer(self) -> str | None:
        """The generation CURRENT names, or None in a directory where nothing was committed."""
        try:
            text = (self.path / POINTER).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            if not self.path.is_dir():
                raise DataSourceUnavailable(f"{self.path}: no such directory") from None
            return None
        except UnicodeDecodeError:
            text = "<not text>"
        if not _GENERATION_NAME.fullmatch(text):
            raise DataSourceError(f"{self.path / POINTER} line 1: not a generation name {text!r}")
        return text

    def _load(self, catalog: Catalog, generation: str) -> Snapshot:
        folder = self.path / GENERATIONS / generation
        tables: dict[str, Table] = {}
        for kind in catalog:
            path = folder / layout(kind).file
            try:
                tables[kind.plural] = read_table(path, kind)
            except FileNotFoundError:
                if self._pointer() != generation:
                    raise  # a writer moved on and collected it: follow the pointer again
                # Say how to go on: a type added to the catalog since the last commit has no
                # file yet, and an empty one (its header alone) is all it needs.
                header = ",".join(layout(kind).columns)
                raise DataSourceError(
                    f"{path}: missing from the committed generation {generation} (if "
                    f"{kind.label} is new to the catalog, create it holding its header: {header})"
                ) from None
        return Snapshot(generation, tables)

    def _count(self, generation: str) -> tuple[str, dict[str, int]]:
        folder = self.path / GENERATIONS / generation
        if not folder.is_dir():  # glob would see an empty folder: say it vanished instead
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
        return generation, {path.stem: count_rows(path) for path in sorted(folder.glob("*.csv"))}

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the directory's writer lock; other processes (and threads) wait for it."""
        with (self.path / "LOCK").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield

    @contextmanager
    def _os_errors(self, action: str) -> Iterator[None]:
        """Map an OS failure (missing mount, permissions, disk full) to DataSourceUnavailable."""
        try:
            yield
        except OSError as exc:
            problem = str(exc) if self.path.is_dir() else "no such directory"
            raise DataSourceUnavailable(
                f"cannot {action} the CSV directory {self.path}: {problem}"
            ) from exc

    def _collect_garbage(self, keep: set[str | None]) -> None:
        """Delete old and abandoned generations; keep the previous one for readers still on it."""
        try:
            for folder in (self.path / GENERATIONS).iterdir():
                if _GENERATION_NAME.fullmatch(folder.name) and folder.name not in keep:
                    shutil.rmtree(folder)
        except OSError as exc:  # the commit has taken effect: a leftover folder is harmless
            logger.warning("could not delete an old generation in %s: %s", self.path, exc)


def _fsync_directory(path: Path) -> None:
    """Flush a directory's entries (new files, a rename) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
