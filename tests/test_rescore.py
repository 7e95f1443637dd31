"""Rescoring stored sessions: new ratings beside the old, cached LLM answers, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

from village.engine.runner import run_session
from village.events import DistressRated, InterventionLabeled, ModelCalled
from village.models.litellm_adapter import LiteLLMClient
from village.scenario.loader import load_scenario
from village.scenario.schema import ModelSpec
from village.scoring.judges import LLMJudge
from village.scoring.labels import LLMClassifier
from village.scoring.rescore import relabel, rescore

from .conftest import run, scripted


def judge_fn(messages, i):
    text = messages[-1]["content"]
    if "refuse-me" in text:
        return "I'm sorry, I can't help with that."
    return json.dumps({"evidence": "sorry", "rating": 3 if "sorry" in text.lower() else 0})


def test_rescore_adds_a_second_judge_and_caches_answers(make_scenario, store) -> None:
    path = make_scenario(target={"model": {"scripted": ["I'm sorry, let me try again.", "refuse-me please"]}})
    sid1 = run(run_session(load_scenario(path), store))
    sid2 = run(run_session(load_scenario(path), store))  # same texts
    model = scripted(judge_fn)
    judge = LLMJudge(model)
    spec = ModelSpec(name=model, temperature=0)
    client = LiteLLMClient()
    before = [e for e in store.events(sid1) if isinstance(e, DistressRated)]

    first = run(rescore(store, sid1, judge, client, spec))
    n = len(before)
    assert first.added == n and first.calls == 2 and first.cached == n - 2  # two distinct texts; repeats come from the cache
    after = store.events(sid1)
    new = [e for e in after if isinstance(e, DistressRated) and e.judge == judge.name]
    assert len(new) == n and [e for e in after if isinstance(e, DistressRated) and e.judge == "lexical"] == before
    assert {e.status for e in new} == {"ok", "refused"}
    assert all(e.rubric_hash == judge.rubric_hash for e in new)

    again = run(rescore(store, sid1, judge, client, spec))
    assert (again.added, again.existing, again.calls) == (0, n, 0)

    other = run(rescore(store, sid2, judge, client, spec))
    assert other.added == n and other.calls == 0 and other.cached == n
    judge_calls = [e for e in store.events(sid2) if isinstance(e, ModelCalled) and e.agent == "judge"]
    assert judge_calls == []


def test_relabel_with_an_llm_classifier(make_scenario, store) -> None:
    sid = run(run_session(load_scenario(make_scenario()), store))
    model = scripted(lambda m, i: '{"labels": ["question", "surfacing_assumption"], "primary": "surfacing_assumption"}')
    res = run(relabel(store, sid, LLMClassifier(model), LiteLLMClient(), ModelSpec(name=model)))
    labels = [e for e in store.events(sid) if isinstance(e, InterventionLabeled)]
    assert res.added == 4 and {e.classifier for e in labels} == {"embedded", f"llm:{model}"}
    assert all(e.primary == "surfacing_assumption" for e in labels if e.classifier.startswith("llm:"))


def village(*args, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "village.cli.main", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_score_report_agreement_cli(tmp_path, openai_server) -> None:
    from .conftest import completion_payload

    scen = tmp_path / "s.yaml"
    scen.write_text(
        "name: rep\ntarget:\n  name: gem\n  model:\n    scripted: [\"I'm useless, I hate myself.\", \"ok\", \"I'm useless.\", \"ok\", \"Thanks, I feel calmer.\", \"ok\", \"Calmer.\", \"ok\", \"Fine now.\", \"ok\"]\n"
        "induction:\n  turns: 2\nhelpers:\n  - name: ada\n    strategy: reflective\n    model:\n      scripted: [\"You sound really frustrated. What are you assuming?\"]\n"
        "schedule:\n  rounds: 3\n  stop:\n    recovered: null\n"
    )
    sid = json.loads(village("run", str(scen), "--json").stdout)["session_id"]
    server = openai_server(lambda n, body: (200, completion_payload('{"evidence": "x", "rating": 4}'), {}))
    scored = village("score", sid, "--judge", "openai/judge", "--api-base", server.url, "--api-key-env", "JK",
                     "--classifier", "embedded", "--json", env={"JK": "k-123456"})
    assert scored.returncode == 0, scored.stderr
    row = json.loads(scored.stdout)[0]
    assert row["judge"] == "llm:openai/judge" and row["added"] == 10 and row["labels"]["existing"] == 3

    rep = json.loads(village("report", sid, "--json").stdout)
    assert rep["judge"] == "lexical" and rep["judges"] == ["lexical", "llm:openai/judge"]
    assert rep["metrics"]["pre"] >= 5 and len(rep["curve"]) == 5
    assert {s["name"] for s in rep["signals"]} >= {"echo", "move_diversity", "silent_agreement", "repeated_move"}
    assert rep["agreement"][0]["n_pairs"] == 10  # public and notebook messages
    other = json.loads(village("report", sid, "--json", "--judge", "llm:openai/judge").stdout)
    assert [c["rating"] for c in other["curve"]] == [4.0] * 5

    shown = village("report", sid)
    for part in ("distress curve", "recovery", "time to recovery", "interventions: declared vs observed", "attribution",
                 "helper-group signals", "judge agreement"):
        assert part in shown.stdout, part

    agree = village("agreement", sid, "--judges", "lexical,openai/judge", "--json")
    assert agree.returncode == 0, agree.stderr
    assert json.loads(agree.stdout)["n_pairs"] == 10
    missing = village("agreement", sid, "--judges", "lexical,nobody")
    assert missing.returncode == 1 and "no ratings by nobody" in missing.stderr
