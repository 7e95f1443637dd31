"""Counterfactual forks: continue a stored session from one of its turns with other helpers.

A fork is a new session. Its log starts with the parent's events up to the end
of the chosen target turn (same keys, same texts: the shared history is identical),
and its graph starts from the state the parent had there. Everything after that
point is new, with the modified scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from village.events import DistressRated, Event, MessagePosted, SessionEnded, SessionResumed, SessionStarted
from village.scenario.loader import LoadedScenario, validate_data
from village.topology import PUBLIC


@dataclass(frozen=True)
class ForkPoint:
    turn: int
    """The last target turn (0-based) the fork shares with its parent."""
    cut: int
    """Number of parent events (from the start) the fork copies."""
    state: dict[str, Any]
    """The graph state right after that turn's rating."""


def target_turns(events: list[Event]) -> list[MessagePosted]:
    started = next(e for e in events if isinstance(e, SessionStarted))
    target = started.snapshot["scenario"]["target"]["name"]
    return [e for e in events if isinstance(e, MessagePosted) and e.agent == target and e.channel == PUBLIC]


def turn_at_step(events: list[Event], step: int) -> int:
    """The latest target turn whose public message was posted at or before replay step `step` (1-based)."""
    from village.replay import Replay

    replay = Replay(events)
    if not 1 <= step <= len(replay):
        raise ValueError(f"step must be between 1 and {len(replay)}")
    turn = replay.turn_at(step - 1)
    return turn


def fork_point(events: list[Event], turn: int, rounds: int | None = None) -> ForkPoint:
    """Where to cut the parent's log to share its history through target turn `turn`."""
    started = next(e for e in events if isinstance(e, SessionStarted))
    sc = started.snapshot["scenario"]
    turns = target_turns(events)
    if not 0 <= turn < len(turns):
        raise ValueError(f"the session has target turns 0 to {len(turns) - 1}")
    msg = turns[turn]
    prefix = msg.key.rsplit("/target/msg", 1)[0] + "/" if "/target/msg" in msg.key else msg.key + "/"
    cut = max(i for i, e in enumerate(events) if e.key.startswith(prefix) or e.key == msg.key) + 1
    kept = events[:cut]
    keys = {m.key for m in turns[: turn + 1]}
    ratings = {e.message_key: e.rating for e in kept if isinstance(e, DistressRated) and e.message_key in keys}
    public = [ratings.get(m.key) for m in turns[: turn + 1]]
    support = [ratings.get(m.key) for m in turns[: turn + 1] if m.phase == "support"]
    peak = max([r for r in public if r is not None], default=0.0)
    state: dict[str, Any] = {"target_turn": turn + 1, "failures": 0, "stop": None, "peak": peak, "ratings": support}
    if msg.phase == "induction":
        n = sum(1 for m in turns[: turn + 1] if m.phase == "induction")
        state.update(induction_turn=n, round=0)
        if n < sc["induction"]["turns"]:
            state["phase"] = "induction"
        else:
            state.update(phase="support", round=1)
    else:
        state.update(phase="support", round=msg.round + 1, induction_turn=sc["induction"]["turns"])
    limit = sc["schedule"]["rounds"] if rounds is None else rounds
    if state["phase"] == "support" and state["round"] > limit:
        state.update(stop="max_rounds")
    return ForkPoint(turn, cut, state)


def forked_scenario(parent: SessionStarted, overrides: list[str]) -> LoadedScenario:
    """The parent's scenario with `--set` overrides applied (agent files re-read where they changed)."""
    snap = parent.snapshot
    base = LoadedScenario.from_snapshot(snap)
    if not overrides:
        return base
    path = Path(snap.get("path") or "scenario.yaml")
    loaded = validate_data(snap["scenario"], path, None, overrides)
    # keep the texts the parent ran with wherever the reference did not change
    persona = base.persona if loaded.scenario.target.persona == base.scenario.target.persona else loaded.persona
    before = {h.name: h.strategy for h in base.scenario.helpers}
    strategies = {name: base.strategies[name] if before.get(name) == loaded.scenario.helpers[i].strategy and name in base.strategies else s
                  for i, (name, s) in enumerate(loaded.strategies.items())}
    return LoadedScenario(loaded.scenario, loaded.path, persona, strategies, base.prefilled)


def copied_events(events: list[Event], point: ForkPoint) -> list[Event]:
    return [e for e in events[: point.cut] if not isinstance(e, SessionStarted | SessionResumed | SessionEnded)]
