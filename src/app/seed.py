"""A deterministic sample slate, loaded through the interactors into any data source.

Every id is a uuid5 of a fixed namespace and every value comes from fixed lists, so two data
sources seeded separately hold the same slate and print it byte for byte the same.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from uuid import UUID, uuid5

from app.bootstrap import Interactors
from app.errors import ConfigError
from app.routing import Route
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    STUDIO,
    Catalog,
    Conflict,
    Genre,
    Money,
    PageRequest,
    Phase,
    Production,
    UnitOfWorkFactory,
)
from domain.catalog import AnyEntityType, Sample

NAMESPACE = UUID("6f1c2a4e-8a53-5d0e-9a51-5e6f0d1c7b20")
"""The namespace of every seeded id."""

_ADJECTIVES = ("Paper", "Silent", "Copper", "Velvet", "Hollow", "Northern", "Glass", "Midnight")
_NOUNS = ("Moons", "Harbour", "Orchard", "Signal", "Lanterns", "Tide", "Ledger", "Cartographer")
_LOCATIONS = (
    ("Salt Flats", "Uyuni", "BO", -20.1338, -67.4891),
    ("Tram Depot", "Lisbon", "PT", 38.7071, -9.1737),
    ("Night Market", "Taipei", "TW", 25.0330, 121.5654),
    ("Dune Camp", "Merzouga", "MA", 31.0802, -4.0134),
    ("Ice Shelf Base", "Tasiilaq", "GL", 65.6145, -37.6368),
    ("Harbour Steps", "Hobart", "AU", -42.8821, 147.3272),
    ("Rail Yard", "Winnipeg", "CA", 49.8951, -97.1384),
    ("Rooftop Garden", "Lagos", "NG", 6.5244, 3.3792),
    ("Old Observatory", "Cape Town", "ZA", -33.9249, 18.4241),
    ("Canal House", "Utrecht", "NL", 52.0907, 5.1214),
    ("Cloud Forest", "Monteverde", "CR", 10.3010, -84.8250),
    ("Stepwell", "Jaipur", "IN", 26.9124, 75.7873),
)
_PHASES = (
    Phase.DEVELOPMENT,
    Phase.PRE_PRODUCTION,
    Phase.PRINCIPAL_PHOTOGRAPHY,
    Phase.POST_PRODUCTION,
    Phase.WRAPPED,
    Phase.CANCELLED,
)
SEEDED_MOVIES = 60
SEEDED_PRODUCTIONS = 54
FIRST_START = dt.date(2027, 1, 4)


SEED_STEPS = SEEDED_MOVIES + len(_LOCATIONS) + SEEDED_PRODUCTIONS
"""How many entities (movies, locations, productions with their shoot days) seeding stores."""


async def _present(studio: Interactors) -> dict[str, bool]:
    """Whether the first and the last seeded entity of each kind are stored."""
    kinds: dict[str, tuple[AnyEntityType, str, int]] = {
        "movies": (MOVIES, "movie", SEEDED_MOVIES),
        "locations": (LOCATIONS, "location", len(_LOCATIONS)),
        "productions": (PRODUCTIONS, "production", SEEDED_PRODUCTIONS),
    }
    found: dict[str, bool] = {}
    async with studio.uow() as uow:
        for name, (entity, kind, count) in kinds.items():
            ids = [seed_id(kind, 0), seed_id(kind, count - 1)]
            found[name] = len(await uow.repository(entity).get_many(ids)) == len(ids)
    return found


def seed_id(kind: str, number: int) -> UUID:
    """The id of the ``number``-th seeded entity of ``kind``."""
    return uuid5(NAMESPACE, f"{kind}:{number}")


@dataclass(frozen=True)
class SeedReport:
    """What ``seed`` did."""

    movies: int = 0
    locations: int = 0
    productions: int = 0
    already_seeded: bool = False
    examples: dict[str, int] = field(default_factory=dict)
    """Entity types the slate has no scenario for, seeded from their example factories."""


def check_routes(routes: Mapping[str, Route], catalog: Catalog) -> None:
    """Refuse, before anything is written, routes under which the slate's references break.

    A store holds a reference only to what it stores itself (SQL's foreign keys, the memory
    store's checks): a production written to sql whose movie went to csv would fail after the
    movies were written, leaving half a slate. So each reference's two types must be written
    to one source.
    """
    for entity in catalog:
        if entity.plural not in routes:
            continue
        for ref in entity.references:
            target = catalog.target(ref)
            mine, theirs = routes[entity.plural].write, routes[target.plural].write
            if mine != theirs:
                raise ConfigError(
                    f"repositories.{entity.plural}: writes go to {mine} but {ref.name} refers "
                    f"to {target.plural}, written to {theirs}; a source holds references only "
                    f"to what it stores: write both to one source to seed the sample slate"
                )


async def seed(studio: Interactors, *, progress: Callable[[int], None] | None = None) -> SeedReport:
    """Load the sample slate, unless it is all there already; Conflict if only part of it is.

    ``progress`` is told how many entities (of ``SEED_STEPS``) each step stored, for a bar.
    """
    advance = progress or (lambda _: None)
    present = await _present(studio)
    if all(present.values()):
        return SeedReport(already_seeded=True)
    if any(present.values()):
        found = ", ".join(f"{kind} {'yes' if there else 'no'}" for kind, there in present.items())
        raise Conflict(
            f"the sample slate is partly there ({found}): seed an empty store",
            reason="partly_seeded",
        )
    titles = itertools.product(_ADJECTIVES, _NOUNS)
    genres = list(Genre)
    for n, (adjective, noun) in zip(range(SEEDED_MOVIES), titles, strict=False):
        await studio.register_movie(
            id=seed_id("movie", n),
            title=f"The {adjective} {noun}",
            logline=f"A story of {noun.lower()} and what they keep.",
            genres=[genres[n % len(genres)], genres[(n * 3 + 1) % len(genres)]],
            release_year=None if n % 7 == 0 else 2027 + n % 4,
        )
        advance(1)
    for n, (name, city, country, latitude, longitude) in enumerate(_LOCATIONS):
        await studio.register_location(
            id=seed_id("location", n),
            name=name,
            city=city,
            country=country,
            latitude=latitude,
            longitude=longitude,
        )
        advance(1)
    for n in range(SEEDED_PRODUCTIONS):
        await _production(studio, n)
        advance(1)
    examples = await seed_examples(studio.uow, STUDIO)
    return SeedReport(
        movies=SEEDED_MOVIES,
        locations=len(_LOCATIONS),
        productions=SEEDED_PRODUCTIONS,
        examples=examples,
    )


EXAMPLES_PER_TYPE = 12


async def seed_examples(
    uow: UnitOfWorkFactory, catalog: Catalog, count: int = EXAMPLES_PER_TYPE
) -> dict[str, int]:
    """Store ``count`` examples of every type that holds nothing yet; how many, by plural.

    A type declared after the slate was written (a new entity) is seeded from its example
    factory, its references taken in turn from the first stored entities of their targets,
    with ids and values fixed, so two sources seeded apart still hold the same data.
    """
    seeded: dict[str, int] = {}
    for entity in catalog:
        async with uow() as unit:
            if (await unit.repository(entity).list(entity.query(), PageRequest(size=1))).items:
                continue
            parents = {
                ref.name: (
                    await unit.repository(catalog.target(ref)).list(
                        catalog.target(ref).query(), PageRequest(size=count)
                    )
                ).items
                for ref in entity.references
            }
            if any(not found for found in parents.values()):
                continue  # nothing to refer to: the type stays empty
            for n in range(count):
                refs = {name: found[n % len(found)].id for name, found in parents.items()}
                example = entity.sample(Sample(n, "seed", refs))
                await unit.repository(entity).add(example.evolve(id=seed_id(entity.plural, n)))
            await unit.commit()
        seeded[entity.plural] = count
    return seeded


async def _production(studio: Interactors, n: int) -> None:
    """Production ``n``: onboarded with three shoot days, then moved on to its phase."""
    # Starts a week apart and days two apart: no two productions ever want the same slot.
    starts_on = FIRST_START + dt.timedelta(days=7 * n)
    production = Production(
        id=seed_id("production", n),
        movie_id=seed_id("movie", n),
        phase=Phase.DEVELOPMENT,
        budget=Money(amount=f"{(n % 9 + 1) * 1_250_000}.{n % 100:02d}", currency="USD"),
        starts_on=starts_on,
        wraps_on=starts_on + dt.timedelta(days=90),
    )
    target = _PHASES[n % len(_PHASES)]
    if target is Phase.DEVELOPMENT:
        # No use case creates a production in development (onboarding starts it in
        # pre-production), so this one goes straight through the port.
        async with studio.uow() as uow:
            await uow.repository(PRODUCTIONS).add(production)
            await uow.commit()
        return
    plan = [
        (seed_id("location", (n + k) % len(_LOCATIONS)), starts_on + dt.timedelta(days=2 * k))
        for k in range(3)
    ]
    onboarded = await studio.onboard_production(
        id=production.id,
        movie_id=production.movie_id,
        budget=production.budget,
        starts_on=production.starts_on,
        wraps_on=production.wraps_on,
        shoot_plan=plan,
    )
    production = onboarded.production
    path = (
        [Phase.CANCELLED] if target is Phase.CANCELLED else _PHASES[2 : _PHASES.index(target) + 1]
    )
    for phase in path:
        production = await studio.advance_production(
            production_id=production.id, to_phase=phase, expected_version=production.version
        )
