"""SQLModel tables. Only the store package touches them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class SessionRow(SQLModel, table=True):
    """One village session: a summary row kept up to date as events arrive."""

    __tablename__ = "sessions"

    id: str = Field(primary_key=True)
    scenario_name: str = Field(index=True)
    scenario_path: str = ""
    seed: int = 0
    status: str = Field(default="running", index=True)
    """running, interrupted, completed, recovered, budget, error, cancelled."""
    reason: str = ""
    target_model: str = ""
    strategies: str = ""
    """Comma-separated helper strategies ('' for the no-helper control)."""
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None
    tokens: int = 0
    cost_usd: float = 0.0
    target_turns: int = 0
    last_rating: float | None = None


class EventRow(SQLModel, table=True):
    """One event, appended and never edited. `data` is the event's full JSON."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("session_id", "key", name="uq_event_key"),
        UniqueConstraint("session_id", "seq", name="uq_event_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(index=True, foreign_key="sessions.id")
    seq: int
    key: str
    kind: str = Field(index=True)
    at: datetime
    data: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class MigrationRow(SQLModel, table=True):
    """Which named migrations have run, in order."""

    __tablename__ = "village_migrations"

    name: str = Field(primary_key=True)
    applied_at: datetime


class CacheRow(SQLModel, table=True):
    """Answers of LLM judges and classifiers, by (namespace, rubric, exact prompt): rescoring the same text twice costs no call."""

    __tablename__ = "answer_cache"

    key: str = Field(primary_key=True)
    """sha256 of namespace, rubric hash and the exact messages."""
    namespace: str = Field(index=True)
    """The judge or classifier name."""
    answer: str
    created_at: datetime


class SweepRow(SQLModel, table=True):
    """A comparison of helper strategies: its definition and state."""

    __tablename__ = "sweeps"

    id: str = Field(primary_key=True)
    name: str = ""
    spec: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = "running"
    """running, interrupted, completed, budget."""
    created_at: datetime


class SweepCellRow(SQLModel, table=True):
    """One session of a sweep: which unit (target model, seed) and which arm it is."""

    __tablename__ = "sweep_cells"
    __table_args__ = (UniqueConstraint("sweep_id", "cell", name="uq_sweep_cell"),)

    id: int | None = Field(default=None, primary_key=True)
    sweep_id: str = Field(index=True, foreign_key="sweeps.id")
    cell: str
    """target|arm|seed."""
    arm: str
    target_model: str
    seed: int
    role: str
    """base (the shared induction), arm (a fork of the base) or control (a whole session)."""
    session_id: str | None = None
