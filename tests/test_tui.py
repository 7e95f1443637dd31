"""The TUI, driven with Pilot: behaviour asserted on the app's state and messages."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from village.tui import create_app
from village.tui import messages as msg
from village.tui.screens.browser import BrowserScreen
from village.tui.screens.compare import CompareScreen
from village.tui.screens.help import HelpScreen
from village.tui.screens.library import LibraryScreen
from village.tui.screens.live import LiveScreen
from village.tui.screens.replay import ReplayScreen
from village.tui.widgets import ChannelLog, DistressChart, InterventionLog

from .tui_fixtures import fixed_store, write_scenarios


@pytest.fixture
def env(tmp_path: Path):
    scen = write_scenarios(tmp_path / "scenarios")
    db = tmp_path / "tui.db"
    fixed_store(db, scen).close()
    return str(db), scen


async def wait_for(pilot, cond, timeout: float = 30.0) -> None:
    start = time.monotonic()
    while not cond():
        if time.monotonic() - start > timeout:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


async def test_browser_lists_scenarios_with_validation_status(env) -> None:
    db, scen = env
    app = create_app(db, [scen])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        await wait_for(pilot, lambda: len(screen.entries) == 2)
        broken, good = screen.entries
        assert (broken.name, broken.ok, good.name, good.ok) == ("broken", False, "scripted-demo", True)
        assert [str(p).split("broken.yaml:")[1] for p in broken.problems] == ["3: helpers.0.strategy: Field required", "4: helpers.0.stratgy: unknown key"]
        detail = str(screen.query_one("#detail").render())
        assert "invalid" in detail and "stratgy" in detail
        await pilot.press("down")
        detail = str(screen.query_one("#detail").render())
        assert "ada: reflective" in detail and "bo: distraction" in detail
        await pilot.press("up", "r")  # starting an invalid scenario only warns
        assert isinstance(app.screen, BrowserScreen)


async def test_start_watch_live_and_finish(env) -> None:
    db, scen = env
    seen: list = []
    app = create_app(db, [scen])
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await wait_for(pilot, lambda: len(app.screen.entries) == 2)  # type: ignore[attr-defined]
        app.screen.query_one("#seed").value = "42"
        await pilot.press("down", "r")
        assert isinstance(app.screen, LiveScreen)
        await wait_for(pilot, lambda: any(isinstance(m, msg.SessionFinished) for m in seen))
        live = app.screen
        finished = next(m for m in seen if isinstance(m, msg.SessionFinished))
        assert finished.status == "completed" and finished.session_id
        assert live.query_one("#public", ChannelLog).count == 2 * 2 + 2 * 3  # induction: user + target; each round: 2 helpers + target
        assert live.query_one("#coordination", ChannelLog).count == 4
        assert live.query_one("#interventions", InterventionLog).count == 4
        assert len(live.query_one("#chart", DistressChart).public) == 4
        assert any(isinstance(m, msg.CallStarted) for m in seen)
        rows = app.backend.sessions()
        started = next(e for e in app.backend.events(finished.session_id) if e.kind == "session_started")
        assert started.seed == 42 and len(rows) == 3


async def test_cancel_is_clean_and_the_session_resumes(env, monkeypatch) -> None:
    db, scen = env
    import village.models.scripted as scripted_mod

    slow = {"on": True}
    original = scripted_mod.ScriptedModel.__call__

    def slowed(self, messages, index):
        if slow["on"]:
            time.sleep(0.3)
        return original(self, messages, index)

    monkeypatch.setattr(scripted_mod.ScriptedModel, "__call__", slowed)
    seen: list = []
    app = create_app(db, [scen])
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await wait_for(pilot, lambda: len(app.screen.entries) == 2)  # type: ignore[attr-defined]
        await pilot.press("down", "r")
        live = app.screen
        await wait_for(pilot, lambda: live.query_one("#public", ChannelLog).count >= 3)
        await pilot.press("c")
        await wait_for(pilot, lambda: any(isinstance(m, msg.SessionFinished) for m in seen))
        sid = live.session_id
        assert live.status == "cancelled"
        row = app.backend.store.session(sid)
        assert row.status == "cancelled"
        kept = len(app.backend.events(sid))
        assert kept > 3 and not any(e.kind == "session_ended" for e in app.backend.events(sid))
        slow["on"] = False
        await asyncio.sleep(0.5)  # let the abandoned call finish in its thread
        await pilot.press("escape", "l")
        lib = app.screen
        assert isinstance(lib, LibraryScreen)
        await wait_for(pilot, lambda: len(lib.shown) == 3)
        index = [r.id for r in lib.shown].index(sid)
        lib.query_one("#sessions").move_cursor(row=index)
        seen.clear()
        await pilot.press("R")
        await wait_for(pilot, lambda: any(isinstance(m, msg.SessionFinished) for m in seen))
        assert app.backend.store.session(sid).status == "completed"
        keys = [e.key for e in app.backend.events(sid)]
        assert len(keys) == len(set(keys)) and keys.count("end") == 1


async def test_library_filters_and_compares(env) -> None:
    db, scen = env
    app = create_app(db, [scen])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        lib = app.screen
        await wait_for(pilot, lambda: len(lib.rows) == 2)
        await pilot.press("slash", *"a1b2")
        assert [r.id for r in lib.shown] == ["a1b2c3d4e5f6"]
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-01 completed reflective", "enter")
        assert len(lib.shown) == 2
        await pilot.press("space", "down", "space", "c")
        assert isinstance(app.screen, CompareScreen)
        table = app.screen.query_one("#metrics")
        await wait_for(pilot, lambda: table.row_count > 5)
        assert [str(c.label) for c in table.columns.values()] == ["metric", "0f9e8d7c6b5a", "a1b2c3d4e5f6"]


async def test_replay_steps_jumps_and_switches_perspective(env) -> None:
    db, scen = env
    app = create_app(db, [scen], replay="a1b2c3d4e5f6")
    async with app.run_test(size=(100, 30)) as pilot:
        rep = app.screen
        assert isinstance(rep, ReplayScreen)
        await wait_for(pilot, lambda: rep.replay is not None)
        last = len(rep.replay) - 1
        assert rep.step == last
        await pilot.press("home")
        assert rep.step == 0
        assert rep.query_one("#public", ChannelLog).count == 1  # the user's question only
        await pilot.press("right", "right", "left")
        assert rep.step == 1
        await pilot.press("t", "2", "enter")
        target_turn_step = rep.replay.step_of_turn(2)
        assert rep.step == target_turn_step
        assert rep.query_one("#coordination", ChannelLog).count == 2  # round 1 coordination
        await pilot.press("p")
        assert rep.perspective == "gem"
        assert rep.query_one("#coordination", ChannelLog).count == 0  # the target never sees it
        calls = [e for e in rep.replay.events[: rep.replay.steps[rep.step].position + 1] if e.kind == "model_called" and e.agent == "gem"]
        assert rep.frame.prompt == calls[-1].messages  # the exact messages of gem's latest call
        await pilot.press("p")
        assert rep.perspective == "ada"
        assert rep.query_one("#coordination", ChannelLog).count == 2
        assert rep.query_one("#notebook", ChannelLog).count == 0  # ada cannot read the target's notebook
        await pilot.press("end")
        assert rep.step == last


async def test_help_screen(env) -> None:
    db, scen = env
    app = create_app(db, [scen])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BrowserScreen)
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before


async def test_timeline_click_scrubs(env) -> None:
    db, scen = env
    app = create_app(db, [scen], replay="a1b2c3d4e5f6")
    async with app.run_test(size=(100, 30)) as pilot:
        rep = app.screen
        await wait_for(pilot, lambda: rep.replay is not None)
        await pilot.click("#timeline", offset=(1, 0))
        assert rep.step <= 1
        width = rep.query_one("#timeline").size.width
        await pilot.click("#timeline", offset=(width // 2, 0))
        assert abs(rep.step - len(rep.replay) // 2) <= 2


def test_replay_plain_prints_every_step(env) -> None:
    import subprocess
    import sys

    db, _ = env
    cmd = [sys.executable, "-m", "village.cli.main", "replay", "a1b2", "--db", db, "--plain"]
    everything = subprocess.run(cmd, capture_output=True, text=True)
    assert everything.returncode == 0, everything.stderr
    lines = everything.stdout.splitlines()
    assert lines[0].startswith("[1/31] induction user → public: ")
    assert any("ada → coordination" in x for x in lines) and lines[-1].endswith("session ended: completed")
    target = subprocess.run([*cmd, "--perspective", "gem"], capture_output=True, text=True).stdout
    assert "coordination" not in target and "scratchpad" not in target and "gem → notebook.gem" in target
    bad = subprocess.run([*cmd, "--perspective", "nobody"], capture_output=True, text=True)
    assert bad.returncode == 1 and "unknown perspective 'nobody'" in bad.stderr
