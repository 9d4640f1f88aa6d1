"""What the repositories of one unit of work share: the client, pending writes, a read cache.

Reads of productions and shoot days ask the service to ``include`` their movie or location;
those included resources are kept for the rest of the unit of work, so the reads that follow
(``movies.get`` after ``productions.get``, ``locations.get_many`` after listing shoot days) cost
no request. Committing or leaving the unit of work forgets them.

A planned read (``domain.Plan``) names its includes, to-many ones too
(``include=movie,shoot_days.location``): the linkage of an included to-many relationship lists
every child (the reference service reads all their pages), so a later ``list`` of exactly those
children (``ShootDayQuery(production_id=...)``) is answered from ``children`` as well.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx
from pydantic_core import from_json

from adapters.http import HttpClient
from adapters.json_api.errors import to_domain
from adapters.json_api.wire import (
    MEDIA_TYPE,
    Document,
    Resource,
    WireType,
    from_resource,
    wire_type,
)
from domain import Catalog, DataSourceError, Entity

ACCEPT = {"Accept": MEDIA_TYPE}
_ACCEPT = ACCEPT


class Session:
    """The state of one unit of work over one service."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self.pending: list[dict[str, Any]] = []
        self.cache: dict[tuple[str, UUID], Entity] = {}
        self.catalog: Catalog | None = None
        """The catalog of the types read, to recognise included resources."""
        self.children: dict[tuple[str, str, UUID], tuple[UUID, ...]] = {}
        """Every child's id by (child type, reference field, parent id), from the linkage of
        included to-many relationships."""
        self._kinds: dict[str, WireType | None] = {}

    async def read(
        self, path: str, params: Mapping[str, str], *, linked: frozenset[str] = frozenset()
    ) -> Document:
        """GET ``path`` (retried if transient); the decoded document, or the mapped error.

        Included resources of the catalog's types are kept for the unit of work's later reads.
        ``linked``: the types whose included to-many linkage to record (those a plan's to-many
        hops start from); only their resources are looked at, so the 100 included children
        of an overview cost nothing more.
        """
        response = await self.client.send(
            "GET", path, idempotent=True, params=params, headers=_ACCEPT
        )
        if response.status_code != 200:
            raise to_domain(response)
        document = parse_document(response)
        known, parents = self._keep(document.get("included", []), linked)
        if linked:
            data = document["data"]
            for resource in data if isinstance(data, list) else [data]:
                if isinstance(resource, dict) and resource.get("type") in linked:
                    parents.append(resource)
            for parent in parents:
                self.link(parent, known)
        return document

    def _keep(
        self, included: list[Resource], linked: frozenset[str]
    ) -> tuple[dict[str, UUID], list[Resource]]:
        """Build and keep each included resource of a known type, in one walk of ``included``.

        Returns each kept resource's id as sent -> its entity's id, so that linkage naming it
        is not parsed again (50 ``UUID(str)`` cost 35 us of an overview), and the included
        resources of the ``linked`` types, whose linkage is recorded once all are kept.
        """
        cache, kinds = self.cache, self._kinds
        known: dict[str, UUID] = {}
        parents: list[Resource] = []
        for index, resource in enumerate(included):
            name = resource.get("type") if isinstance(resource, dict) else None
            if not isinstance(name, str):
                raise DataSourceError(
                    f"unexpected JSON:API resource: included[{index}] is not an object with a type",
                    reason="bad_response",
                )
            kind = kinds[name] if name in kinds else self._wire(name)
            if kind is None:
                continue  # a type outside the catalog: nothing will ask for it
            entity = from_resource(kind, resource, "included", index)
            cache[(name, entity.id)] = entity
            known[resource["id"]] = entity.id
            if name in linked:
                parents.append(resource)
        return known, parents

    def link(self, resource: Resource, known: Mapping[str, UUID]) -> None:
        """Record the children listed by ``resource``'s to-many relationships with linkage.

        ``known``: the ids as sent of the resources already kept, with their entities' ids.
        """
        kind = self._wire(resource.get("type", ""))
        if kind is None:
            return
        reverses = kind.to_many
        for name, relationship in resource.get("relationships", {}).items():
            linkage = relationship.get("data") if isinstance(relationship, dict) else None
            if name in reverses and isinstance(linkage, list):
                child_type, field = reverses[name]
                try:
                    parent = known.get(resource["id"]) or UUID(resource["id"])
                    ids = tuple([known.get(i["id"]) or UUID(i["id"]) for i in linkage])
                except (KeyError, TypeError, ValueError, AttributeError):
                    raise DataSourceError(
                        f"unexpected JSON:API resource: {resource.get('type')} "
                        f"{resource.get('id')}: malformed {name} linkage",
                        reason="bad_response",
                    ) from None
                self.children[(child_type, field, parent)] = ids

    def _wire(self, name: str) -> WireType | None:
        """The wire type called ``name`` in the catalog, or None.

        Looked up once per name and unit of work (an overview's 56 included resources are of
        three types), from a table per catalog: the catalog's own lookup is a scan of its
        types, 2 us each for the 4 types of every overview.
        """
        if name in self._kinds:
            return self._kinds[name]
        kind = self._kinds[name] = _wire_of(self.catalog, name) if self.catalog else None
        return kind

    def forget(self) -> None:
        """Drop pending writes and cached reads."""
        self.pending.clear()
        self.cache.clear()
        self.children.clear()


@functools.lru_cache(maxsize=256)
def _wire_of(catalog: Catalog, name: str) -> WireType | None:
    """The wire type called ``name`` in ``catalog``, or None.

    Bounded: the names come from the service's answers, unknown ones included.
    """
    entity_type = catalog.by_jsonapi_type(name)
    return wire_type(entity_type) if entity_type is not None else None


def parse_document(response: httpx.Response) -> Document:
    """The top-level document of ``response``; DataSourceError naming what is wrong otherwise.

    Decoded by pydantic-core's JSON parser (``from_json``, keys interned: the same few
    member names recur in every resource object), 82 us for an overview's 37 KB where
    ``json.loads`` takes 122 us. Only the top-level members are checked here: resource
    objects are checked as entities are built from them, so a page is not validated twice
    (measured: 1.3x faster).
    """
    try:
        document = from_json(response.content, cache_strings="keys")
    except ValueError as exc:
        raise _bad_document(response, f"not JSON ({exc})") from None
    if not isinstance(document, dict) or "data" not in document:
        raise _bad_document(response, "no top-level data")
    if not isinstance(document.get("included", []), list):
        raise _bad_document(response, "included is not a list")
    return document  # type: ignore[return-value]


def _bad_document(response: httpx.Response, problem: str) -> DataSourceError:
    where = f"{response.request.method} {response.request.url.path}"
    return DataSourceError(
        f"unexpected JSON:API document from {where}: {problem}", reason="bad_response"
    )


def next_cursor(document: Document) -> str | None:
    """The ``page[after]`` of ``links.next``, or None on the last page."""
    link = document.get("links", {}).get("next")
    if link is None:
        return None
    href = link.get("href") if isinstance(link, dict) else link
    if not isinstance(href, str):
        return None
    values = parse_qs(urlsplit(href).query, keep_blank_values=True).get("page[after]")
    return values[0] if values else None


def ensure_ok(response: httpx.Response, expected: int) -> httpx.Response:
    """The response if its status is ``expected``; else the domain error it carries."""
    if response.status_code != expected:
        raise to_domain(response)
    return response
