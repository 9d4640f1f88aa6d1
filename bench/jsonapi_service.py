"""Requests/s of the JSON:API service's hot route against three hand-written references.

``GET /api/productions?include=movie&page[size]=100`` on the full stack (uvicorn, routing,
the interactors' unit of work over the SQL data source on SQLite, the JSON:API document)
against, in the same process and interleaved rounds:

- bare Starlette returning the full stack's bytes from memory (the issue's baseline);
- the same document written by hand with the same libraries and none of the layers
  (SQLAlchemy Core on the same engine, rows validated into the entities, ``to_json``);
- the floor of any Python service over this database: raw aiosqlite tuples formatted into
  the document, nothing validated (bench/jsonapi_reference.py).

Every reference is checked to answer the same document before anything is timed.

Run: .venv/bin/python bench/jsonapi_service.py [--rounds 7] [--requests 100]
"""

from __future__ import annotations

import argparse
from typing import Any

import httpx

from jsonapi_common import race, seeded_database, serve, service
from jsonapi_reference import references

PATH = "/api/productions?include=movie&page%5Bsize%5D=100"


def canonical(body: bytes) -> Any:
    """The document of ``body``, ``included`` in id order (a reference may order it otherwise)."""
    document = httpx.Response(200, content=body).json()
    document["included"].sort(key=lambda resource: resource["id"])
    return document


def main() -> None:
    """Measure the full stack and the references in interleaved rounds; print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with seeded_database() as (url, _), service(url) as base, httpx.Client() as client:
        body = client.get(base + PATH).content
        assert len(httpx.Response(200, content=body).json()["data"]) == 100
        with serve(references(url, body, base)) as refs:
            urls = {
                "full stack (JSON:API over SQLite)": base + PATH,
                f"bare Starlette, the same {len(body)} bytes from memory": f"{refs}/bare{PATH}",
                "hand-written, same libraries (Core + entities + to_json)": f"{refs}/same{PATH}",
                "hand-written, raw aiosqlite, nothing validated": f"{refs}/raw{PATH}",
            }
            for name, url_ in urls.items():
                answer = client.get(url_).content
                assert canonical(answer) == canonical(body), f"{name}: another document"

            race(
                lambda target: client.get(target).raise_for_status(),
                urls,
                args.rounds,
                args.requests,
            )


if __name__ == "__main__":
    main()
