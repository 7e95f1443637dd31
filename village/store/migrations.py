"""Ordered, named schema migrations. Append new ones; never edit an applied one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from village.store.tables import CacheRow, EventRow, MigrationRow, SessionRow, SweepCellRow, SweepRow


def _initial(conn: Connection) -> None:
    tables = SQLModel.metadata.tables
    SQLModel.metadata.create_all(conn, tables=[tables[SessionRow.__tablename__], tables[EventRow.__tablename__]])  # type: ignore[index]


def _answer_cache(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables[CacheRow.__tablename__]])  # type: ignore[index]


def _sweeps(conn: Connection) -> None:
    tables = SQLModel.metadata.tables
    SQLModel.metadata.create_all(conn, tables=[tables[SweepRow.__tablename__], tables[SweepCellRow.__tablename__]])  # type: ignore[index]


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _initial),
    ("0002_answer_cache", _answer_cache),
    ("0003_sweeps", _sweeps),
]


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    applied: list[str] = []
    with engine.begin() as conn:
        table = SQLModel.metadata.tables[MigrationRow.__tablename__]  # type: ignore[index]
        SQLModel.metadata.create_all(conn, tables=[table])
        done = {row[0] for row in conn.execute(table.select().with_only_columns(table.c.name))}
        for name, step in MIGRATIONS:
            if name in done:
                continue
            step(conn)
            conn.execute(table.insert().values(name=name, applied_at=datetime.now(UTC)))
            applied.append(name)
    return applied


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
