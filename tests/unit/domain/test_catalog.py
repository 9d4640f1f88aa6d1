"""The catalog reads each declaration once and refuses the ones that contradict themselves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar
from uuid import UUID, uuid4

import pytest

from domain import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS, STUDIO, Entity, Genre, Movie
from domain.catalog import (
    AtLeast,
    AtMost,
    Catalog,
    CatalogError,
    EntityType,
    FieldKind,
    Has,
    In,
    Personal,
    Query,
    References,
    UniqueKey,
)
from domain.catalog.names import Names, plural, singular
from domain.queries import MovieQuery, ShootDayQuery
from domain.studio import EMPLOYEES, SLOT


@pytest.mark.parametrize(
    ("word", "many"),
    [
        ("genre", "genres"),
        ("shoot_day", "shoot_days"),
        ("category", "categories"),
        ("box", "boxes"),
        ("person", "people"),
        ("post_tag", "post_tags"),
    ],
)
def test_happy_path_plural_and_singular_follow_one_rule(word: str, many: str) -> None:
    assert plural(word) == many
    assert singular(many) == word


def test_happy_path_a_word_ending_in_ie_takes_an_s() -> None:
    assert plural("movie") == "movies"


def test_happy_path_every_spelling_derives_from_the_singular_name() -> None:
    names = SHOOT_DAYS.names
    assert names == Names("shoot_day", "shoot_days", "shoot-days", "ShootDay")
    assert (names.graphql_one, names.graphql_many, names.graphql_by_ids) == (
        "shootDay",
        "shootDays",
        "shootDaysByIds",
    )
    assert (names.graphql_filter, names.graphql_input) == ("ShootDayFilter", "ShootDayInput")


def test_happy_path_an_override_changes_only_what_it_names() -> None:
    assert LOCATIONS.names == Names("location", "locations", "locations", "ShootingLocation")
    assert LOCATIONS.names.graphql_input == "LocationInput"


def test_happy_path_fields_are_read_by_kind() -> None:
    kinds = {spec.name: spec.kind for spec in PRODUCTIONS.fields}
    assert kinds["movie_id"] is FieldKind.REFERENCE
    assert kinds["budget"] is FieldKind.VALUE
    assert kinds["phase"] is FieldKind.SCALAR
    assert [spec.name for spec in MOVIES.collections] == ["genres"]
    assert [part.name for part in PRODUCTIONS.field("budget").parts] == ["amount", "currency"]
    assert LOCATIONS.field("country").constraints == {"min_length": 2, "max_length": 2}


def test_happy_path_references_give_relationships_both_ways() -> None:
    assert [(ref.name, ref.relationship) for ref in SHOOT_DAYS.references] == [
        ("production_id", "production"),
        ("location_id", "location"),
    ]
    reverses = STUDIO.reverses(PRODUCTIONS)
    assert [(r.name, r.source, r.field.name) for r in reverses] == [
        ("shoot_days", SHOOT_DAYS, "production_id"),
        ("employees", EMPLOYEES, "production_id"),
    ]
    assert STUDIO.target(PRODUCTIONS.field("movie_id")) is MOVIES


def _movie(**fields: object) -> Movie:
    return Movie(title="A", **fields)  # type: ignore[arg-type]


def test_happy_path_matches_follows_the_markers() -> None:
    comedy = _movie(genres={Genre.COMEDY}, release_year=2030)
    assert MovieQuery(genre=Genre.COMEDY).matches(comedy)
    assert not MovieQuery(genre=Genre.DRAMA).matches(comedy)
    assert MovieQuery(genre=Genre.COMEDY, release_year=2030).matches(comedy)
    assert not MovieQuery(genre=Genre.COMEDY, release_year=2031).matches(comedy)
    assert MovieQuery().matches(comedy)


def test_happy_path_sets_and_ranges() -> None:
    from domain import ShootDay

    day = ShootDay(production_id=uuid4(), location_id=uuid4(), date=dt.date(2030, 5, 5))
    assert ShootDayQuery(production_ids=frozenset({day.production_id})).matches(day)
    assert not ShootDayQuery(production_ids=frozenset()).matches(day), "empty set: nothing"
    assert ShootDayQuery(date_from=day.date, date_to=day.date).matches(day)
    assert not ShootDayQuery(date_from=day.date + dt.timedelta(days=1)).matches(day)
    assert not ShootDayQuery(date_to=day.date - dt.timedelta(days=1)).matches(day)


def test_happy_path_filters_name_their_field_and_comparison() -> None:
    found = {(f.name, f.field, f.op) for f in SHOOT_DAYS.filters}
    assert ("production_ids", "production_id", "in") in found
    assert ("date_from", "date", "ge") in found
    assert ("date_to", "date", "le") in found
    assert ("genre", "genres", "has") in {(f.name, f.field, f.op) for f in MOVIES.filters}
    assert "shoot_days.date_from" in STUDIO.filter_names
    assert SLOT.read_name == "bookings"


# --- declarations that contradict themselves ----------------------------------------------


class Crew(Entity):
    """A test entity: a crew member of a production."""

    name: str
    production_id: Annotated[UUID, References("productions")]


class CrewQuery(Query[Crew]):
    name: str | None = None


class Named(Entity):
    """A test entity with a name only."""

    name: str


class Tagged(Entity):
    """A test entity with a collection and a date."""

    ordering: ClassVar[tuple[str, ...]] = ("day", "id")
    tags: frozenset[str] = frozenset()
    day: dt.date


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Catalog("x", [EntityType(Crew, CrewQuery)]), "references 'productions'"),
        (
            lambda: Catalog("x", [EntityType(Tagged, _query(Tagged, has=Has("day")))]),
            "Has() needs a collection",
        ),
        (
            lambda: Catalog("x", [EntityType(Tagged, _query(Tagged, has=AtLeast("nope")))]),
            "filters on Tagged.nope, which does not exist",
        ),
        (
            lambda: Catalog(
                "x",
                [
                    EntityType(Tagged, _query(Tagged)),
                    EntityType(Crew, CrewQuery, plural_name="taggeds"),
                ],
            ),
            "share the plural 'taggeds'",
        ),
        (lambda: Catalog("again", [MOVIES]), "declared in studio already"),
        (
            lambda: Catalog(
                "x",
                [
                    EntityType(Tagged, _query(Tagged), unique=(UniqueKey("key", ("day",), "x"),)),
                    EntityType(Named, _query(Named), unique=(UniqueKey("key", ("name",), "y"),)),
                ],
            ),
            "unique key 'key' is declared by Tagged and Named",
        ),
    ],
)
def test_unhappy_path_contradicting_declarations_are_refused_naming_type_and_field(
    build: object, message: str
) -> None:
    with pytest.raises(CatalogError, match=re.escape(message)):
        build()  # type: ignore[operator]


def _query(model: type[Entity], **markers: object) -> type[Query[Entity]]:
    """A query type over ``model`` with one filter per marker (``In``, ``Has``, ...)."""
    annotations = {name: Annotated[object | None, marker] for name, marker in markers.items()}
    return type(  # type: ignore[return-value]
        f"{model.__name__}Query",
        (Query,),
        {"__annotations__": annotations, **{name: None for name in markers}},
    )


def test_happy_path_a_new_catalog_accepts_a_reference_to_its_own_types() -> None:
    class Show(Entity):
        """A test entity."""

        title: str

    class Episode(Entity):
        """A test entity referring to a show."""

        show_id: Annotated[UUID, References("shows")]
        number: int

    class EpisodeQuery(Query[Episode]):
        show_ids: Annotated[frozenset[UUID] | None, In("show_id")] = None
        number_to: Annotated[int | None, AtMost("number")] = None

    class ShowQuery(Query[Show]):
        title: str | None = None

    shows, episodes = EntityType(Show, ShowQuery), EntityType(Episode, EpisodeQuery)
    catalog = Catalog("tv", [shows, episodes])
    assert catalog["episodes"] is episodes
    assert [r.name for r in catalog.reverses(shows)] == ["episodes"]
    with pytest.raises(KeyError, match="choices: episodes, shows"):
        catalog["movies"]


# --- personal data ---------------------------------------------------------------------------


class _Contact(Entity):
    """A test entity with one personal field, in a type not declared personal."""

    label: str
    email: Annotated[str | None, Personal()] = None


class _ContactQuery(Query[_Contact]):
    label: str | None = None


def test_happy_path_a_personal_field_makes_its_type_hold_personal_data() -> None:
    contacts = EntityType(_Contact, _ContactQuery)
    assert contacts.field("email").personal
    assert not contacts.field("label").personal
    assert not contacts.personal
    assert contacts.personal_fields == ("email",)
    assert contacts.holds_personal_data


def test_happy_path_the_studio_tags_only_the_employees_name_as_personal() -> None:
    assert {e.plural: e.personal_fields for e in STUDIO if e.personal_fields} == {
        "employees": ("name",)
    }
    assert [e.plural for e in STUDIO if e.holds_personal_data] == ["employees"]


def test_happy_path_a_type_without_personal_fields_holds_no_personal_data() -> None:
    assert MOVIES.personal_fields == ()
    assert not MOVIES.holds_personal_data
