"""``hexstudio migration compare|copy`` between two SQLite databases (issue 14, item 7).

One database is seeded through the CLI, the other is filled by ``copy``; ``compare`` must be
clean after it and name exactly the differences planted with sqlite3 behind the adapters'
backs. An interrupted copy (a target that fails after some entities) resumes from its
checkpoint and adds only the rest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import aclosing
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, Self
from uuid import UUID

import pytest
from typer.testing import CliRunner

from adapters.cache import create_data_source as create_cache
from adapters.memory import MemoryDataSource
from adapters.sql import migrate
from app import sources
from app.cli import cli
from app.errors import ConfigError
from app.instrumentation import CountingUnitOfWork, counting
from app.migration.compare import Finding, Kind, Tally, compare
from app.migration.copy import Checkpoints, copy, dependency_order
from app.migration.mirror import Relay
from app.migration.outbox import Outbox
from app.routed_uow import RoutedUnitOfWork
from app.routing import Mirror, Route
from app.seed import seed_id
from domain import (
    MOVIES,
    PRODUCTIONS,
    Catalog,
    DataSourceUnavailable,
    Entity,
    EntityType,
    Money,
    Movie,
    Page,
    PageRequest,
    Production,
    Query,
    UniqueKey,
    UnitOfWork,
)
from domain.catalog import References
from domain.studio import STUDIO
from tests.support.redis import redis_prefix, redis_url

runner = CliRunner()
TOML = """\
[data_source]
default = "legacy"
legacy = {{ kind = "sql", url = "sqlite+aiosqlite:///{legacy}" }}
sql = {{ url = "sqlite+aiosqlite:///{new}" }}
"""
EXTRA = "00000000000040008000000000000001"


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two migrated SQLite files, legacy seeded with the sample slate; cwd holds the TOML."""
    legacy, new = tmp_path / "legacy.db", tmp_path / "new.db"
    for path in (legacy, new):
        asyncio.run(migrate.upgrade(f"sqlite+aiosqlite:///{path}"))
    (tmp_path / "hexstudio.toml").write_text(TOML.format(legacy=legacy, new=new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HEXSTUDIO_CONFIG", raising=False)
    monkeypatch.delenv("HEXSTUDIO_DOMAIN", raising=False)
    seeded = _hexstudio("seed")
    assert seeded.exit_code == 0, seeded.output
    return legacy, new


def _hexstudio(*args: str) -> Any:
    return runner.invoke(cli, list(args), env={"HEXSTUDIO_DATA_SOURCE__DEFAULT": None})


def _rows(path: Path, statement: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(statement).fetchall()


def _findings(output: str) -> set[str]:
    """The lines naming one entity (``movies <uuid>: ...``), not the summaries."""
    return {line for line in output.splitlines() if re.match(r"\w+ [0-9a-f-]{36}: ", line)}


def _uuid(hex: str) -> str:
    return str(UUID(hex))


def test_happy_path_copy_then_compare_is_clean_with_versions_kept(
    stores: tuple[Path, Path],
) -> None:
    legacy, new = stores
    copied = _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql")
    assert copied.exit_code == 0, copied.output
    assert "movies: 60 read from legacy, 60 added, 0 already there" in copied.output
    compared = _hexstudio("migration", "compare", "--from", "legacy", "--to", "sql")
    assert compared.exit_code == 0, compared.output
    assert compared.output.splitlines()[-1] == "no differences"
    for table in ("movies", "productions", "shoot_days", "employees", "locations"):
        statement = f"select id, version from {table} order by id"
        assert _rows(new, statement) == _rows(legacy, statement), table
    # The seed updates some entities: a copy that reset versions to 1 would show here.
    assert _rows(new, "select max(version) from movies")[0][0] > 1


def test_happy_path_a_second_copy_applies_nothing(stores: tuple[Path, Path]) -> None:
    assert _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql").exit_code == 0
    again = _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql")
    assert again.exit_code == 0, again.output
    lines = again.output.splitlines()
    assert len(lines) == len(STUDIO)
    assert all(", 0 added, " in line and " 0 at another version" in line for line in lines), lines
    assert not Path(".hexstudio-copy.json").exists()  # finished copies leave no checkpoint


def test_unhappy_path_compare_names_exactly_the_planted_differences(
    stores: tuple[Path, Path],
) -> None:
    _, new = stores
    assert _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql").exit_code == 0
    gone = _rows(new, "select id from movies where id not in (select movie_id from productions)")
    retitled = _rows(new, "select id from movies order by id limit 1 offset 5")[0][0]
    moved = _rows(new, "select id, wraps_on from productions order by starts_on limit 1")[0]
    with sqlite3.connect(new) as db:
        db.execute("delete from movie_genres where movie_id = ?", (gone[0][0],))
        db.execute("delete from movies where id = ?", (gone[0][0],))
        db.execute("update movies set title = 'Changed behind its back' where id = ?", (retitled,))
        db.execute("insert into movies values (?, 1, 'Extra', 'planted', 2001)", (EXTRA,))
        # A later start moves the production in the stable order (starts_on, id).
        db.execute("update productions set starts_on = wraps_on where id = ?", (moved[0],))
    expected = {
        f"movies {_uuid(gone[0][0])}: missing in sql",
        f"movies {_uuid(retitled)}: differs: title",
        f"movies {_uuid(EXTRA)}: only in sql",
    }
    one = _hexstudio(
        "migration", "compare", "--repository", "movies", "--from", "legacy", "--to", "sql"
    )
    assert one.exit_code == 1, one.output
    assert _findings(one.output) == expected
    assert "movies: 60 in legacy, 60 in sql, 3 differences" in one.output
    every = _hexstudio(
        "migration", "compare", "--from", "legacy", "--to", "sql", "--page-size", "7"
    )
    assert every.exit_code == 1, every.output
    assert _findings(every.output) == expected | {
        f"productions {_uuid(moved[0])}: differs: starts_on"
    }
    assert every.output.splitlines()[-1] == "4 differences"


def test_unhappy_path_copy_leaves_an_entity_at_another_version_and_says_so(
    stores: tuple[Path, Path],
) -> None:
    _, new = stores
    assert _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql").exit_code == 0
    id, version = _rows(new, "select id, version from employees order by id limit 1")[0]
    with sqlite3.connect(new) as db:
        db.execute("update employees set version = ?, name = 'Kept' where id = ?", (9, id))
    again = _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql")
    assert again.exit_code == 1, again.output
    assert f"employees {_uuid(id)}: at version 9 in sql, {version} in legacy" in again.output
    assert "employees: 12 read from legacy, 0 added, 11 already there, 1 at another version" in (
        again.output
    )
    assert _rows(new, f"select version, name from employees where id = '{id}'") == [(9, "Kept")]


def test_unhappy_path_bad_names_are_refused_naming_the_choices(stores: tuple[Path, Path]) -> None:
    unknown = _hexstudio(
        "migration", "compare", "--from", "legacy", "--to", "sql", "--repository", "films"
    )
    assert unknown.exit_code == 2
    assert "--repository: studio has no entity type 'films' (choices: employees," in unknown.output
    same = _hexstudio("migration", "copy", "--from", "sql", "--to", "sql")
    assert same.exit_code == 2
    assert "--from and --to both name 'sql'" in same.output


class _Interrupted(Exception):
    pass


class _FailingRepository:
    """A repository whose adds fail once ``budget`` of them are spent, one by one."""

    def __init__(self, inner: Any, budget: list[int]) -> None:
        self._inner, self._budget = inner, budget

    def __getattr__(self, name: str) -> Any:
        if name == "add_many":  # no BulkAdds: copy must fall back to one add each
            raise AttributeError(name)
        return getattr(self._inner, name)

    async def add(self, entity: Entity) -> Entity:
        if self._budget[0] <= 0:
            raise DataSourceUnavailable("the target went away mid-copy")
        self._budget[0] -= 1
        added: Entity = await self._inner.add(entity)
        return added


class _FailingBatchRepository(_FailingRepository):
    """The same in batches: the batch that overruns the budget writes its share, then fails."""

    async def add_many(self, entities: Sequence[Entity]) -> Sequence[Entity]:
        share = max(self._budget[0], 0)
        self._budget[0] -= len(entities)
        await self._inner.add_many(entities[:share])
        if len(entities) > share:
            raise DataSourceUnavailable("the target went away mid-copy")
        return entities

    async def add(self, entity: Entity) -> Entity:
        raise AssertionError("a target with BulkAdds was written one entity at a time")


class _FailingUnit:
    """A unit of work handing out failing repositories (a test double over a real one)."""

    def __init__(self, inner: UnitOfWork, budget: list[int], batched: bool) -> None:
        self._inner, self._budget = inner, budget
        self._kind = _FailingBatchRepository if batched else _FailingRepository

    def repository(self, entity: EntityType[Any, Any]) -> Any:
        return self._kind(self._inner.repository(entity), self._budget)

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(kind, exc, tb)

    async def commit(self) -> None:
        await self._inner.commit()


async def _copy_until_failure(
    checkpoints: Checkpoints, key: str, budget: int, *, batched: bool
) -> None:
    tables = {"legacy": {"kind": "sql", "url": "sqlite+aiosqlite:///legacy.db"}}
    tables["sql"] = {"url": "sqlite+aiosqlite:///new.db"}
    source = sources.create(tables, "legacy", key="legacy")
    target = sources.create(tables, "sql", key="sql")
    left = [budget]
    try:
        with pytest.raises(DataSourceUnavailable):
            await copy(
                source.unit_of_work,
                lambda: _FailingUnit(target.unit_of_work(), left, batched),
                MOVIES,
                size=10,
                checkpoint=lambda cursor: checkpoints.set(key, cursor),
            )
    finally:
        await source.aclose()
        await target.aclose()


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "one-by-one"])
def test_happy_path_an_interrupted_copy_resumes_from_its_checkpoint(
    stores: tuple[Path, Path], batched: bool
) -> None:
    _, new = stores
    checkpoints = Checkpoints()
    key = Checkpoints.key("legacy", "sql", "movies")
    asyncio.run(_copy_until_failure(checkpoints, key, budget=25, batched=batched))
    # Pages of 10: two committed, the third rolled back with the fault in it.
    assert _rows(new, "select count(*) from movies") == [(20,)]
    assert checkpoints.get(key) is not None
    resumed = _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql")
    assert resumed.exit_code == 0, resumed.output
    assert (
        "movies: 40 read from legacy (resumed from a checkpoint), 40 added, 0 already there"
        in resumed.output
    )
    assert checkpoints.get(key) is None
    clean = _hexstudio("migration", "compare", "--from", "legacy", "--to", "sql")
    assert clean.exit_code == 0, clean.output


class _Node(Entity):
    parent_id: Annotated[UUID, References("twigs")]


class _Twig(Entity):
    node_id: Annotated[UUID, References("nodes")]


class _NodeQuery(Query[_Node]):
    pass


class _TwigQuery(Query[_Twig]):
    pass


def test_happy_path_parents_are_copied_before_children_whatever_the_order_asked() -> None:
    asked = ["employees", "shoot_days", "productions", "movies", "locations"]
    ordered = [e.plural for e in dependency_order(STUDIO, asked)]
    assert sorted(ordered) == sorted(asked)
    for entity in dependency_order(STUDIO, asked):
        for ref in entity.references:
            assert ordered.index(STUDIO.target(ref).plural) < ordered.index(entity.plural)
    assert [e.plural for e in dependency_order(STUDIO, ["productions"])] == ["productions"]


def test_unhappy_path_a_cycle_of_references_is_refused() -> None:
    catalog = Catalog(
        "cyclic",
        (EntityType(_Node, _NodeQuery, name="node"), EntityType(_Twig, _TwigQuery, name="twig")),
    )
    with pytest.raises(ConfigError, match=r"references form a cycle \(nodes -> twigs -> nodes\)"):
        dependency_order(catalog)


class _Listed:
    """A read-only repository over a fixed list, paged like every source (by sort key)."""

    def __init__(self, items: Sequence[Entity]) -> None:
        self._items = sorted(items, key=lambda e: e.sort_key)

    async def list(self, query: Any, page: PageRequest) -> Page[Entity]:
        start = 0 if page.cursor is None else int(page.cursor)
        items = tuple(self._items[start : start + page.size])
        more = start + page.size < len(self._items)
        return Page(items, str(start + page.size) if more else None)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Entity]:
        return {e.id: e for e in self._items if e.id in ids}

    async def find_by(
        self, key: UniqueKey, values: Collection[tuple[Any, ...]]
    ) -> Collection[Entity]:
        return []


class _ListedUnit:
    def __init__(self, repository: _Listed) -> None:
        self._repository = repository

    def repository(self, entity: Any) -> Any:
        return self._repository

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *args: object) -> None:
        return None

    async def commit(self) -> None:
        return None


def _units(items: Sequence[Entity]) -> Callable[[], Any]:
    repository = _Listed(items)
    return lambda: _ListedUnit(repository)


@pytest.mark.parametrize("pending", [1, 3, 500])
async def test_happy_path_entities_moved_in_the_order_are_one_difference_each(
    pending: int,
) -> None:
    def production(n: int, day: int) -> Production:
        return Production(
            id=seed_id("production", n),
            movie_id=seed_id("movie", n),
            starts_on=dt.date(2027, 1, day),
            wraps_on=dt.date(2027, 3, 1),
            budget=Money(amount=1000, currency="USD"),
        )

    left = [production(n, n + 1) for n in range(12)]
    # Two productions start later on the right: each is elsewhere in the right's stream.
    right = [production(n, 28 if n in (2, 7) else n + 1) for n in range(12) if n != 5]
    tally = Tally()
    found = [
        f
        async for f in compare(
            _units(left), _units(right), PRODUCTIONS, tally, size=4, pending=pending
        )
    ]
    assert sorted((f.kind, f.id, f.paths) for f in found) == sorted(
        [
            (Kind.DIFFERS, seed_id("production", 2), ("starts_on",)),
            (Kind.DIFFERS, seed_id("production", 7), ("starts_on",)),
            (Kind.MISSING, seed_id("production", 5), ()),
        ]
    )
    assert (tally.left, tally.right, tally.findings) == (12, 11, 3)
    assert all(isinstance(f, Finding) for f in found)


def test_unhappy_path_an_interrupted_copy_says_how_to_resume(
    stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def interrupted(*args: object) -> list[object]:
        raise KeyboardInterrupt

    # The module, not the Typer group that app.cli exports under the same name.
    monkeypatch.setattr(sys.modules["app.cli.migration"], "_copy", interrupted)
    stopped = _hexstudio("migration", "copy", "--from", "legacy", "--to", "sql")
    assert stopped.exit_code == 130
    assert "interrupted; run it again to resume from .hexstudio-copy.json" in stopped.output


@pytest.mark.parametrize("kind", ["memory", "sql"])
async def test_happy_path_add_keeps_the_version_it_is_given_on_each_builtin_source(
    kind: str, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'to.db'}"
    await migrate.upgrade(url)
    tables: dict[str, Any] = {
        "old": {"kind": "memory"},
        "new": {"kind": kind, **({"url": url} if kind == "sql" else {})},
    }
    old, new = (sources.create(tables, name, key=name) for name in ("old", "new"))
    try:
        async with old.unit_of_work() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Thrice edited", version=3))
            await uow.commit()
        done = await copy(old.unit_of_work, new.unit_of_work, MOVIES)
        assert (done.added, done.skipped) == (1, 0)
        async with new.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get(movie.id) == movie  # at version 3
        again = await copy(old.unit_of_work, new.unit_of_work, MOVIES)
        assert (again.added, again.skipped) == (0, 1)
    finally:
        await old.aclose()
        await new.aclose()


class _Plain:
    """A repository without ``add_many``: a third-party source that never heard of BulkAdds."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        if name == "add_many":
            raise AttributeError(name)
        return getattr(self._inner, name)


class _PlainUnit(_FailingUnit):
    def __init__(self, inner: UnitOfWork) -> None:
        super().__init__(inner, [0], batched=False)

    def repository(self, entity: EntityType[Any, Any]) -> Any:
        return _Plain(self._inner.repository(entity))


async def _movies_in(source: Any, count: int) -> list[Movie]:
    movies = [Movie(title=f"Batch {n}", version=1 + n % 3) for n in range(count)]
    async with source.unit_of_work() as uow:
        for movie in movies:
            await uow.repository(MOVIES).add(movie)
        await uow.commit()
    return movies


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-adds", "no-bulk-adds"])
async def test_happy_path_copy_batches_where_the_target_can_and_adds_one_by_one_where_not(
    bulk: bool, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'to.db'}"
    await migrate.upgrade(url)
    tables: dict[str, Any] = {"old": {"kind": "memory"}, "new": {"kind": "sql", "url": url}}
    old, new = (sources.create(tables, name, key=name) for name in ("old", "new"))
    try:
        movies = await _movies_in(old, 25)
        target = new.unit_of_work if bulk else lambda: _PlainUnit(new.unit_of_work())
        units, calls = counting(target)
        done = await copy(old.unit_of_work, units, MOVIES, size=10)
        assert (done.read, done.added, done.skipped) == (25, 25, 0)
        if bulk:
            assert (calls["movies.add_many"], calls["movies.add"]) == (3, 0)  # one per page
        else:
            assert (calls["movies.add_many"], calls["movies.add"]) == (0, 25)
        async with new.unit_of_work() as uow:
            stored = await uow.repository(MOVIES).get_many([m.id for m in movies])
        assert stored == {m.id: m for m in movies}  # versions 1 to 3, as they were
        tally = Tally()
        assert [f async for f in compare(old.unit_of_work, new.unit_of_work, MOVIES, tally)] == []
        assert (tally.left, tally.right) == (25, 25)
    finally:
        await old.aclose()
        await new.aclose()


async def test_happy_path_a_batch_through_a_routed_unit_reaches_its_mirror(
    tmp_path: Path,
) -> None:
    old, primary, mirror = MemoryDataSource(), MemoryDataSource(), MemoryDataSource()
    outbox = Outbox(tmp_path / "outbox.db")
    relay = Relay("mirror", mirror.unit_of_work, STUDIO, outbox)
    route = Route("primary", "primary", mirror=Mirror("mirror"))
    calls: Counter[str] = Counter()

    def routed() -> RoutedUnitOfWork:
        return RoutedUnitOfWork(
            {"primary": CountingUnitOfWork(primary.unit_of_work(), calls)},
            {e.plural: route for e in STUDIO},
            mirrors={"mirror": (outbox, relay)},
        )

    movies = await _movies_in(old, 12)
    done = await copy(old.unit_of_work, routed, MOVIES, size=5)
    assert done.added == 12
    assert (calls["movies.add_many"], calls["movies.add"]) == (3, 0)  # the batch went on
    await relay.drain()
    for side in (primary, mirror):
        async with side.unit_of_work() as uow:
            stored = await uow.repository(MOVIES).get_many([m.id for m in movies])
        assert stored == {m.id: m for m in movies}
    assert relay.applied == 12


DEADLINE = 10.0
"""Seconds a test waits for what must happen (it fails instead of hanging)."""


class _Stalling(_Listed):
    """Answers the first page; any page after it never comes (a source that hangs)."""

    def __init__(self, movies: list[Movie]) -> None:
        super().__init__(movies)
        self.stalled = asyncio.Event()
        """Set once a later page's read has begun (it hangs until cancelled)."""

    async def list(self, query: Any, page: PageRequest) -> Page[Entity]:
        if page.cursor is not None:
            self.stalled.set()
            await asyncio.Event().wait()
        return await super().list(query, page)


class _AfterTheStall(_FailingUnit):
    """A failing target that opens only once the source's read ahead has begun."""

    def __init__(self, inner: UnitOfWork, stalling: _Stalling) -> None:
        super().__init__(inner, [0], batched=True)
        self._stalling = stalling

    async def __aenter__(self) -> Self:
        await self._stalling.stalled.wait()
        return await super().__aenter__()


async def test_happy_path_a_compare_stopped_early_leaves_no_page_on_its_way() -> None:
    stalling = _Stalling([Movie(title=f"Right {n}") for n in range(30)])
    walk = compare(
        _units([Movie(title="Left")]), lambda: _ListedUnit(stalling), MOVIES, size=4, pending=1
    )
    async with aclosing(walk):
        first = await anext(walk)  # the right's second page is on its way, and stalls
        await asyncio.wait_for(stalling.stalled.wait(), DEADLINE)
    assert first.kind in (Kind.MISSING, Kind.UNEXPECTED)
    # Ended, not just cancelled, by the time the walk is closed: its unit of work too.
    others = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    assert not others, f"left running after the walk stopped: {others}"


async def test_unhappy_path_a_failed_write_cancels_the_page_read_ahead() -> None:
    stalling = _Stalling([Movie(title=f"Stalled {n}") for n in range(30)])
    target = MemoryDataSource()
    with pytest.raises(DataSourceUnavailable):
        await copy(
            lambda: _ListedUnit(stalling),
            lambda: _AfterTheStall(target.unit_of_work(), stalling),
            MOVIES,
            size=4,
        )
    assert stalling.stalled.is_set()
    others = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    assert not others, f"left running after the copy failed: {others}"


class _CountedMemory(MemoryDataSource):
    """A memory source whose units of work count each repository call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: Counter[str] = Counter()

    def unit_of_work(self) -> Any:
        return CountingUnitOfWork(super().unit_of_work(), self.calls)


@pytest.mark.server
async def test_happy_path_a_batch_through_the_cache_goes_on_as_one_and_replaces_cached_misses() -> (
    None
):
    async with redis_prefix() as prefix:
        upstream = _CountedMemory()
        cache = create_cache({"over": "inner", "redis_url": redis_url(), "prefix": prefix})
        cache.wrap(upstream)
        old = MemoryDataSource()
        try:
            movies = await _movies_in(old, 12)
            async with cache.unit_of_work() as uow:  # a miss, now cached as a NotFound
                assert await uow.repository(MOVIES).get_many([movies[0].id]) == {}
            done = await copy(old.unit_of_work, cache.unit_of_work, MOVIES, size=5)
            assert done.added == 12
            assert (upstream.calls["movies.add_many"], upstream.calls["movies.add"]) == (3, 0)
            async with cache.unit_of_work() as uow:
                stored = await uow.repository(MOVIES).get_many([m.id for m in movies])
            assert stored == {m.id: m for m in movies}
        finally:
            await cache.aclose()
