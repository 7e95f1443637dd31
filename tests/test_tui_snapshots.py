"""SVG snapshots of every screen (pytest-textual-snapshot). Update with: pytest --snapshot-update."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from village.tui import create_app

from .tui_fixtures import fixed_store, write_scenarios


@pytest.fixture
def env(tmp_path: Path, monkeypatch):
    scen = write_scenarios(tmp_path / "scenarios")
    db = tmp_path / "tui.db"
    fixed_store(db, scen).close()
    return str(db), scen


async def _settle(pilot, cond=lambda: True, timeout: float = 30) -> None:
    start = time.monotonic()
    while not cond() and time.monotonic() - start < timeout:
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def test_browser_dark_80x24(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen])

    async def ready(pilot):
        await _settle(pilot, lambda: len(app.screen.entries) == 2)
        await pilot.press("down")

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_browser_light_120x36(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen], theme="textual-light")

    async def ready(pilot):
        await _settle(pilot, lambda: len(app.screen.entries) == 2)

    assert snap_compare(app, terminal_size=(120, 36), run_before=ready)


def test_library(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen])

    async def ready(pilot):
        await pilot.press("l")
        await _settle(pilot, lambda: len(getattr(app.screen, "rows", [])) == 2)
        await pilot.press("space")

    assert snap_compare(app, terminal_size=(100, 24), run_before=ready)


def test_replay_target_perspective(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen], replay="a1b2c3d4e5f6")

    async def ready(pilot):
        await _settle(pilot, lambda: getattr(app.screen, "replay", None) is not None)
        await pilot.press("t", "3", "enter", "p")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)


def test_replay_80x24_light(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen], replay="0f9e8d7c6b5a", theme="textual-light")

    async def ready(pilot):
        await _settle(pilot, lambda: getattr(app.screen, "replay", None) is not None)

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_compare(env, snap_compare) -> None:
    db, scen = env
    app = create_app(db, [scen])

    async def ready(pilot):
        app.open_compare(["a1b2c3d4e5f6", "0f9e8d7c6b5a"])
        await _settle(pilot, lambda: app.screen.query("#metrics") and app.screen.query_one("#metrics").row_count > 5)

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)


def test_help(env, snap_compare) -> None:
    db, scen = env
    assert snap_compare(create_app(db, [scen]), terminal_size=(80, 24), press=["question_mark"])


def test_live_finished(env, snap_compare, monkeypatch) -> None:
    import village.store.db as dbmod

    class FixedId:
        hex = "5e55101d0000000000"

    monkeypatch.setattr(dbmod.uuid, "uuid4", lambda: FixedId())
    db, scen = env
    app = create_app(db, [scen])

    async def ready(pilot):
        await _settle(pilot, lambda: len(app.screen.entries) == 2)
        await pilot.press("down", "r")
        await _settle(pilot, lambda: getattr(app.screen, "status", "") == "completed")

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
