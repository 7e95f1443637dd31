"""A session killed mid-run continues with resume: no event lost, none written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from village.engine.runner import resume_session, run_session
from village.errors import VillageError
from village.events import MessagePosted, ModelCalled, SessionEnded, SessionResumed
from village.scenario.loader import load_scenario

from .conftest import completion_payload, run, scripted


class Crash(BaseException):
    """Stands in for the process dying in the middle of a model call."""


def target_fn(crash_at: int | None):
    state = {"crashed": False}

    def fn(messages, i):
        if crash_at is not None and i == crash_at and not state["crashed"]:
            state["crashed"] = True
            raise Crash()
        return f"reply {i}: I'm sorry, that was careless of me."

    return fn


def helper_fn(messages, i):
    return f"helper output {i}"


def fingerprint(events):
    """What a session said and did, without timings or resume markers."""
    out = []
    for e in events:
        if isinstance(e, SessionResumed):
            continue
        if isinstance(e, ModelCalled):
            out.append((e.key, e.output, json.dumps(e.messages)))
        elif isinstance(e, MessagePosted):
            out.append((e.key, e.channel, e.text))
        else:
            out.append((e.key, e.kind))
    return out


@pytest.mark.parametrize("crash_at", [1, 4, 6])
def test_resume_after_crash_matches_an_uninterrupted_run(make_scenario, store, crash_at: int) -> None:
    def scenario(target_model: str) -> Path:
        return make_scenario(
            target={"model": target_model},
            helpers=[{"name": "ada", "strategy": "reflective", "model": scripted(helper_fn)}],
            schedule={"rounds": 3},
        )

    reference = run(run_session(load_scenario(scenario(scripted(target_fn(None)))), store))
    holder: dict[str, str] = {}
    with pytest.raises(Crash):
        run(run_session(load_scenario(scenario(scripted(target_fn(crash_at)))), store, on_session=lambda s: holder.update(id=s)))
    sid = holder["id"]
    assert store.session(sid).status == "running"
    before = store.events(sid)
    assert not any(isinstance(e, SessionEnded) for e in before)

    run(resume_session(sid, store))
    after = store.events(sid)
    keys = [e.key for e in after]
    assert len(keys) == len(set(keys)), "an event was written twice"
    assert [e.key for e in before] == keys[: len(before)], "an event recorded before the crash was lost or moved"
    assert fingerprint(after) == fingerprint(store.events(reference))
    assert Counter(type(e).__name__ for e in after)["SessionResumed"] == 1
    assert store.session(sid).status == "completed"


def test_resume_refuses_an_ended_session(make_scenario, store) -> None:
    sid = run(run_session(load_scenario(make_scenario()), store))
    with pytest.raises(VillageError, match="has ended"):
        run(resume_session(sid, store))


def test_sigkill_mid_run_then_village_resume(tmp_path, openai_server, monkeypatch) -> None:
    """The real thing: `village run` against a slow local server, killed with SIGKILL, then `village resume`."""

    def script(n, body):
        time.sleep(0.15)
        return 200, completion_payload(f"answer {n}: sorry, let me look again"), {}

    server = openai_server(script)
    monkeypatch.setenv("TEST_KEY", "sk-test-0123456789abcdefghij")
    model = {"name": "openai/test-model", "api_base": server.url, "api_key_env": "TEST_KEY", "max_retries": 1}
    scen = tmp_path / "s.yaml"
    import yaml

    scen.write_text(yaml.safe_dump({
        "name": "killme", "target": {"name": "gem", "model": model},
        "induction": {"turns": 2}, "helpers": [{"name": "ada", "strategy": "reflective", "model": model}],
        "schedule": {"rounds": 4, "stop": {"recovered": None}},
    }))
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "village.cli.main"]
    env = {**os.environ, "VILLAGE_DB": str(db)}
    proc = subprocess.Popen([*cmd, "run", str(scen), "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while len(server.requests) < 12 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    listed = json.loads(subprocess.run([*cmd, "sessions", "--json"], env=env, capture_output=True, text=True).stdout)
    (row,) = listed
    assert row["status"] == "running"
    done = subprocess.run([*cmd, "resume", row["id"][:6], "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "completed"
    shown = json.loads(subprocess.run([*cmd, "show", row["id"], "--json"], env=env, capture_output=True, text=True).stdout)
    keys = [e["key"] for e in shown["events"]]
    assert len(keys) == len(set(keys))
    assert [e["seq"] for e in shown["events"]] == list(range(1, len(keys) + 1))
    replies = [e for e in shown["events"] if e["kind"] == "message_posted" and e["agent"] == "gem" and e["channel"] == "public"]
    assert len(replies) == 2 + 4
    # every call made was recorded once: the server saw no more calls than the log holds, plus at most the one cut off
    calls = [e for e in shown["events"] if e["kind"] == "model_called"]
    assert len(server.requests) - len(calls) in (0, 1)
    for f in tmp_path.glob("k*.db*"):
        assert b"sk-test-0123456789abcdefghij" not in f.read_bytes(), f"secret found in {f.name}"
