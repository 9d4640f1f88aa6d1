"""A hypothesis state machine: random use-case sequences give the same outcome on every source.

The memory adapter is the oracle. Each step calls one interactor, or one operation of the
repository port, with the same arguments on every source and requires the same result
(canonical JSON) or the same error class and reason.

The use cases are written out below, one rule each (they stay explicit by design). The port
operations are derived from the catalog, for every entity type with an example factory: add
an example (its references drawn from the bundles of the types it refers to), update one to
another example at the current or a stale version, remove one (types nothing refers to: a
parent's removal is refused by foreign keys on SQL, a rule memory does not have), read by id
and in a batch, and walk a filtered list page by page. A new entity type is exercised with no
code here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID, uuid5

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    multiple,
    rule,
)
from hypothesis.strategies import SearchStrategy

from adapters.memory import MemoryDataSource
from adapters.spi import DataSource
from app.bootstrap import Interactors
from app.canonical import canonical_json
from app.contracts.examples import filter_value
from domain import (
    SHOOT_DAYS,
    STUDIO,
    DomainError,
    Entity,
    Genre,
    PageRequest,
    Phase,
    Query,
    ShootDayQuery,
)
from domain.catalog import AnyEntityType, Sample
from domain.model.employee import Role
from tests.property.sources import SourceSpec

ORACLE = "memory"
STATS: Counter[str] = Counter()
"""Examples run, steps compared, how many of them the oracle answered with an error, and the
successful port steps per entity type (``ok:<plural>``) and hires (``ok:hire_employee``)."""
DAY0 = dt.date(2027, 1, 1)
# Mostly valid input, so that long successful sequences happen, with invalid values mixed in
# (one_of picks its branches evenly, so ranges carry the invalid edges instead).
titles = st.text(st.characters(categories=["L", "N", "P", "Zs", "So"]), max_size=30)
countries = st.sampled_from(["PT", "NZ", "IS", "no", "BR", "JP", "XX"])
latitudes = st.floats(-90, 90, allow_nan=False)
longitudes = st.floats(-180, 180, allow_nan=False)
offsets = st.integers(min_value=-1, max_value=32)
lengths = st.integers(min_value=-1, max_value=30)
version_choice = st.sampled_from(["current", "stale"])
# Mostly an id the step's type has stored, sometimes one nothing has (NotFound must agree).
id_choice = st.sampled_from(["stored", "stored", "stored", "unknown"])
samples = st.integers(min_value=0, max_value=40)
"""``Sample.n`` of the examples the port operations write: small, so unique keys collide."""
SAMPLE_TAG = "equivalence"
BUNDLES = {entity.plural: Bundle(entity.plural) for entity in STUDIO}
"""One bundle of stored ids per entity type, named after its plural."""


def _outcome(value: Any) -> tuple[str, ...]:
    return ("ok", canonical_json(value))


class Equivalence(RuleBasedStateMachine):
    """Drives every source through the same use cases; see the module docstring."""

    specs: ClassVar[dict[str, SourceSpec]] = {}

    movies = BUNDLES["movies"]
    locations = BUNDLES["locations"]
    productions = BUNDLES["productions"]
    shoot_days = BUNDLES["shoot_days"]
    employees = BUNDLES["employees"]

    def __init__(self) -> None:
        super().__init__()
        STATS["examples"] += 1
        self.loop = asyncio.new_event_loop()
        self.sources: dict[str, DataSource] = {ORACLE: MemoryDataSource()}
        for name, spec in self.specs.items():
            source = spec.open()
            self.loop.run_until_complete(spec.reset(source))
            self.sources[name] = source
        self.studios = {name: Interactors(s.unit_of_work) for name, s in self.sources.items()}

    def teardown(self) -> None:
        for source in self.sources.values():
            self.loop.run_until_complete(source.aclose())
        self.loop.close()

    def same(self, call: Callable[[Interactors], Awaitable[Any]]) -> tuple[str, ...]:
        """Run ``call`` on every source; all outcomes must equal the oracle's."""
        STATS["steps"] += 1
        outcomes = {
            name: self.loop.run_until_complete(self._run(call, s))
            for name, s in self.studios.items()
        }
        expected = outcomes[ORACLE]
        STATS["errors" if expected[0] == "error" else "successes"] += 1
        for name, outcome in outcomes.items():
            assert outcome == expected, f"{name} gave {outcome!r}\n  memory gave {expected!r}"
        return expected

    @staticmethod
    async def _run(
        call: Callable[[Interactors], Awaitable[Any]], studio: Interactors
    ) -> tuple[str, ...]:
        try:
            return _outcome(await call(studio))
        except DomainError as exc:
            return ("error", type(exc).__name__, str(exc.reason))

    def oracle_entity(self, repository: str, id: UUID) -> Entity | None:
        """The entity the oracle stores under ``id``, or None."""

        async def read() -> Entity | None:
            async with self.sources[ORACLE].unit_of_work() as uow:
                found = await uow.repository(STUDIO[repository]).get_many([id])
            return found.get(id)

        return self.loop.run_until_complete(read())

    def version_of(self, repository: str, id: UUID, choice: str) -> int:
        """The oracle's current version of an entity, or a stale one."""
        stored = self.oracle_entity(repository, id)
        current = stored.version if stored is not None else 1
        return current if choice == "current" else current + 1

    @initialize(target=movies, ids=st.lists(st.uuids(), min_size=3, max_size=3, unique=True))
    def some_movies(self, ids: list[UUID]) -> Any:
        """Start every run with valid movies, so onboarding can succeed from the first step."""
        for n, id in enumerate(ids):
            self.same(lambda s, id=id, n=n: s.register_movie(id=id, title=f"Seed {n}"))
        return multiple(*ids)

    @initialize(target=locations, ids=st.lists(st.uuids(), min_size=2, max_size=2, unique=True))
    def some_locations(self, ids: list[UUID]) -> Any:
        """Start every run with valid locations."""
        for id in ids:
            self.same(
                lambda s, id=id: s.register_location(
                    id=id, name="Seed", city="Seed", country="PT", latitude=0, longitude=0
                )
            )
        return multiple(*ids)

    @initialize(target=productions, movie=st.uuids(), id=st.uuids())
    def a_production(self, movie: UUID, id: UUID) -> UUID:
        """Start every run with an active production of a movie of its own, so that crew and
        shoot days can be written from the first step."""
        self.same(lambda s: s.register_movie(id=movie, title="Seed feature"))
        self.same(
            lambda s: s.onboard_production(
                id=id,
                movie_id=movie,
                budget={"amount": "1000.00", "currency": "EUR"},
                starts_on=DAY0,
                wraps_on=DAY0 + dt.timedelta(days=30),
                shoot_plan=[],
            )
        )
        return id

    @rule(
        target=movies,
        id=st.uuids(),
        title=titles,
        genres=st.frozensets(st.sampled_from(Genre)),
        year=st.none() | st.integers(1880, 2110),
    )
    def register_movie(
        self, id: UUID, title: str, genres: frozenset[Genre], year: int | None
    ) -> Any:
        outcome = self.same(
            lambda s: s.register_movie(id=id, title=title, genres=genres, release_year=year)
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(
        target=locations,
        id=st.uuids(),
        name=titles,
        country=countries,
        latitude=latitudes,
        longitude=longitudes,
    )
    def register_location(
        self, id: UUID, name: str, country: str, latitude: float, longitude: float
    ) -> Any:
        outcome = self.same(
            lambda s: s.register_location(
                id=id, name=name, city=name, country=country, latitude=latitude, longitude=longitude
            )
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(
        target=productions,
        id=st.uuids(),
        movie=movies,
        start=offsets,
        length=lengths,
        amount=st.decimals(min_value=0, max_value=10**9, places=2),
        plan=st.lists(st.tuples(locations, offsets), max_size=4),
    )
    def onboard(
        self,
        id: UUID,
        movie: UUID,
        start: int,
        length: int,
        amount: Decimal,
        plan: list[tuple[UUID, int]],
    ) -> Any:
        starts_on = DAY0 + dt.timedelta(days=start)
        # Offsets wrap into the window, so most plans are valid; -1 lands the day outside it.
        window = max(length, 0) + 1
        shoot_plan = [
            (loc, starts_on + dt.timedelta(days=o % window if o >= 0 else -1)) for loc, o in plan
        ]
        outcome = self.same(
            lambda s: s.onboard_production(
                id=id,
                movie_id=movie,
                budget={"amount": str(amount), "currency": "EUR"},
                starts_on=starts_on,
                wraps_on=starts_on + dt.timedelta(days=length),
                shoot_plan=shoot_plan,
            )
        )
        return id if outcome[0] == "ok" else multiple()

    @rule(target=shoot_days, production=productions)
    def days_of(self, production: UUID) -> Any:
        async def read() -> list[UUID]:
            async with self.sources[ORACLE].unit_of_work() as uow:
                page = await uow.repository(SHOOT_DAYS).list(
                    ShootDayQuery(production_id=production), PageRequest(size=50)
                )
            return [d.id for d in page.items]

        return multiple(*self.loop.run_until_complete(read()))

    @rule(production=productions, phase=st.sampled_from(Phase), choice=version_choice)
    def advance(self, production: UUID, phase: Phase, choice: str) -> None:
        version = self.version_of("productions", production, choice)
        self.same(
            lambda s: s.advance_production(
                production_id=production, to_phase=phase, expected_version=version
            )
        )

    @rule(day=shoot_days | productions, offset=offsets, choice=version_choice)
    def reschedule(self, day: UUID, offset: int, choice: str) -> None:
        # Production ids double as unknown shoot-day ids: NotFound must agree too.
        version = self.version_of("shoot_days", day, choice)
        self.same(
            lambda s: s.reschedule_shoot_day(
                shoot_day_id=day,
                new_date=DAY0 + dt.timedelta(days=offset),
                expected_version=version,
            )
        )

    @rule(day=consumes(shoot_days), choice=version_choice)
    def cancel(self, day: UUID, choice: str) -> None:
        version = self.version_of("shoot_days", day, choice)
        self.same(lambda s: s.cancel_shoot_day(shoot_day_id=day, expected_version=version))

    @rule(
        target=employees,
        id=st.uuids(),
        production=productions,
        production_choice=id_choice,
        name=titles,
        role=st.sampled_from([*Role, "stuntperson"]),
    )
    def hire(
        self, id: UUID, production: UUID, production_choice: str, name: str, role: Role | str
    ) -> Any:
        # An unknown production is NotFound, a wrapped or cancelled one a RuleViolation.
        if production_choice == "unknown":
            production = _unknown(production)
        outcome = self.same(
            lambda s: s.hire_employee(id=id, name=name, role=role, production_id=production)
        )
        if outcome[0] != "ok":
            return multiple()
        STATS["ok:hire_employee"] += 1
        return id

    @rule(production=productions)
    def overview(self, production: UUID) -> None:
        self.same(lambda s: s.get_production_overview(production_id=production))

    @rule(phases=st.none() | st.frozensets(st.sampled_from(Phase)), size=st.integers(1, 4))
    def slate(self, phases: frozenset[Phase] | None, size: int) -> None:
        async def walk(studio: Interactors) -> list[Any]:
            entries: list[Any] = []
            cursor: str | None = None
            while True:
                page = await studio.list_slate(
                    phases=phases, page=PageRequest(size=size, cursor=cursor)
                )
                entries.append(list(page.items))  # page boundaries must agree, not only items
                if page.next_cursor is None:
                    return entries
                cursor = page.next_cursor

        self.same(walk)


def _unknown(id: UUID) -> UUID:
    """An id derived from ``id`` that no step stores (uuid5 ids never come from st.uuids)."""
    return uuid5(id, "unknown")


def _refs(entity: AnyEntityType, drawn: dict[str, UUID]) -> dict[str, UUID]:
    """The rule arguments ``ref_<field>`` as the example factory's references."""
    return {ref.name: drawn[f"ref_{ref.name}"] for ref in entity.references}


def _query(entity: AnyEntityType, like: Entity | None, names: frozenset[str]) -> Query[Any]:
    """The filters ``names`` set to values ``like`` passes (no filter when it is gone)."""
    specs = [spec for spec in entity.filters if spec.name in names and like is not None]
    values = {spec.name: filter_value(spec, getattr(like, spec.field)) for spec in specs}
    query: Query[Any] = entity.query(**{k: v for k, v in values.items() if v is not None})
    return query


def _port_rules(entity: AnyEntityType) -> dict[str, Any]:
    """The rules of ``entity``'s repository operations, named after its singular and plural."""
    own = BUNDLES[entity.plural]
    parents: dict[str, SearchStrategy[Any]] = {
        f"ref_{ref.name}": BUNDLES[STUDIO.target(ref).plural] for ref in entity.references
    }
    singular, plural = entity.names.singular, entity.names.plural
    ok = f"ok:{plural}"

    def count(outcome: tuple[str, ...]) -> tuple[str, ...]:
        if outcome[0] == "ok":
            STATS[ok] += 1
        return outcome

    def example(n: int, drawn: dict[str, UUID], **fields: Any) -> Entity:
        made: Entity = entity.sample(Sample(n, SAMPLE_TAG, _refs(entity, drawn)))
        return made.evolve(**fields)

    def add(self: Equivalence, id: UUID, n: int, **drawn: UUID) -> Any:
        added = example(n, drawn, id=id)

        async def call(studio: Interactors) -> Entity:
            async with studio.uow() as uow:
                stored: Entity = await uow.repository(entity).add(added)
                await uow.commit()
            return stored

        return id if count(self.same(call))[0] == "ok" else multiple()

    def update(
        self: Equivalence, entry: UUID, which: str, n: int, choice: str, **drawn: UUID
    ) -> None:
        id = entry if which == "stored" else _unknown(entry)
        changed = example(n, drawn, id=id, version=self.version_of(plural, id, choice))

        async def call(studio: Interactors) -> Entity:
            async with studio.uow() as uow:
                stored: Entity = await uow.repository(entity).update(changed)
                await uow.commit()
            return stored

        count(self.same(call))

    def remove(self: Equivalence, entry: UUID, choice: str) -> None:
        version = self.version_of(plural, entry, choice)

        async def call(studio: Interactors) -> None:
            async with studio.uow() as uow:
                await uow.repository(entity).remove(entry, version)
                await uow.commit()

        count(self.same(call))

    def read(self: Equivalence, entry: UUID, which: str, other: UUID) -> None:
        id = entry if which == "stored" else _unknown(entry)

        async def call(studio: Interactors) -> Any:
            async with studio.uow() as uow:
                repository = uow.repository(entity)
                many = await repository.get_many([id, other])
                return many, await repository.get(id)

        count(self.same(call))

    def walk(self: Equivalence, like: UUID, names: frozenset[str], size: int) -> None:
        query = _query(entity, self.oracle_entity(plural, like), names)

        async def call(studio: Interactors) -> list[list[Entity]]:
            pages: list[list[Entity]] = []
            cursor: str | None = None
            async with studio.uow() as uow:
                while True:
                    page = await uow.repository(entity).list(
                        query, PageRequest(size=size, cursor=cursor)
                    )
                    pages.append(list(page.items))  # page boundaries must agree, not only items
                    if page.next_cursor is None:
                        return pages
                    cursor = page.next_cursor

        count(self.same(call))

    filters = [spec.name for spec in entity.filters]
    chosen: SearchStrategy[frozenset[str]] = (
        st.frozensets(st.sampled_from(filters)) if filters else st.just(frozenset())
    )
    # mypy cannot tell that ``parents`` (ref_* names only) never passes ``target``.
    adding = rule(target=own, id=st.uuids(), n=samples, **parents)  # type: ignore[call-overload]
    updating = rule(  # type: ignore[call-overload]
        entry=own, which=id_choice, n=samples, choice=version_choice, **parents
    )
    made = {
        f"add_{singular}": adding(add),
        f"update_{singular}": updating(update),
        f"read_{plural}": rule(entry=own, which=id_choice, other=st.uuids())(read),
        f"walk_{plural}": rule(like=own, names=chosen, size=st.integers(1, 4))(walk),
    }
    if not STUDIO.reverses(entity):
        made[f"remove_{singular}"] = rule(entry=consumes(own), choice=version_choice)(remove)
    for name, function in made.items():
        function.__name__ = function.__qualname__ = name
    return made


for _entity in STUDIO:
    if _entity.example is not None:
        for _name, _rule in _port_rules(_entity).items():
            # A derived name equal to a use case's would silently replace its rule.
            assert not hasattr(Equivalence, _name), f"rule {_name} is defined twice"
            setattr(Equivalence, _name, _rule)
