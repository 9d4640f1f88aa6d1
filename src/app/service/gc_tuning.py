"""Garbage-collector settings for a serving process, applied while the service runs.

One JSON:API page of 100 resources with their includes allocates tens of thousands of objects:
with CPython's default threshold (a young-generation pass every 700 net allocations) the cycle
collector runs dozens of times per request and, every so often, walks the whole heap, including
the thousands of long-lived objects of the app (routes, schemas, validators). Freezing what
exists at start-up takes those out of every later pass, and a larger young generation makes the
passes rarer: measured ~20% of the in-process time of that request (docs/performance.md).
Reference counting still frees everything without cycles at once; only cycles wait longer.
"""

from __future__ import annotations

import gc
import threading

YOUNG_THRESHOLD = 10_000
"""Net allocations between young-generation passes while the service runs (CPython: 700)."""

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


def start() -> None:
    """Freeze the objects alive now and raise the young threshold (nested calls count)."""
    global _active, _saved
    with _lock:
        _active += 1
        if _active > 1:
            return
        _saved = gc.get_threshold()
        gc.collect()  # garbage present now would otherwise be frozen with the rest
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *_saved[1:])


def stop() -> None:
    """Undo ``start`` when the last service of the process stops."""
    global _active, _saved
    with _lock:
        _active -= 1
        if _active > 0 or _saved is None:
            return
        gc.unfreeze()
        gc.set_threshold(*_saved)
        _saved = None
