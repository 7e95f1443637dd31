"""Paths and defaults, overridable with VILLAGE_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "transcripts/village.db"
DEFAULT_TRANSCRIPTS = "transcripts"


def db_location(cli_value: str | None = None) -> str:
    """--db, else VILLAGE_DB, else transcripts/village.db (a path or any SQLAlchemy URL)."""
    return cli_value or os.environ.get("VILLAGE_DB") or DEFAULT_DB


def transcripts_dir() -> Path:
    return Path(os.environ.get("VILLAGE_TRANSCRIPTS", DEFAULT_TRANSCRIPTS))


def scenarios_dir() -> Path:
    return Path(os.environ.get("VILLAGE_SCENARIOS", "scenarios"))


def checkpoint_path(db_url: str) -> Path:
    """LangGraph's checkpoints: VILLAGE_CHECKPOINTS, else beside a SQLite database, else transcripts/."""
    env = os.environ.get("VILLAGE_CHECKPOINTS")
    if env:
        return Path(env)
    if db_url.startswith("sqlite:///") and db_url.removeprefix("sqlite:///") not in ("", ":memory:"):
        db = Path(db_url.removeprefix("sqlite:///"))
        return db.with_name(db.stem + ".checkpoints.db")
    return transcripts_dir() / "checkpoints.db"
