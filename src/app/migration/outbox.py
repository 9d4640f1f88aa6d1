"""The durable outbox of dual writes: the changes a mirror must still receive, in order.

A local SQLite journal, so that it works whatever the primary is (an HTTP service has no table
to put it in). A change is staged before the primary commits and made ready after: a change
the primary never committed is never sent, and one it did is never lost, even if the process
dies between the two steps (``recover`` decides those by asking the primary).

The journal is written with the standard library's ``sqlite3``, synchronously: a few rows per
commit on a local file, far below what a thread hop would cost.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Operation = Literal["add", "update", "remove"]


@dataclass(frozen=True)
class Change:
    """One write to send: the entity as the primary stored it, or a removal.

    ``version`` is the stored version after an add or update, the removed one for a remove.
    """

    repository: str
    operation: Operation
    id: str
    version: int
    entity: dict[str, Any] | None = None


@dataclass(frozen=True)
class Entry:
    """A change in the journal, with its place in the order."""

    seq: int
    mirror: str
    change: Change


class Outbox:
    """The journal at ``path`` (made on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " mirror TEXT NOT NULL, repository TEXT NOT NULL, operation TEXT NOT NULL,"
            " id TEXT NOT NULL, version INTEGER NOT NULL, entity TEXT, ready INTEGER NOT NULL)"
        )

    def stage(self, mirror: str, changes: list[Change]) -> list[int]:
        """Journal ``changes`` for ``mirror``, not yet to be sent; their places."""
        with self._db:
            return [
                self._db.execute(
                    "INSERT INTO changes (mirror, repository, operation, id, version, entity,"
                    " ready) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    (
                        mirror,
                        c.repository,
                        c.operation,
                        c.id,
                        c.version,
                        None if c.entity is None else json.dumps(c.entity),
                    ),
                ).lastrowid
                or 0
                for c in changes
            ]

    def ready(self, seqs: list[int]) -> None:
        """The primary committed: these may be sent."""
        with self._db:
            self._db.executemany("UPDATE changes SET ready = 1 WHERE seq = ?", [(s,) for s in seqs])

    def drop(self, seqs: list[int]) -> None:
        """The primary did not commit: these never happened."""
        with self._db:
            self._db.executemany("DELETE FROM changes WHERE seq = ?", [(s,) for s in seqs])

    done = drop
    """A change the mirror holds leaves the journal the same way."""

    def next(self, mirror: str, limit: int = 100) -> list[Entry]:
        """The oldest ready changes for ``mirror``, in order."""
        return self._entries("ready = 1 AND mirror = ?", (mirror,), limit)

    def staged(self) -> list[Entry]:
        """Changes staged but never made ready: a process ended between the two steps."""
        return self._entries("ready = 0", (), 1_000_000)

    def count(self, mirror: str) -> int:
        """How many ready changes ``mirror`` has still to receive."""
        (found,) = self._db.execute(
            "SELECT count(*) FROM changes WHERE ready = 1 AND mirror = ?", (mirror,)
        ).fetchone()
        return int(found)

    def _entries(self, where: str, args: tuple[Any, ...], limit: int) -> list[Entry]:
        rows = self._db.execute(
            "SELECT seq, mirror, repository, operation, id, version, entity FROM changes"
            f" WHERE {where} ORDER BY seq LIMIT ?",
            (*args, limit),
        ).fetchall()
        return [
            Entry(seq, mirror, Change(repo, op, id, version, None if e is None else json.loads(e)))
            for seq, mirror, repo, op, id, version, e in rows
        ]

    def close(self) -> None:
        """Close the journal's connection."""
        self._db.close()
