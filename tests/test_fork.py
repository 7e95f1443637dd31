"""Counterfactual forks: same history up to the fork, other helpers after it."""

from __future__ import annotations

import pytest

from village.engine.runner import fork_session, run_session
from village.errors import VillageError
from village.events import InterventionMade, MessagePosted, SessionStarted
from village.scenario.loader import load_scenario

from .conftest import run


def texts(events, upto=None):
    return [(e.key, e.text) for e in events if isinstance(e, MessagePosted)][:upto]


def test_fork_after_the_induction_with_other_helpers(make_scenario, store) -> None:
    parent = run(run_session(load_scenario(make_scenario(schedule={"rounds": 2})), store))
    pev = store.events(parent)
    child = run(fork_session(parent, store, turn=1, overrides=["helpers.0.strategy=problem-solver", "helpers.1.strategy=problem-solver"]))
    cev = store.events(child)
    started = next(e for e in cev if isinstance(e, SessionStarted))
    assert started.parent_session == parent and started.fork_turn == 1
    shared = [(k, t) for k, t in texts(pev) if k.startswith("induction/")]
    assert texts(cev)[: len(shared)] == shared  # the same induction, word for word
    ivs = [e for e in cev if isinstance(e, InterventionMade)]
    assert {i.strategy for i in ivs} == {"problem-solver"} and len(ivs) == 4
    assert [i.strategy for i in pev if isinstance(i, InterventionMade)][:2] == ["reflective", "distraction"]
    keys = [e.key for e in cev]
    assert len(keys) == len(set(keys))
    assert store.session(child).status == "completed"
    assert store.session(child).strategies == "problem-solver,problem-solver"


def test_fork_mid_support_keeps_earlier_rounds(make_scenario, store) -> None:
    parent = run(run_session(load_scenario(make_scenario(schedule={"rounds": 3})), store))
    child = run(fork_session(parent, store, turn=2, overrides=["helpers=[]"]))
    cev = store.events(child)
    rounds = sorted({e.round for e in cev if isinstance(e, InterventionMade)})
    assert rounds == [1]  # round 1 copied from the parent, none after (no helpers)
    users = [e for e in cev if isinstance(e, MessagePosted) and e.agent == "user" and e.round >= 2]
    assert len(users) == 2  # the no-helper control speaks in rounds 2 and 3
    assert store.session(child).status == "completed"


def test_fork_rejects_a_turn_out_of_range(make_scenario, store) -> None:
    parent = run(run_session(load_scenario(make_scenario()), store))
    with pytest.raises(VillageError, match="target turns 0 to 3"):
        run(fork_session(parent, store, turn=9))


def test_fork_cli_and_replay_of_the_fork(tmp_path, make_scenario) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "VILLAGE_DB": str(tmp_path / "f.db")}
    cli = [sys.executable, "-m", "village.cli.main"]
    path = make_scenario(schedule={"rounds": 2})
    parent = json.loads(subprocess.run([*cli, "run", str(path), "--json"], capture_output=True, text=True, env=env).stdout)["session_id"]
    r = subprocess.run([*cli, "fork", parent[:6], "--at", "12", "--set", "helpers=[]", "--json"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    child = json.loads(r.stdout)
    assert child["parent_session"] == parent and child["fork_turn"] == 1 and child["interventions"] == 0
    plain = subprocess.run([*cli, "replay", child["session_id"], "--plain"], capture_output=True, text=True, env=env).stdout
    assert plain.splitlines()[0] == f"forked from {parent} after target turn 1"
    bad = subprocess.run([*cli, "fork", parent, "--at", "999"], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "--at 999: step must be between 1 and" in bad.stderr
