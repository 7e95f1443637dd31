"""The terminal app. The only package that imports textual."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def create_app(db: str, scenario_dirs: list[Path], replay: str | None = None, step: int | None = None, theme: str | None = None,
               sweep: str | None = None) -> Any:
    """Build the app: the CLI and the tests both go through here."""
    from village.tui.app import VillageApp
    from village.tui.backend import Backend

    return VillageApp(Backend(db, scenario_dirs), replay=replay, replay_step=step, theme=theme, sweep=sweep)
