"""The service tunes the garbage collector while it runs and gives the process its settings back."""

from __future__ import annotations

import gc
from pathlib import Path

from adapters.sql.migrate import upgrade
from app.service import create_app_from_settings, gc_tuning
from app.settings import Settings


def test_nested_starts_tune_once_and_the_last_stop_restores() -> None:
    before, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    gc_tuning.start()
    gc_tuning.start()
    assert gc.get_threshold()[0] == gc_tuning.YOUNG_THRESHOLD
    assert gc.get_freeze_count() > 0
    gc_tuning.stop()
    assert gc.get_threshold()[0] == gc_tuning.YOUNG_THRESHOLD  # one service still runs
    gc_tuning.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen_before


async def test_the_served_app_is_tuned_only_while_its_lifespan_runs(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gc.db'}"
    await upgrade(url)
    before = gc.get_threshold()
    app = create_app_from_settings(Settings(data_source={"default": "sql", "sql": {"url": url}}))
    async with app.router.lifespan_context(app):
        assert gc.get_threshold()[0] == gc_tuning.YOUNG_THRESHOLD
    assert gc.get_threshold() == before
