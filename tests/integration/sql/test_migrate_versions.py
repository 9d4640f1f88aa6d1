"""A domain's revisions (``Domain.migrations``) are found wherever their package is installed.

Alembic splits ``version_locations`` on the configured ``path_separator``; without one it
warns (DeprecationWarning, Alembic 1.16+) and splits on spaces and commas, which breaks a
package installed under a directory whose name holds either.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from adapters.sql import migrate

REVISION = '''"""A revision that does nothing."""

revision = "spaced_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


@pytest.fixture
def spaced_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A package of revisions under a directory named with a space and a comma."""
    root = tmp_path / "site, with spaces"
    package = root / "hexstudio_spaced_versions"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "spaced_0001.py").write_text(REVISION)
    monkeypatch.syspath_prepend(str(root))
    return package.name


def test_the_config_names_its_path_separator() -> None:
    assert migrate.config("adapters.sql").get_main_option("path_separator") == "os"


def test_revisions_under_a_path_with_spaces_are_found_without_a_warning(
    spaced_versions: str,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert migrate.head(spaced_versions) == "spaced_0001"


async def test_they_migrate_a_database_without_a_warning(
    spaced_versions: str, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'spaced.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        await migrate.upgrade(url, versions=spaced_versions)
        assert await migrate.current(url, versions=spaced_versions) == "spaced_0001"
