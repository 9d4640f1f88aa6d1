"""Run the Alembic migrations shipped in this package, programmatically (no alembic.ini).

The functions are async: they open an async engine and hand its connection to Alembic, so they
run inside an event loop that is already running (the CLI's, a test's, an app's).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from adapters.sql.engine import create_engine
from adapters.sql.errors import translate
from adapters.sql.options import parse_options

MIGRATIONS = Path(__file__).with_name("migrations")


def config(versions: str | None = None) -> Config:
    """An Alembic configuration over this package's environment.

    ``versions`` names the package holding a domain's revisions (``Domain.migrations``);
    without it, the revisions shipped in ``migrations/versions``.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Without a separator Alembic splits version_locations on spaces and commas (and warns,
    # since 1.16): a domain installed under "My Projects/" would not be found. "os" splits on
    # os.pathsep, as PATH does.
    cfg.set_main_option("path_separator", "os")
    if versions is not None:
        cfg.set_main_option("version_locations", str(files(versions)))
    return cfg


def head(versions: str | None = None) -> str:
    """The newest revision of ``versions``."""
    revision = ScriptDirectory.from_config(config(versions)).get_current_head()
    assert revision is not None, "the package ships no migration"
    return revision


async def upgrade(url: str, revision: str = "head", versions: str | None = None) -> None:
    """Migrate the database at ``url`` up to ``revision``."""
    await _run(url, lambda cfg: command.upgrade(cfg, revision), versions)


async def downgrade(url: str, revision: str, versions: str | None = None) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` drops every table)."""
    await _run(url, lambda cfg: command.downgrade(cfg, revision), versions)


async def current(url: str, versions: str | None = None) -> str | None:
    """The revision the database at ``url`` is at (None when never migrated)."""
    revisions: list[str | None] = []
    await _run(url, lambda cfg: revisions.append(_current(cfg)), versions)
    return revisions[0]


def _current(cfg: Config) -> str | None:
    connection: Connection = cfg.attributes["connection"]
    return MigrationContext.configure(connection).get_current_revision()


async def _run(url: str, action: Callable[[Config], object], versions: str | None) -> None:
    engine = create_engine(parse_options({"url": url}), create_file=True)
    cfg = config(versions)

    def run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        action(cfg)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    except Exception as exc:
        raise translate(exc, "migration") from exc
    finally:
        await engine.dispose()
