"""The orchestrator: routing, stop conditions, budgets, failures, induction variants."""

from __future__ import annotations

from village.engine.runner import run_session
from village.events import (
    DistressRated,
    InterventionMade,
    MessagePosted,
    ModelCalled,
    ScratchpadRevised,
    SessionEnded,
    SessionStarted,
)
from village.induction.protocol import NEUTRAL_FOLLOW_UPS, OMITTED, REJECTIONS
from village.induction.puzzles import PUZZLES
from village.scenario.loader import load_scenario

from .conftest import run, scripted


def session(make_scenario, store, **over):
    sid = run(run_session(load_scenario(make_scenario(**over)), store))
    return sid, store.events(sid)


def of(events, cls):
    return [e for e in events if isinstance(e, cls)]


def public(events, agent=None):
    return [e for e in of(events, MessagePosted) if e.channel == "public" and (agent is None or e.agent == agent)]


def test_induction_then_rounds_in_order(make_scenario, store) -> None:
    sid, events = session(make_scenario, store, induction={"turns": 3, "tone": "aggressive"}, schedule={"rounds": 2})
    users = public(events, "user")
    assert users[0].text == PUZZLES["countdown-156"].prompt
    assert all(u.text in REJECTIONS["aggressive"] for u in users[1:])
    assert len(users) == 3
    assert len(public(events, "gem")) == 3 + 2
    ivs = of(events, InterventionMade)
    assert [(i.round, i.helper) for i in ivs] == [(1, "ada"), (1, "bo"), (2, "ada"), (2, "bo")]
    assert ivs[0].declared_types == ["surfacing_assumption", "restatement", "question", "reflection_of_feelings"]
    # per round: coordination before interventions before the target's reply
    kinds = [(e.channel, e.agent) for e in of(events, MessagePosted) if e.round == 1 and e.channel != "notebook.gem"]
    assert kinds == [("coordination", "ada"), ("coordination", "bo"), ("public", "ada"), ("public", "bo"), ("public", "gem")]
    assert len(of(events, ScratchpadRevised)) == 4
    end = of(events, SessionEnded)[0]
    assert end.status == "completed"
    assert store.session(sid).status == "completed"
    started = of(events, SessionStarted)[0]
    assert started.snapshot["scenario"]["induction"]["tone"] == "aggressive"
    assert started.models["gem"] == "scripted"


def test_every_target_message_is_rated_public_and_notebook_separately(make_scenario, store) -> None:
    _, events = session(make_scenario, store)
    ratings = of(events, DistressRated)
    rated = {r.message_key for r in ratings}
    target_msgs = [e for e in of(events, MessagePosted) if e.agent == "gem"]
    assert {m.key for m in target_msgs} == rated
    assert {r.channel for r in ratings} == {"public", "notebook.gem"}
    assert all(r.judge == "lexical" and r.rating is not None for r in ratings)


def test_neutral_follow_up_control(make_scenario, store) -> None:
    _, events = session(make_scenario, store, induction={"turns": 3, "follow_up": "neutral"})
    assert all(u.text in NEUTRAL_FOLLOW_UPS for u in public(events, "user")[1:])


def test_no_helper_control_continues_with_neutral_follow_ups(make_scenario, store) -> None:
    _, events = session(make_scenario, store, helpers=[], schedule={"rounds": 2})
    users = public(events, "user")
    assert len(users) == 2 + 2
    assert all(u.text in NEUTRAL_FOLLOW_UPS for u in users[2:])
    assert of(events, InterventionMade) == []


def test_recovered_stop_needs_distress_first_then_k_calm_turns(make_scenario, store) -> None:
    def target(messages, i):
        if "[Private notebook]" in messages[-1]["content"]:
            return "A note."
        said = sum(1 for m in messages if m["role"] == "assistant")
        return "I'm useless, I hate myself. I'm losing my mind." if said < 2 else "Thanks, that helps. Let me check my steps."

    _sid, events = session(
        make_scenario, store,
        target={"model": scripted(target)},
        schedule={"rounds": 6, "stop": {"recovered": {"threshold": 2, "turns": 2}}},
    )
    curve = [r.rating for r in of(events, DistressRated) if r.channel == "public"]
    assert curve[:2] == [6.0, 6.0] and curve[2:] == [0.0, 0.0]
    end = of(events, SessionEnded)[0]
    assert end.status == "recovered" and end.round == 2


def test_calm_target_is_not_called_recovered(make_scenario, store) -> None:
    _, events = session(
        make_scenario, store,
        target={"model": {"scripted": ["Here is my answer: 100 + 25 + 6 + 4 = 135."]}},
        schedule={"rounds": 3, "stop": {"recovered": {"threshold": 2, "turns": 1}}},
    )
    assert of(events, SessionEnded)[0].status == "completed"


def test_budget_ends_the_session_cleanly(make_scenario, store) -> None:
    sid, events = session(make_scenario, store, schedule={"rounds": 50, "stop": {"budget_tokens": 400, "recovered": None}})
    end = of(events, SessionEnded)[0]
    assert end.status == "budget"
    calls = of(events, ModelCalled)
    used_before_last = sum(c.prompt_tokens + c.completion_tokens for c in calls[:-1])
    assert used_before_last < 400  # no call is started once the budget is spent
    assert store.session(sid).status == "budget"


def test_failing_target_model_is_recorded_and_ends_with_error(make_scenario, store) -> None:
    def broken(messages, i):
        raise RuntimeError("provider exploded")

    _sid, events = session(make_scenario, store, target={"model": scripted(broken)})
    calls = [c for c in of(events, ModelCalled) if c.agent == "gem"]
    assert len(calls) == 3 and all(c.output is None and "provider exploded" in (c.error or "") for c in calls)
    assert calls[0].attempts == 1 + 4  # retried with backoff, then recorded
    assert of(events, SessionEnded)[0].status == "error"


def test_failing_helper_is_skipped_not_fatal(make_scenario, store) -> None:
    def broken(messages, i):
        raise RuntimeError("rate limited forever")

    _, events = session(make_scenario, store, helpers=[
        {"name": "ada", "strategy": "reflective", "model": scripted(broken)},
        {"name": "bo", "strategy": "distraction", "model": {"scripted": ["Name three birds?"]}},
    ])
    assert {i.helper for i in of(events, InterventionMade)} == {"bo"}
    assert of(events, SessionEnded)[0].status == "completed"


def test_omit_own_history_replaces_earlier_replies(make_scenario, store) -> None:
    _, events = session(make_scenario, store, induction={"turns": 3, "history": "omit_own"}, schedule={"rounds": 0})
    replies = [c for c in of(events, ModelCalled) if c.agent == "gem" and c.purpose == "reply"]
    last = replies[-1].messages
    assistant = [m["content"] for m in last if m["role"] == "assistant"]
    assert assistant == [OMITTED, OMITTED]


def test_packed_history_is_one_user_message(make_scenario, store) -> None:
    _, events = session(make_scenario, store, induction={"turns": 3, "history": "packed"}, schedule={"rounds": 0})
    last = [c for c in of(events, ModelCalled) if c.agent == "gem" and c.purpose == "reply"][-1].messages
    assert [m["role"] for m in last] == ["system", "user"]
    assert "You: I am sorry" in last[1]["content"]


def test_prefilled_onset(make_scenario, store, tmp_path) -> None:
    (tmp_path / "onset.jsonl").write_text(
        '{"role": "user", "content": "Solve it."}\n{"role": "assistant", "content": "I am desperate, please make it stop."}\n'
    )
    _, events = session(make_scenario, store, induction={"protocol": "prefilled", "transcript": "onset.jsonl"}, schedule={"rounds": 1})
    first = of(events, DistressRated)[0]
    assert first.rating is not None and first.rating >= 7
    assert len(public(events, "gem")) == 2


def test_helper_order_rotates(make_scenario, store) -> None:
    _, events = session(make_scenario, store, schedule={"rounds": 2, "order": "rotate"})
    assert [i.helper for i in of(events, InterventionMade)] == ["ada", "bo", "bo", "ada"]


def test_same_seed_same_script(make_scenario, store) -> None:
    path = make_scenario(induction={"turns": 4, "tone": "sarcastic"})
    a = run(run_session(load_scenario(path), store))
    b = run(run_session(load_scenario(path), store))
    c = run(run_session(load_scenario(path), store, seed=99))
    texts = lambda sid: [e.text for e in public(store.events(sid), "user")]  # noqa: E731
    assert texts(a) == texts(b)
    assert of(store.events(c), SessionStarted)[0].seed == 99
