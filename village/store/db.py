"""The store: the only code that writes SQL. Any SQLAlchemy URL works; a plain
path means a SQLite file."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, create_engine, func, select

from village.errors import SessionNotFound, StoreError
from village.events import Event, SessionEnded, parse_event
from village.redact import redact
from village.store.migrations import migrate
from village.store.tables import CacheRow, EventRow, SessionRow, SweepCellRow, SweepRow


def to_url(db: str | Path) -> str:
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite:///"):
        return None
    rest = url.removeprefix("sqlite:///")
    return None if rest in ("", ":memory:") else Path(rest)


class Store:
    """Sessions and their append-only events."""

    def __init__(self, db: str | Path):
        self.url = to_url(db)
        path = sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(self.url)
        except Exception as exc:  # bad URL, missing driver
            raise StoreError(f"{db}: cannot open database: {exc}") from None
        if self.url.startswith("sqlite"):
            sa_event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            migrate(self.engine)
        except OperationalError as exc:
            raise StoreError(f"{db}: cannot open database: {exc.orig}") from None

    def close(self) -> None:
        self.engine.dispose()

    # sessions -----------------------------------------------------------
    def create_session(
        self, scenario_name: str, scenario_path: str, seed: int, target_model: str, strategies: str,
        session_id: str | None = None, started_at: datetime | None = None,
    ) -> str:
        sid = session_id or uuid.uuid4().hex[:12]
        with Session(self.engine) as s:
            s.add(
                SessionRow(
                    id=sid,
                    scenario_name=scenario_name,
                    scenario_path=scenario_path,
                    seed=seed,
                    target_model=target_model,
                    strategies=strategies,
                    started_at=started_at or datetime.now(UTC),
                )
            )
            s.commit()
        return sid

    def session(self, sid: str) -> SessionRow:
        with Session(self.engine) as s:
            row = s.get(SessionRow, sid)
            if row is None:
                raise SessionNotFound(f"no session '{sid}' in {self.url}")
            return row

    def resolve(self, prefix: str) -> str:
        """A full session id from a unique prefix."""
        with Session(self.engine) as s:
            ids = s.exec(select(SessionRow.id).where(col(SessionRow.id).startswith(prefix)).limit(2)).all()
        if not ids:
            raise SessionNotFound(f"no session '{prefix}' in {self.url}")
        if len(ids) > 1:
            raise SessionNotFound(f"'{prefix}' matches several sessions; give more characters")
        return ids[0]

    def sessions(self, limit: int | None = None, status: str | None = None, scenario: str | None = None) -> list[SessionRow]:
        with Session(self.engine) as s:
            q = select(SessionRow).order_by(col(SessionRow.started_at).desc())
            if status:
                q = q.where(SessionRow.status == status)
            if scenario:
                q = q.where(SessionRow.scenario_name == scenario)
            if limit:
                q = q.limit(limit)
            return list(s.exec(q).all())

    def update_session(self, sid: str, **fields: Any) -> None:
        with Session(self.engine) as s:
            row = s.get(SessionRow, sid)
            if row is None:
                raise SessionNotFound(f"no session '{sid}'")
            for k, v in fields.items():
                setattr(row, k, v)
            s.add(row)
            s.commit()

    # events ---------------------------------------------------------------
    def append(self, sid: str, event: Event, seq: int | None = None) -> tuple[int, bool]:
        """Append an event; returns (seq, inserted). An event whose key exists is not written again.

        A writer that already knows the next sequence number (the recorder does) passes `seq`: the
        event is then written in one INSERT, and a clash falls back to the checked path below."""
        data = json.loads(redact(event.model_dump_json()))
        if seq is not None:
            table = EventRow.__table__  # type: ignore[attr-defined]
            try:
                with self.engine.begin() as conn:
                    conn.execute(table.insert().values(session_id=sid, seq=seq, key=event.key, kind=event.kind, at=event.at, data=data))
                    if isinstance(event, SessionEnded):
                        rows = SessionRow.__table__  # type: ignore[attr-defined]
                        conn.execute(rows.update().where(rows.c.id == sid).values(status=event.status, reason=event.reason, ended_at=event.at))
                return seq, True
            except IntegrityError:
                pass
        with Session(self.engine) as s:
            existing = s.exec(select(EventRow.seq).where(EventRow.session_id == sid, EventRow.key == event.key)).first()
            if existing is not None:
                return existing, False
            last = s.exec(select(func.max(EventRow.seq)).where(EventRow.session_id == sid)).one()
            seq = (last or 0) + 1
            s.add(EventRow(session_id=sid, seq=seq, key=event.key, kind=event.kind, at=event.at, data=data))
            if isinstance(event, SessionEnded):
                row = s.get(SessionRow, sid)
                if row is not None:
                    row.status, row.reason, row.ended_at = event.status, event.reason, event.at
                    s.add(row)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                got = s.exec(select(EventRow.seq).where(EventRow.session_id == sid, EventRow.key == event.key)).first()
                if got is None:
                    raise
                return got, False
        return seq, True

    def events(self, sid: str, kinds: Iterable[str] | None = None) -> list[Event]:
        return [e for _, e in self.events_with_seq(sid, kinds)]

    def events_with_seq(self, sid: str, kinds: Iterable[str] | None = None) -> list[tuple[int, Event]]:
        with Session(self.engine) as s:
            q = select(EventRow.seq, EventRow.data).where(EventRow.session_id == sid)
            if kinds is not None:
                q = q.where(col(EventRow.kind).in_(list(kinds)))
            rows = s.exec(q.order_by(col(EventRow.seq))).all()
        return [(seq, parse_event(dict(data))) for seq, data in rows]

    # answer cache ---------------------------------------------------------
    def cache_get(self, key: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(CacheRow, key)
            return row.answer if row else None

    def cache_put(self, key: str, namespace: str, answer: str) -> None:
        with Session(self.engine) as s:
            if s.get(CacheRow, key) is None:
                s.add(CacheRow(key=key, namespace=namespace, answer=redact(answer), created_at=datetime.now(UTC)))
                try:
                    s.commit()
                except IntegrityError:
                    s.rollback()

    # sweeps -------------------------------------------------------------------
    def create_sweep(self, name: str, spec: dict[str, Any]) -> str:
        sid = "sw" + uuid.uuid4().hex[:10]
        with Session(self.engine) as s:
            s.add(SweepRow(id=sid, name=name, spec=spec, created_at=datetime.now(UTC)))
            s.commit()
        return sid

    def sweep(self, sweep_id: str) -> SweepRow:
        with Session(self.engine) as s:
            rows = s.exec(select(SweepRow).where(col(SweepRow.id).startswith(sweep_id)).limit(2)).all()
        if len(rows) != 1:
            raise SessionNotFound(f"no sweep '{sweep_id}' in {self.url}" if not rows else f"'{sweep_id}' matches several sweeps")
        return rows[0]

    def sweeps(self) -> list[SweepRow]:
        with Session(self.engine) as s:
            return list(s.exec(select(SweepRow).order_by(col(SweepRow.created_at).desc())).all())

    def set_sweep_status(self, sweep_id: str, status: str) -> None:
        with Session(self.engine) as s:
            row = s.get(SweepRow, sweep_id)
            if row is not None:
                row.status = status
                s.add(row)
                s.commit()

    def cells(self, sweep_id: str) -> list[SweepCellRow]:
        with Session(self.engine) as s:
            return list(s.exec(select(SweepCellRow).where(SweepCellRow.sweep_id == sweep_id).order_by(col(SweepCellRow.id))).all())

    def set_cell(self, sweep_id: str, cell: str, arm: str, target_model: str, seed: int, role: str, session_id: str) -> None:
        with Session(self.engine) as s:
            row = s.exec(select(SweepCellRow).where(SweepCellRow.sweep_id == sweep_id, SweepCellRow.cell == cell)).first()
            row = row or SweepCellRow(sweep_id=sweep_id, cell=cell, arm=arm, target_model=target_model, seed=seed, role=role)
            row.session_id = session_id
            s.add(row)
            s.commit()

    def event_count(self, sid: str) -> int:
        with Session(self.engine) as s:
            return int(s.exec(select(func.count()).select_from(EventRow).where(EventRow.session_id == sid)).one())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
