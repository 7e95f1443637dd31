"""The village TUI: one app, built by :func:`create_app` for the CLI and the tests."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from village.tui.backend import Backend
from village.tui.screens.browser import BrowserScreen
from village.tui.screens.compare import CompareScreen
from village.tui.screens.help import HelpScreen
from village.tui.screens.library import LibraryScreen
from village.tui.screens.live import LiveScreen
from village.tui.screens.replay import ReplayScreen
from village.tui.screens.sweep import SweepScreen


class VillageApp(App[None]):
    CSS_PATH = "village.tcss"
    TITLE = "village"
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    def __init__(self, backend: Backend, replay: str | None = None, replay_step: int | None = None, theme: str | None = None,
                 sweep: str | None = None):
        super().__init__()
        self.backend = backend
        self.initial_sweep = sweep
        self.initial_replay = replay
        self.initial_step = replay_step
        if theme:
            self.theme = theme

    def on_mount(self) -> None:
        self.push_screen(BrowserScreen())
        if self.initial_replay:
            self.push_screen(ReplayScreen(self.initial_replay, self.initial_step))
        if self.initial_sweep:
            self.push_screen(SweepScreen(self.initial_sweep))

    def on_unmount(self) -> None:
        self.backend.close()

    def start_session(self, path: Path, seed: int | None, overrides: list[str]) -> None:
        self.push_screen(LiveScreen(path, seed, overrides))

    def resume_session(self, session_id: str) -> None:
        self.push_screen(LiveScreen(resume=session_id))

    def open_replay(self, session_id: str, step: int | None = None) -> None:
        self.push_screen(ReplayScreen(session_id, step))

    def open_compare(self, session_ids: list[str]) -> None:
        self.push_screen(CompareScreen(session_ids))

    def action_library(self) -> None:
        self.push_screen(LibraryScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
