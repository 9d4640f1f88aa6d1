import pytest

from app.bootstrap import Interactors
from domain import MOVIES, Conflict, Genre, InvalidInput


async def test_happy_path_register_movie_stores_it_at_version_one(studio: Interactors) -> None:
    movie = await studio.register_movie(title="  Glass Harbour ", genres=["comedy", Genre.DRAMA])
    assert (movie.title, movie.version, movie.genres) == (
        "Glass Harbour",
        1,
        frozenset({Genre.COMEDY, Genre.DRAMA}),
    )
    async with studio.uow() as uow:
        assert await uow.repository(MOVIES).get(movie.id) == movie


async def test_unhappy_path_register_movie_names_the_bad_field(studio: Interactors) -> None:
    with pytest.raises(InvalidInput) as caught:
        await studio.register_movie(title="ok", release_year=3000)
    assert caught.value.field == "release_year"


async def test_unhappy_path_a_taken_id_conflicts(studio: Interactors) -> None:
    movie = await studio.register_movie(title="First")
    with pytest.raises(Conflict):
        await studio.register_movie(title="Second", id=movie.id)
    async with studio.uow() as uow:
        assert (await uow.repository(MOVIES).get(movie.id)).title == "First"


async def test_unhappy_path_register_location_names_the_bad_field(studio: Interactors) -> None:
    with pytest.raises(InvalidInput) as caught:
        await studio.register_location(
            name="Quay", city="Hobart", country="Tasmania", latitude=-42.9, longitude=147.3
        )
    assert caught.value.field == "country"
