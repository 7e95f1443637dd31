"""Ordered, named schema migrations. Append new ones; never edit an applied one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from village.store.tables import EventRow, MigrationRow, SessionRow


def _initial(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn, tables=[SessionRow.__table__, EventRow.__table__])  # type: ignore[list-item]


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _initial),
]


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    applied: list[str] = []
    with engine.begin() as conn:
        SQLModel.metadata.create_all(conn, tables=[MigrationRow.__table__])  # type: ignore[list-item]
        done = {row[0] for row in conn.execute(MigrationRow.__table__.select().with_only_columns(MigrationRow.__table__.c.name))}  # type: ignore[attr-defined]
        for name, step in MIGRATIONS:
            if name in done:
                continue
            step(conn)
            conn.execute(MigrationRow.__table__.insert().values(name=name, applied_at=datetime.now(UTC)))  # type: ignore[attr-defined]
            applied.append(name)
    return applied


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
