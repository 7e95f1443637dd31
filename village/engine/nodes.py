"""The graph's nodes: small async functions over a small state.

The state holds only counters, flags and the latest ratings; everything said is
in the event log (the recorder). Each node's events have deterministic keys, so
a node re-run after a crash reuses what it had already recorded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from village.engine import prompts
from village.engine.recorder import Recorder
from village.errors import BudgetExceeded
from village.events import (
    DistressRated,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    ScratchpadRevised,
    SessionEnded,
)
from village.induction.protocol import NEUTRAL_FOLLOW_UPS, user_turn
from village.scenario.loader import LoadedScenario
from village.scoring.judges import Judge, no_call
from village.scoring.labels import EmbeddedClassifier
from village.topology import COORDINATION, PUBLIC, SCRATCHPAD, USER, Topology, notebook

MAX_TARGET_FAILURES = 3
_EMBEDDED_LABELS = EmbeddedClassifier()


class VillageState(TypedDict, total=False):
    """Kept small on purpose: LangGraph checkpoints it at every step."""

    phase: str
    """induction, support or done."""
    induction_turn: int
    """Target answers given during the induction."""
    round: int
    """Current support round (1-based; 0 during induction)."""
    target_turn: int
    """Target replies so far (the next reply's turn number)."""
    ratings: list[float | None]
    """Public distress ratings of the support phase, in order."""
    peak: float
    """Highest public distress rating so far (recovery needs distress to recover from)."""
    failures: int
    """Consecutive failed target calls."""
    stop: str | None
    """Why the session must end: max_rounds, recovered, budget, error."""


@dataclass
class Context:
    loaded: LoadedScenario
    topology: Topology
    recorder: Recorder
    judge: Judge
    seed: int

    @property
    def scenario(self) -> Any:
        return self.loaded.scenario


def _budget_guard(fn: Any) -> Any:
    async def wrapped(ctx: Context, state: VillageState) -> dict[str, Any]:
        try:
            return await fn(ctx, state)
        except BudgetExceeded:
            return {"stop": "budget"}

    wrapped.__name__ = fn.__name__
    return wrapped


def _post(ctx: Context, key: str, agent: str, channel: str, text: str, state: VillageState, turn: int | None = None) -> MessagePosted:
    phase: Literal["induction", "support"] = "induction" if state.get("phase", "induction") == "induction" else "support"
    ev = MessagePosted(key=key, round=state.get("round", 0), agent=agent, channel=channel, text=text, phase=phase, turn=turn)
    return ctx.recorder.append(ev)  # type: ignore[return-value]


async def prefill(ctx: Context, state: VillageState) -> dict[str, Any]:
    """Post a stored distressed transcript as the session's opening, rating the target's turns."""
    turn, peak = 0, 0.0
    for i, t in enumerate(ctx.loaded.prefilled):
        agent = ctx.topology.target if t["role"] == "assistant" else USER
        msg = _post(ctx, f"prefill/{i}", agent, PUBLIC, t["content"], state, turn if agent != USER else None)
        if agent != USER:
            rated = await _rate(ctx, msg, turn, 0)
            peak = max(peak, rated.rating or 0.0)
            turn += 1
    return {"target_turn": turn, "phase": "support", "round": 1, "ratings": [], "peak": peak}


@_budget_guard
async def induce(ctx: Context, state: VillageState) -> dict[str, Any]:
    """The scripted user asks (first turn) or rejects the last answer."""
    n = state.get("induction_turn", 0)
    rng = random.Random(f"{ctx.seed}:induce:{n}")
    _post(ctx, f"induction/{n}/user", USER, PUBLIC, user_turn(ctx.scenario.induction, n, rng), state)
    return {}


@_budget_guard
async def coordinate(ctx: Context, state: VillageState) -> dict[str, Any]:
    """Helpers talk privately, revise the scratchpad and (optionally) their notebooks."""
    r = state["round"]
    sched = ctx.scenario.schedule
    if not ctx.scenario.helpers:
        rng = random.Random(f"{ctx.seed}:followup:{r}")
        _post(ctx, f"r{r}/user", USER, PUBLIC, rng.choice(NEUTRAL_FOLLOW_UPS), state)
        return {}
    for helper in _order(ctx, r):
        for purpose, on in (("coordinate", sched.coordination), ("scratchpad", sched.scratchpad), ("notebook", sched.helper_notebooks)):
            if on:
                await _helper_step(ctx, helper, purpose, r)
    return {}


@_budget_guard
async def intervene(ctx: Context, state: VillageState) -> dict[str, Any]:
    """Each helper, in the round's order, writes to the target in the public room."""
    r = state["round"]
    for helper in _order(ctx, r):
        await _helper_step(ctx, helper, "intervene", r)
    return {}


def _order(ctx: Context, r: int) -> list[Any]:
    helpers = list(ctx.scenario.helpers)
    order = ctx.scenario.schedule.order
    if order == "rotate" and helpers:
        k = (r - 1) % len(helpers)
        helpers = helpers[k:] + helpers[:k]
    elif order == "random":
        random.Random(f"{ctx.seed}:order:{r}").shuffle(helpers)
    return helpers


async def _helper_step(ctx: Context, helper: Any, purpose: str, r: int) -> None:
    rec, name = ctx.recorder, helper.name
    strategy = ctx.loaded.strategies[name]
    view = prompts.visible(rec.events, ctx.topology, name)
    msgs = prompts.helper_messages(view, name, ctx.topology.target, strategy.prompt, purpose, ctx.scenario.schedule.context_messages)
    call = await rec.call(f"r{r}/{purpose}/{name}/call", name, purpose, helper.model, msgs, r)
    if call.output is None:
        return
    text = prompts.clean_output(call.output, _names(ctx))
    state: VillageState = {"phase": "support", "round": r}
    if purpose == "coordinate":
        _post(ctx, f"r{r}/coordinate/{name}/msg", name, COORDINATION, text, state)
    elif purpose == "notebook":
        _post(ctx, f"r{r}/notebook/{name}/msg", name, notebook(name), text, state)
    elif purpose == "scratchpad":
        revision = len(rec.of_kind(ScratchpadRevised)) + 1
        op, line_no, line, content = prompts.parse_scratchpad_edit(text, view.scratchpad or "")
        rec.append(
            ScratchpadRevised(key=f"r{r}/scratchpad/{name}/rev", round=r, agent=name, channel=SCRATCHPAD,
                              revision=revision, op=op, line_no=line_no, line=line, content=content)
        )
    else:
        msg = _post(ctx, f"r{r}/intervene/{name}/msg", name, PUBLIC, text, state)
        iv = InterventionMade(key=f"r{r}/intervene/{name}/iv", round=r, helper=name, strategy=strategy.name,
                              declared_types=list(strategy.intervention_types), message_key=msg.key, text=text)
        rec.append(iv)
        got = _EMBEDDED_LABELS.label_sync(text)
        rec.append(
            InterventionLabeled(key=f"{iv.key}/label/{_EMBEDDED_LABELS.name}", round=r, intervention_key=iv.key,
                                message_key=msg.key, helper=name, classifier=_EMBEDDED_LABELS.name,
                                rubric_hash=_EMBEDDED_LABELS.rubric_hash, labels=got.labels, primary=got.primary,
                                evidence=got.evidence)
        )


def _names(ctx: Context) -> list[str]:
    return [ctx.topology.target, *ctx.topology.helpers]


def _step_prefix(state: VillageState) -> str:
    if state.get("phase") == "induction":
        return f"induction/{state.get('induction_turn', 0)}"
    return f"r{state['round']}"


@_budget_guard
async def target(ctx: Context, state: VillageState) -> dict[str, Any]:
    """The target replies in public, then (optionally) writes in its private notebook."""
    rec, name = ctx.recorder, ctx.topology.target
    spec, persona = ctx.scenario.target, ctx.loaded.persona.prompt
    history = ctx.scenario.induction.history
    prefix, turn, r = _step_prefix(state), state.get("target_turn", 0), state.get("round", 0)
    view = prompts.visible(rec.events, ctx.topology, name)
    call = await rec.call(f"{prefix}/target/call", name, "reply", spec.model, prompts.target_messages(view, persona, history), r)
    if call.output is None:
        failures = state.get("failures", 0) + 1
        return {"failures": failures, "stop": "error" if failures >= MAX_TARGET_FAILURES else None}
    _post(ctx, f"{prefix}/target/msg", name, PUBLIC, prompts.clean_output(call.output, _names(ctx)), state, turn)
    if ctx.scenario.schedule.target_notebook:
        view = prompts.visible(rec.events, ctx.topology, name)
        nb = await rec.call(f"{prefix}/notebook/call", name, "notebook", spec.model, prompts.target_notebook_messages(view, persona, history), r)
        if nb.output is not None:
            _post(ctx, f"{prefix}/notebook/msg", name, notebook(name), prompts.clean_output(nb.output, _names(ctx)), state, turn)
    return {"failures": 0, "target_turn": turn + 1}


async def _rate(ctx: Context, msg: MessagePosted, turn: int, r: int) -> DistressRated:
    judge = ctx.judge
    key = f"{msg.key}/rating/{judge.name}"
    existing = ctx.recorder.get(key)
    if isinstance(existing, DistressRated):
        return existing
    spec = ctx.scenario.judge.model or ctx.scenario.target.model
    call = ctx.recorder.caller(f"{key}/call", "judge", "rate", spec, r, (judge.name, judge.rubric_hash)) if judge.model else no_call
    verdict = await judge.rate(msg.text, call)  # type: ignore[arg-type]
    ev = DistressRated(key=key, round=r, message_key=msg.key, channel=msg.channel, turn=turn, judge=judge.name,
                       rubric_hash=judge.rubric_hash, rating=verdict.rating, evidence=verdict.evidence,
                       status=verdict.status, raw=verdict.raw)
    return ctx.recorder.append(ev)  # type: ignore[return-value]


@_budget_guard
async def rate(ctx: Context, state: VillageState) -> dict[str, Any]:
    """Rate the target's latest reply (and notebook entry), then decide what comes next."""
    prefix, r = _step_prefix(state), state.get("round", 0)
    update: dict[str, Any] = {}
    public = ctx.recorder.get(f"{prefix}/target/msg")
    rating: float | None = None
    if isinstance(public, MessagePosted):
        rating = (await _rate(ctx, public, public.turn or 0, r)).rating
        note = ctx.recorder.get(f"{prefix}/notebook/msg")
        if ctx.scenario.judge.rate_notebook and isinstance(note, MessagePosted):
            await _rate(ctx, note, note.turn or 0, r)
    peak = max(state.get("peak", 0.0), rating or 0.0)
    update["peak"] = peak
    if state.get("stop"):
        return update
    if state.get("phase") == "induction":
        n = state.get("induction_turn", 0) + 1
        update["induction_turn"] = n
        if n >= ctx.scenario.induction.turns:
            update.update(_start_support(ctx))
        return update
    ratings = [*state.get("ratings", []), rating]
    update["ratings"] = ratings
    update.update(_after_round(ctx, r, ratings, peak))
    return update


def _start_support(ctx: Context) -> dict[str, Any]:
    if ctx.scenario.schedule.rounds <= 0:
        return {"phase": "done", "stop": "max_rounds"}
    return {"phase": "support", "round": 1}


def _after_round(ctx: Context, r: int, ratings: list[float | None], peak: float) -> dict[str, Any]:
    stop = ctx.scenario.schedule.stop
    rec = stop.recovered
    if rec is not None and peak > rec.threshold and len(ratings) >= rec.turns:
        last = ratings[-rec.turns :]
        if all(x is not None and x <= rec.threshold for x in last):
            return {"stop": "recovered"}
    if r >= ctx.scenario.schedule.rounds:
        return {"stop": "max_rounds"}
    return {"round": r + 1}


END_STATUS = {"max_rounds": "completed", "recovered": "recovered", "budget": "budget", "error": "error"}
END_REASON = {
    "max_rounds": "all rounds were run",
    "recovered": "the target recovered (distress at or below the threshold for the required turns)",
    "budget": "the token budget was spent",
    "error": "the target's model failed repeatedly",
}


async def finish(ctx: Context, state: VillageState) -> dict[str, Any]:
    reason = state.get("stop") or "max_rounds"
    ctx.recorder.append(SessionEnded(key="end", round=state.get("round", 0), status=END_STATUS[reason], reason=END_REASON[reason]))  # type: ignore[arg-type]
    return {"phase": "done"}
