"""The directory: generations of the four CSV files, and the pointer that names the current one.

Layout::

    <directory>/CURRENT                      the name of the committed generation, one line
    <directory>/generations/<name>/*.csv     a complete copy of the four files per commit
    <directory>/LOCK                         held (fcntl.flock) by the process that commits

A commit writes a whole new generation beside the current one and flushes it to disk, then
replaces CURRENT with ``os.replace``, which is atomic. Readers, and a process restarting after
a crash, see the old generation or the new one, never a mix of the two: that is what makes a
commit all or nothing across four files.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import secrets
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast
from uuid import UUID

from adapters.memory.store import Add, Change, MemoryStore
from domain import DataSourceError, DataSourceUnavailable, Entity, ShootDay, Slot

from hexstudio_csv.csv_files import read_table, write_table
from hexstudio_csv.mapping import SHOOT_DAYS, TABLES

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Entity)

POINTER = "CURRENT"
GENERATIONS = "generations"
_GENERATION_NAME = re.compile(r"\d{8}-[0-9a-f]{8}")
_READ_ATTEMPTS = 3


@dataclass(frozen=True)
class Snapshot:
    """The entities of one committed generation (None: nothing committed yet), by table and id."""

    generation: str | None
    tables: Mapping[str, Mapping[UUID, Entity]]
    slots: Mapping[Slot, UUID]
    """Which shoot day holds each (location, date) slot: the index ``bookings`` reads."""

    def table(self, name: str, kind: type[E]) -> Mapping[UUID, E]:
        """The entities of table ``name``, typed as ``kind``."""
        return cast(Mapping[UUID, E], self.tables[name])


EMPTY = Snapshot(None, {name: {} for name in TABLES}, {})


class CsvDirectory:
    """One directory of CSV files: committed snapshots to read, atomic commits to write."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._cached = EMPTY  # the last generation parsed; CURRENT tells when it is stale

    def read(self) -> Snapshot:
        """The committed snapshot: follow CURRENT, parsing the files only when it moved."""
        with self._os_errors("read"):
            for _ in range(_READ_ATTEMPTS):
                name = self._pointer()
                if name is None:
                    return EMPTY
                if name == self._cached.generation:
                    return self._cached
                try:
                    snapshot = self._load(name)
                except FileNotFoundError as exc:
                    if self._pointer() == name:
                        raise DataSourceError(
                            f"{exc.filename}: missing from the committed generation {name}"
                        ) from None
                    continue  # a writer moved on and collected it meanwhile: follow the pointer
                self._cached = snapshot
                return snapshot
        raise DataSourceUnavailable(f"{self.path}: CURRENT kept moving while being read")

    def commit(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` to the committed snapshot and store the result, all or nothing."""
        self.ensure_writable()
        with self._os_errors("write to"), self._locked():
            current = self.read()  # under the lock, no other writer can move CURRENT
            store = MemoryStore()  # hexstudio's reference semantics check versions and slots
            store.apply([Add(t, e) for t, rows in current.tables.items() for e in rows.values()])
            store.apply(changes)  # Conflict or NotFound raised here: nothing was written
            generation = self.write_generation(store.tables, after=current.generation)
            self.switch_to(generation)  # the commit point
            self._cached = Snapshot(generation, store.tables, store.slots)
        self._collect_garbage(keep={generation, current.generation})

    def write_generation(
        self, tables: Mapping[str, Mapping[UUID, Entity]], *, after: str | None
    ) -> str:
        """Write the four files into a new generation folder, flushed to disk; return its name."""
        number = 1 if after is None else int(after.partition("-")[0]) + 1
        # The random suffix keeps a new attempt clear of a crashed attempt's leftover folder.
        name = f"{number:08d}-{secrets.token_hex(4)}"
        folder = self.path / GENERATIONS / name
        folder.mkdir(parents=True)
        for table, mapping in TABLES.items():
            write_table(folder / mapping.file, mapping, tables[table].values())
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

    def _load(self, generation: str) -> Snapshot:
        folder = self.path / GENERATIONS / generation
        tables = {table: read_table(folder / m.file, m) for table, m in TABLES.items()}
        slots: dict[Slot, UUID] = {}
        for day in cast(Mapping[UUID, ShootDay], tables["shoot_days"]).values():
            holder = slots.setdefault(day.slot, day.id)
            if holder != day.id:
                raise DataSourceError(
                    f"{folder / SHOOT_DAYS.file}: location {day.location_id} is booked twice on "
                    f"{day.date} (shoot days {holder} and {day.id})"
                )
        return Snapshot(generation, tables, slots)

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
