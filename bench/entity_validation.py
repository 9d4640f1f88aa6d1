"""What reading 100 productions costs in pydantic: rows as dicts vs one JSON document.

The SQL adapter validates rows (dicts) into entities; a database could instead hand back one
JSON array (``json_group_array`` on SQLite) for ``validate_json``. Both paths are timed on the
same 100 productions, with the entity's dump to JSON-native values for scale.

Run: .venv/bin/python bench/entity_validation.py [--rounds 7] [--repeat 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import timeit
from decimal import Decimal
from typing import Any
from uuid import uuid4

from pydantic import TypeAdapter
from pydantic_core import to_json

from domain import Production


def _rows(n: int) -> list[dict[str, Any]]:
    start = dt.date(2030, 1, 1)
    return [
        {
            "id": uuid4().hex,  # as the SQL adapter reads them on SQLite: text, no dashes
            "version": 1,
            "movie_id": uuid4().hex,
            "phase": "pre_production",
            "budget": {"amount": Decimal(100_000_000 + i).scaleb(-2), "currency": "USD"},
            "starts_on": (start + dt.timedelta(days=i)).isoformat(),
            "wraps_on": (start + dt.timedelta(days=i + 90)).isoformat(),
        }
        for i in range(n)
    ]


def main() -> None:
    """Time each path in interleaved rounds; print ms per 100 productions."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    adapter = TypeAdapter(list[Production])
    rows = _rows(100)
    document = to_json(rows)
    entities = adapter.validate_python(rows)
    assert adapter.validate_json(document) == entities
    cases = {
        "validate_python(rows as dicts)": lambda: adapter.validate_python(rows),
        "validate_json(one JSON array)": lambda: adapter.validate_json(document),
        "dump_python(mode='json'), for scale": lambda: adapter.dump_python(entities, mode="json"),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, case in cases.items():
            seconds = timeit.timeit(case, number=args.repeat)
            samples[name].append(seconds / args.repeat * 1e3)
    print("| 100 productions | ms |\n|---|---:|")
    for name, values in samples.items():
        print(f"| {name} | {statistics.median(values):.3f} |")


if __name__ == "__main__":
    main()
