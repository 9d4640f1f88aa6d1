import datetime as dt
from decimal import Decimal
from uuid import uuid4

import pytest

from domain import Genre, InvalidInput, Money, Movie, Phase, Production, ShootingLocation
from domain.validation import parse


def test_happy_path_money_is_normalised_to_cents_and_upper_case_currency() -> None:
    money = Money(amount="1000", currency="eur")
    assert money.amount == Decimal("1000.00")
    assert str(money.amount) == "1000.00"
    assert money.currency == "EUR"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-1", "currency": "USD"}, "amount"),
        ({"amount": "1.005", "currency": "USD"}, "amount"),
        ({"amount": "NaN", "currency": "USD"}, "amount"),
        ({"amount": "10", "currency": "ZZZ"}, "currency"),
    ],
)
def test_unhappy_path_bad_money_names_the_field(data: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(Money, data)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "logline": "x" * 501}, "logline"),
        ({"title": "ok", "genres": ["western"]}, "genres.0"),
        ({"title": "ok", "release_year": 1700}, "release_year"),
        ({"title": "ok", "budget": 3}, "budget"),
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "ok", "logline": "bell\x07"}, "logline"),
    ],
)
def test_unhappy_path_invalid_movie_names_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(Movie, data)
    assert caught.value.field == field
    assert field in caught.value.message


def test_happy_path_genres_serialise_sorted_whatever_the_set_order() -> None:
    movie = Movie(title="t", genres={Genre.THRILLER, Genre.ACTION, Genre.DRAMA})
    assert movie.model_dump(mode="json")["genres"] == ["action", "drama", "thriller"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"latitude": 91}, "latitude"),
        ({"longitude": -181}, "longitude"),
        ({"name": "  "}, "name"),
    ],
)
def test_unhappy_path_invalid_location_names_the_field(
    changes: dict[str, object], field: str
) -> None:
    data = {"name": "Dock", "city": "Oslo", "country": "no", "latitude": 59.9, "longitude": 10.7}
    assert parse(ShootingLocation, data).country == "NO"
    with pytest.raises(InvalidInput) as caught:
        parse(ShootingLocation, {**data, **changes})
    assert caught.value.field == field


def test_unhappy_path_production_cannot_wrap_before_it_starts() -> None:
    data = {
        "movie_id": uuid4(),
        "budget": {"amount": "1", "currency": "USD"},
        "starts_on": dt.date(2027, 5, 2),
        "wraps_on": dt.date(2027, 5, 1),
    }
    with pytest.raises(InvalidInput) as caught:
        parse(Production, data)
    assert caught.value.field == "wraps_on"
    assert parse(Production, {**data, "wraps_on": dt.date(2027, 5, 2)}).starts_on == dt.date(
        2027, 5, 2
    )


def test_entities_are_immutable_and_evolve_validates() -> None:
    movie = Movie(title="Before")
    with pytest.raises(Exception, match="frozen"):
        movie.title = "After"  # type: ignore[misc]
    assert movie.evolve(title="After").title == "After"
    with pytest.raises(InvalidInput):
        movie.evolve(title="")


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(Movie, {"title": "t", "director": "nobody"})
    assert caught.value.field == "director"


LEGAL = {
    (Phase.DEVELOPMENT, Phase.PRE_PRODUCTION),
    (Phase.PRE_PRODUCTION, Phase.PRINCIPAL_PHOTOGRAPHY),
    (Phase.PRINCIPAL_PHOTOGRAPHY, Phase.POST_PRODUCTION),
    (Phase.POST_PRODUCTION, Phase.WRAPPED),
    (Phase.DEVELOPMENT, Phase.CANCELLED),
    (Phase.PRE_PRODUCTION, Phase.CANCELLED),
    (Phase.PRINCIPAL_PHOTOGRAPHY, Phase.CANCELLED),
    (Phase.POST_PRODUCTION, Phase.CANCELLED),
}


@pytest.mark.parametrize("source", list(Phase))
@pytest.mark.parametrize("target", list(Phase))
def test_only_the_legal_phase_transitions_are_allowed(source: Phase, target: Phase) -> None:
    assert source.can_become(target) is ((source, target) in LEGAL)


def test_negative_zero_coordinates_are_stored_as_zero() -> None:
    # Found by the equivalence machine: SQLite gave back 0.0 where memory kept -0.0.
    place = ShootingLocation(
        name="Null Island", city="Sea", country="GH", latitude=-0.0, longitude=-0.0
    )
    assert str(place.latitude) == "0.0"
    assert str(place.longitude) == "0.0"
