"""The studio's catalog: its entity types, each declared once.

Every edge derives from these lines and from the models and queries they name: the memory
and SQL stores, the JSON:API and GraphQL wire formats on both sides, the conformance kit, the
contracts, the seed and the CLI (``hexstudio describe movies`` prints what is derived).
Each example factory makes a valid entity per sample, varied by ``sample.n`` in every field
a filter reads.
"""

from __future__ import annotations

import datetime as dt

from domain.catalog import Catalog, EntityType, Sample, UniqueKey
from domain.model import Genre, Money, Movie, Phase, Production, ShootDay, ShootingLocation
from domain.model.employee import Employee, EmployeeQuery, Role
from domain.queries import LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery

_GENRES = list(Genre)
_PHASES = list(Phase)
_COUNTRIES = ("PT", "IS", "NZ", "JP", "MA")
_FIRST_DAY = dt.date(2027, 1, 4)


def _movie(sample: Sample) -> Movie:
    n = sample.n
    return Movie(
        title=sample.text("Conformance"),
        logline="A data source proves itself.",
        genres={_GENRES[n % len(_GENRES)], _GENRES[(n * 3 + 1) % len(_GENRES)]},
        release_year=None if n % 4 == 3 else 2027 + n % 5,
    )


def _location(sample: Sample) -> ShootingLocation:
    return ShootingLocation(
        name=sample.text("Stage"),
        city=sample.text("City"),
        country=_COUNTRIES[sample.n % len(_COUNTRIES)],
        latitude=38.72,
        longitude=-9.14,
    )


def _production(sample: Sample) -> Production:
    starts_on = _FIRST_DAY + dt.timedelta(days=sample.n)
    return Production(
        movie_id=sample.ref("movie_id"),
        phase=_PHASES[sample.n % len(_PHASES)],
        budget=Money(amount=f"{2_500_000 + sample.n}.00", currency="USD"),
        starts_on=starts_on,
        wraps_on=starts_on + dt.timedelta(days=120),
    )


def _shoot_day(sample: Sample) -> ShootDay:
    return ShootDay(
        production_id=sample.ref("production_id"),
        location_id=sample.ref("location_id"),
        date=_FIRST_DAY + dt.timedelta(days=sample.n),
    )


def _employee(sample: Sample) -> Employee:
    roles = list(Role)
    return Employee(
        name=sample.text("Crew"),
        role=roles[sample.n % len(roles)],
        production_id=sample.ref("production_id"),
    )


MOVIES = EntityType(Movie, MovieQuery, example=_movie)
LOCATIONS = EntityType(ShootingLocation, LocationQuery, name="location", example=_location)
PRODUCTIONS = EntityType(Production, ProductionQuery, example=_production)

SLOT = UniqueKey("slot", ("location_id", "date"), reason="location_double_booked", read="bookings")
"""One booking per location and date: the store refuses a second, onboarding looks slots up."""
SHOOT_DAYS = EntityType(ShootDay, ShootDayQuery, unique=(SLOT,), example=_shoot_day)

# A crew member is a person: the whole record is personal, and its name field says so too.
EMPLOYEES = EntityType(Employee, EmployeeQuery, example=_employee, personal=True)

STUDIO = Catalog("studio", (MOVIES, LOCATIONS, PRODUCTIONS, SHOOT_DAYS, EMPLOYEES))
"""The studio domain's catalog."""
