"""The store: events round-trip, are never written twice, and never hold secrets."""

from __future__ import annotations

from village.events import DistressRated, MessagePosted, ModelCalled, SessionEnded
from village.store import Store
from village.store.migrations import MIGRATIONS, table_names


def test_round_trip_and_idempotent_append(store: Store) -> None:
    sid = store.create_session("s", "s.yaml", 1, "embedded/smollm2", "reflective")
    events = [
        MessagePosted(key="a", agent="user", channel="public", text="hi", phase="induction"),
        ModelCalled(key="b", agent="gem", purpose="reply", model="m", messages=[{"role": "user", "content": "hi"}], output="yo",
                    prompt_tokens=3, completion_tokens=1),
        DistressRated(key="c", message_key="a", channel="public", turn=0, judge="lexical", rubric_hash="x", rating=4.5, evidence="deeply"),
    ]
    for e in events:
        assert store.append(sid, e)[1] is True
    assert store.append(sid, events[0]) == (1, False)
    back = store.events(sid)
    assert back == events
    assert [s for s, _ in store.events_with_seq(sid)] == [1, 2, 3]
    assert store.events(sid, kinds=["distress_rated"]) == [events[2]]
    store.append(sid, SessionEnded(key="end", status="completed", reason="done"))
    row = store.session(sid)
    assert row.status == "completed" and row.ended_at is not None
    assert store.resolve(sid[:5]) == sid


def test_migrations_are_recorded_once(tmp_path) -> None:
    a = Store(tmp_path / "m.db")
    assert {"sessions", "events", "village_migrations"} <= set(table_names(a.engine))
    a.close()
    b = Store(tmp_path / "m.db")  # reopening applies nothing new
    from village.store.migrations import migrate

    assert migrate(b.engine) == []
    assert [m[0] for m in MIGRATIONS] == sorted(m[0] for m in MIGRATIONS)


def test_sqlalchemy_url_works(tmp_path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'url.db'}")
    sid = s.create_session("s", "", 0, "m", "")
    assert s.sessions()[0].id == sid


def test_secrets_are_redacted_before_storage(store: Store, monkeypatch) -> None:
    monkeypatch.setenv("MY_PROVIDER_API_KEY", "super-secret-value-123")
    sid = store.create_session("s", "", 0, "m", "")
    store.append(sid, ModelCalled(key="k", agent="gem", purpose="reply", model="m", messages=[], output=None,
                                  error="AuthenticationError: bad key super-secret-value-123 / sk-abcdefghijklmnopqrstuvwxyz"))
    (e,) = store.events(sid)
    assert "super-secret" not in (e.error or "") and "sk-abcdef" not in (e.error or "")
    assert e.error.count("[REDACTED]") == 2


def test_bad_database_is_a_clear_error(tmp_path) -> None:
    import pytest

    from village.errors import StoreError

    with pytest.raises(StoreError, match="cannot open database"):
        Store("nosuchdriver://x/y")
