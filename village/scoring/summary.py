"""A session's summary, computed from its events alone."""

from __future__ import annotations

from collections import Counter
from typing import Any

from village.events import (
    DistressRated,
    Event,
    InterventionMade,
    MessagePosted,
    ModelCalled,
    ScratchpadRevised,
    SessionEnded,
    SessionStarted,
)
from village.topology import PUBLIC, notebook


def target_name(events: list[Event]) -> str:
    started = next((e for e in events if isinstance(e, SessionStarted)), None)
    return str(started.snapshot["scenario"]["target"]["name"]) if started else "target"


def distress_curve(events: list[Event], channel: str = PUBLIC, judge: str | None = None) -> list[dict[str, Any]]:
    """[{turn, rating, status, evidence, phase, round}] for the target's messages in `channel`."""
    target = target_name(events)
    wanted = channel if channel == PUBLIC else notebook(target)
    messages = {e.key: e for e in events if isinstance(e, MessagePosted) and e.agent == target and e.channel == wanted}
    curve = []
    for e in events:
        if isinstance(e, DistressRated) and e.message_key in messages and (judge is None or e.judge == judge):
            m = messages[e.message_key]
            curve.append({"turn": e.turn, "rating": e.rating, "status": e.status, "evidence": e.evidence,
                          "phase": m.phase, "round": m.round, "judge": e.judge})
    return curve


def judges_used(events: list[Event]) -> list[str]:
    return list(dict.fromkeys(e.judge for e in events if isinstance(e, DistressRated)))


def session_summary(events: list[Event], session_id: str = "") -> dict[str, Any]:
    started = next((e for e in events if isinstance(e, SessionStarted)), None)
    ended = next((e for e in reversed(events) if isinstance(e, SessionEnded)), None)
    calls = [e for e in events if isinstance(e, ModelCalled)]
    ivs = [e for e in events if isinstance(e, InterventionMade)]
    judge = judges_used(events)[0] if judges_used(events) else None
    public = distress_curve(events, PUBLIC, judge)
    private = distress_curve(events, "notebook", judge)
    by_type: Counter[str] = Counter(t for iv in ivs for t in iv.declared_types)
    scenario = started.snapshot["scenario"] if started else {}
    wall = (events[-1].at - events[0].at).total_seconds() if events else 0.0
    return {
        "session_id": session_id,
        "scenario": started.scenario_name if started else None,
        "seed": started.seed if started else None,
        "models": started.models if started else {},
        "strategies": {h["name"]: h["strategy"] for h in scenario.get("helpers", [])},
        "status": ended.status if ended else "unfinished",
        "reason": ended.reason if ended else "",
        "judge": judge,
        "distress": [p["rating"] for p in public],
        "distress_induction": [p["rating"] for p in public if p["phase"] == "induction"],
        "distress_support": [p["rating"] for p in public if p["phase"] == "support"],
        "notebook_distress": [p["rating"] for p in private],
        "unrated": sum(1 for p in public + private if p["rating"] is None),
        "interventions": len(ivs),
        "interventions_by_type": dict(sorted(by_type.items())),
        "interventions_by_helper": dict(Counter(iv.helper for iv in ivs)),
        "scratchpad_revisions": sum(1 for e in events if isinstance(e, ScratchpadRevised)),
        "model_calls": len(calls),
        "failed_calls": sum(1 for c in calls if c.output is None),
        "prompt_tokens": sum(c.prompt_tokens for c in calls),
        "completion_tokens": sum(c.completion_tokens for c in calls),
        "tokens": sum(c.prompt_tokens + c.completion_tokens for c in calls),
        "cost_usd": round(sum(c.cost_usd or 0.0 for c in calls), 6),
        "wall_s": round(wall, 2),
    }
