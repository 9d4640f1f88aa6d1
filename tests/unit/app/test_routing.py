import datetime as dt
from typing import Any, ClassVar
from uuid import uuid4

import pytest

from adapters.memory import MemoryDataSource, MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.spi import Capabilities
from app.bootstrap import bootstrap
from app.errors import ConfigError
from app.routing import Dial, Mirror, Route, Shadow, routes
from app.settings import Settings
from domain import (
    MOVIES,
    PRODUCTIONS,
    STUDIO,
    DataSourceError,
    DataSourceUnavailable,
    Genre,
    Movie,
)

KNOWN = {"memory", "sql", "json_api", "graphql"}


def settings(**repositories: Any) -> Settings:
    return Settings(data_source={"default": "memory"}, repositories=repositories)  # type: ignore[arg-type]


def test_happy_path_unlisted_repositories_use_the_default() -> None:
    resolved = routes("sql", {"movies": "graphql"}, KNOWN, STUDIO)
    assert resolved["movies"] == Route("graphql", "graphql")
    assert resolved["productions"] == Route("sql", "sql")


def test_happy_path_reads_and_writes_can_split() -> None:
    resolved = routes("sql", {"movies": {"read": "graphql", "write": "json_api"}}, KNOWN, STUDIO)
    assert resolved["movies"] == Route(read="graphql", write="json_api")
    assert routes("sql", {"movies": {"read": "graphql"}}, KNOWN, STUDIO)["movies"] == Route(
        "graphql", "sql"
    )


def test_happy_path_dual_writes_by_a_list_or_a_mirror_key() -> None:
    listed = routes("sql", {"movies": {"write": ["json_api", "graphql"]}}, KNOWN, STUDIO)
    keyed = routes(
        "sql",
        {"movies": {"write": "json_api", "mirror": {"to": "graphql", "outbox": "m.db"}}},
        KNOWN,
        STUDIO,
    )
    assert listed["movies"].mirror == Mirror("graphql")
    assert listed["movies"].write == "json_api"
    assert keyed["movies"].mirror == Mirror("graphql", "m.db")
    assert "graphql" not in keyed["movies"].in_request  # the relay writes it, off the path


def test_happy_path_a_migration_route_holds_shadow_dial_and_fallback() -> None:
    table = {
        "movies": {
            "read": "json_api",
            "write": "json_api",
            "shadow": {"to": "graphql", "sample": 0.25, "timeout": 0.2},
            "dial": {"to": "graphql", "percent": 5},
            "fallback": "sql",
        }
    }
    route = routes("sql", table, KNOWN, STUDIO)["movies"]
    assert route == Route(
        "json_api",
        "json_api",
        shadow=Shadow("graphql", 0.25, 0.2),
        dial=Dial("graphql", 5.0),
        fallback="sql",
    )
    assert route.sources == {"json_api", "graphql", "sql"}
    assert route.describe() == (
        "json_api, dial 5% to graphql, shadow graphql (25%, 0.2 s), fallback sql"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"films": "sql"}, "repositories.films: unknown repository (choices: movies, locations"),
        (
            {"movies": "oracle"},
            "repositories.movies: unknown data source 'oracle' (choices: graphql",
        ),
        ({"movies": {"read": "oracle"}}, "repositories.movies.read: unknown data source 'oracle'"),
        (
            {"movies": {"reads": "sql"}},
            "repositories.movies: unknown key 'reads' (choices: read, write, shadow, dial, "
            "fallback, mirror)",
        ),
        ({"movies": 3}, "repositories.movies: expected a source name"),
        (
            {"movies": {"shadow": {"to": "oracle"}}},
            "repositories.movies.shadow.to: unknown data source 'oracle'",
        ),
        ({"movies": {"shadow": {"sample": 1}}}, "repositories.movies.shadow.to: required"),
        (
            {"movies": {"shadow": {"to": "graphql", "sample": 1.5}}},
            "repositories.movies.shadow.sample: must be at least 0 and at most 1, got 1.5",
        ),
        (
            {"movies": {"shadow": {"to": "graphql", "timeout": 0}}},
            "repositories.movies.shadow.timeout: must be more than 0 and at most 60, got 0",
        ),
        (
            {"movies": {"read": "graphql", "shadow": {"to": "graphql"}}},
            "repositories.movies.shadow.to: 'graphql' answers the reads already",
        ),
        (
            {"movies": {"dial": {"to": "graphql", "percent": 150}}},
            "repositories.movies.dial.percent: must be at least 0 and at most 100, got 150",
        ),
        ({"movies": {"dial": {"to": "graphql"}}}, "repositories.movies.dial.percent: required"),
        (
            {"movies": {"dial": {"to": "graphql", "percent": "5%"}}},
            "repositories.movies.dial.percent: expected a number, got '5%'",
        ),
        (
            {"movies": {"fallback": "oracle"}},
            "repositories.movies.fallback: unknown data source 'oracle'",
        ),
        (
            {"movies": {"write": "json_api", "mirror": "json_api"}},
            "repositories.movies.mirror.to: 'json_api' is the primary",
        ),
        (
            {"movies": {"write": ["json_api", "graphql", "sql"]}},
            "repositories.movies.write: a list names the primary and one mirror",
        ),
    ],
)
def test_unhappy_path_bad_routes_name_key_value_and_choices(
    table: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        routes("sql", table, KNOWN, STUDIO)
    assert message in str(caught.value)


async def test_happy_path_an_override_replaces_one_repository_in_place() -> None:
    movies_elsewhere = MemoryDataSource()
    async with bootstrap(settings(), overrides={"movies": movies_elsewhere}) as container:
        movie = await container.interactors.register_movie(title="Routed", genres=[Genre.DRAMA])
        location = await container.interactors.register_location(
            name="Pier", city="Oslo", country="NO", latitude=59.9, longitude=10.7
        )
        default = container.sources["memory"]
    assert movie.id in movies_elsewhere.store.tables["movies"]
    assert isinstance(default, MemoryDataSource)
    assert movie.id not in default.store.tables.get("movies", {})
    assert location.id in default.store.tables["locations"]


class FailingCommitSource(MemoryDataSource):
    """A memory source whose commits fail as if its server went away."""

    def unit_of_work(self) -> MemoryUnitOfWork:
        uow = super().unit_of_work()

        async def commit() -> None:
            raise DataSourceUnavailable("the productions store went away")

        uow.commit = commit  # type: ignore[method-assign]
        return uow


async def test_unhappy_path_a_commit_failing_on_the_second_source_names_what_was_written() -> None:
    first = MemoryDataSource(MemoryStore())
    async with bootstrap(
        settings(), overrides={"movies": first, "productions": FailingCommitSource()}
    ) as container:
        studio = container.interactors
        movie = await studio.register_movie(title="Half Written")
        with pytest.raises(DataSourceError) as caught:
            async with studio.uow() as uow:
                await uow.repository(MOVIES).add(movie.evolve(id=uuid4()))
                await uow.repository(PRODUCTIONS).add(_production(movie.id))
                await uow.commit()
    assert caught.value.reason == "partial_commit"
    assert "written to override:movies" in caught.value.message
    assert "NOT written to override:productions" in caught.value.message


async def test_unhappy_path_a_failure_before_anything_committed_keeps_its_own_type() -> None:
    async with bootstrap(settings(), overrides={"productions": FailingCommitSource()}) as container:
        movie = await container.interactors.register_movie(title="Nothing Written")
        with pytest.raises(DataSourceUnavailable):
            async with container.interactors.uow() as uow:
                await uow.repository(PRODUCTIONS).add(_production(movie.id))
                await uow.commit()


def _production(movie_id: Any) -> Any:
    from domain import Money, Production

    return Production(
        movie_id=movie_id,
        budget=Money(amount="1", currency="EUR"),
        starts_on=dt.date(2027, 1, 1),
        wraps_on=dt.date(2027, 2, 1),
    )


class RecordingSource(MemoryDataSource):
    """A memory source that records when it commits, declared as holding open transactions."""

    commits: ClassVar[list[str]] = []

    def __init__(self, label: str, *, buffered: bool) -> None:
        super().__init__()
        self.label = label
        self.capabilities = Capabilities(buffered_writes=buffered)

    def unit_of_work(self) -> MemoryUnitOfWork:
        uow = super().unit_of_work()
        inner = uow.commit

        async def commit() -> None:
            RecordingSource.commits.append(self.label)
            await inner()

        uow.commit = commit  # type: ignore[method-assign]
        return uow


async def test_sources_holding_transactions_commit_before_buffered_ones() -> None:
    # Found by make demo: a buffered HTTP source committing first waited for the lock a
    # local SQL transaction on the same database held until its own commit.
    RecordingSource.commits = []
    buffered, eager = (
        RecordingSource("buffered", buffered=True),
        RecordingSource("eager", buffered=False),
    )
    async with bootstrap(
        settings(), overrides={"movies": buffered, "productions": eager}
    ) as container:
        async with container.interactors.uow() as uow:
            movie = await uow.repository(MOVIES).add(Movie(title="Written first, committed last"))
            await uow.repository(PRODUCTIONS).add(_production(movie.id))
            await uow.commit()
    assert RecordingSource.commits == ["eager", "buffered"]
