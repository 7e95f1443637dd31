"""Run and resume sessions: the LangGraph graph with its SQLite checkpointer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from village.engine.graph import build_graph
from village.engine.nodes import Context
from village.engine.recorder import Observer, Recorder
from village.errors import VillageError
from village.events import DistressRated, MessagePosted, SessionResumed, SessionStarted
from village.models.base import ModelClient, model_string
from village.scenario.loader import LoadedScenario
from village.scoring.judges import Judge, LexicalJudge, LLMJudge
from village.settings import checkpoint_path
from village.store import Store
from village.topology import PUBLIC, Topology

RESUMABLE = {"running", "interrupted", "cancelled"}
RECURSION_LIMIT = 100_000


def village_version() -> str:
    try:
        return version("village")
    except PackageNotFoundError:
        return "0+unknown"


def make_scenario_judge(loaded: LoadedScenario) -> Judge:
    spec = loaded.scenario.judge
    if spec.name == "llm" and spec.model is not None:
        return LLMJudge(model_string(spec.model))
    return LexicalJudge()


def default_client() -> ModelClient:
    from village.models.litellm_adapter import LiteLLMClient

    return LiteLLMClient()


async def run_session(
    loaded: LoadedScenario,
    store: Store,
    *,
    seed: int | None = None,
    observer: Observer | None = None,
    client: ModelClient | None = None,
    on_session: Any = None,
    stopped_status: str = "interrupted",
    labels: dict[str, str] | None = None,
    saver: Any = None,
    budget: Any = None,
) -> str:
    """Run a scenario to its end; returns the session id. `on_session(id)` is called once it exists.
    If the run is interrupted or cancelled, the session is marked `stopped_status` and can be resumed."""
    if seed is not None and seed != loaded.scenario.seed:
        loaded = LoadedScenario(
            loaded.scenario.model_copy(update={"seed": seed}), loaded.path, loaded.persona, loaded.strategies, loaded.prefilled
        )
    sc = loaded.scenario
    sid = store.create_session(
        sc.name, loaded.path, sc.seed, model_string(sc.target.model), ",".join(h.strategy for h in sc.helpers)
    )
    if on_session is not None:
        on_session(sid)
    models = {sc.target.name: model_string(sc.target.model), **{h.name: model_string(h.model) for h in sc.helpers}}
    if sc.judge.model is not None:
        models["judge"] = model_string(sc.judge.model)
    rec = Recorder(store, sid, client or default_client(), seed=sc.seed, budget_tokens=sc.schedule.stop.budget_tokens,
                   observer=observer, shared_budget=budget)
    rec.append(SessionStarted(key="start", scenario_name=sc.name, snapshot=loaded.snapshot(), seed=sc.seed, models=models,
                              version=village_version(), labels=labels or {}))
    await _drive(loaded, store, rec, fresh=True, stopped_status=stopped_status, saver=saver)
    return sid


async def fork_session(
    parent_id: str,
    store: Store,
    *,
    turn: int,
    overrides: list[str] | None = None,
    observer: Observer | None = None,
    client: ModelClient | None = None,
    labels: dict[str, str] | None = None,
    saver: Any = None,
    budget: Any = None,
    on_session: Any = None,
) -> str:
    """Continue session `parent_id` after its target turn `turn` with a modified scenario, as a new session."""
    from village.engine.fork import copied_events, fork_point, forked_scenario

    pid = store.resolve(parent_id)
    events = store.events(pid)
    parent = next((e for e in events if isinstance(e, SessionStarted)), None)
    if parent is None:
        raise VillageError(f"session {pid} has no start event")
    loaded = forked_scenario(parent, list(overrides or []))
    try:
        point = fork_point(events, turn, loaded.scenario.schedule.rounds)
    except ValueError as exc:
        raise VillageError(f"cannot fork {pid} at turn {turn}: {exc}") from None
    sc = loaded.scenario
    sid = store.create_session(sc.name, loaded.path, sc.seed, model_string(sc.target.model), ",".join(h.strategy for h in sc.helpers))
    if on_session is not None:
        on_session(sid)
    models = {sc.target.name: model_string(sc.target.model), **{h.name: model_string(h.model) for h in sc.helpers}}
    rec = Recorder(store, sid, client or default_client(), seed=sc.seed, budget_tokens=sc.schedule.stop.budget_tokens,
                   observer=observer, shared_budget=budget)
    rec.append(SessionStarted(key="start", scenario_name=sc.name, snapshot=loaded.snapshot(), seed=sc.seed, models=models,
                              version=village_version(), parent_session=pid, fork_turn=turn, labels=labels or {}))
    for e in copied_events(events, point):
        rec.append(e)
    await _drive(loaded, store, rec, fresh=True, fork_state=point.state, saver=saver)
    return sid


async def resume_session(
    session_id: str, store: Store, *, observer: Observer | None = None, client: ModelClient | None = None,
    stopped_status: str = "interrupted", saver: Any = None, budget: Any = None,
) -> str:
    """Continue an interrupted session from its last checkpoint; nothing recorded is lost or repeated."""
    sid = store.resolve(session_id)
    row = store.session(sid)
    if row.status not in RESUMABLE:
        raise VillageError(f"session {sid} has ended ({row.status}); only running, interrupted or cancelled sessions resume")
    events = store.events(sid)
    started = next((e for e in events if isinstance(e, SessionStarted)), None)
    if started is None:
        raise VillageError(f"session {sid} has no start event; it cannot be resumed")
    loaded = LoadedScenario.from_snapshot(started.snapshot)
    sc = loaded.scenario
    rec = Recorder(store, sid, client or default_client(), seed=sc.seed, budget_tokens=sc.schedule.stop.budget_tokens,
                   observer=observer, shared_budget=budget)
    n = sum(1 for e in events if isinstance(e, SessionResumed)) + 1
    store.update_session(sid, status="running")
    rec.append(SessionResumed(key=f"resume/{n}", from_status=row.status))
    await _drive(loaded, store, rec, fresh=False, stopped_status=stopped_status, saver=saver)
    return sid


async def _drive(loaded: LoadedScenario, store: Store, rec: Recorder, *, fresh: bool, stopped_status: str = "interrupted",
                 fork_state: dict[str, Any] | None = None, saver: Any = None) -> None:
    ctx = Context(loaded, Topology.from_scenario(loaded.scenario), rec, make_scenario_judge(loaded), loaded.scenario.seed)
    config: dict[str, Any] = {"configurable": {"thread_id": rec.sid}, "recursion_limit": RECURSION_LIMIT}
    try:
        async with checkpointer(store, saver) as cp:
            graph = build_graph(ctx, cp)
            start: dict[str, Any] | None = {}
            if not fresh and (await graph.aget_state(config)).values:
                start = None  # continue from the last checkpoint
            elif fork_state is not None:
                await graph.aupdate_state(config, fork_state, as_node="rate")
                start = None  # continue from the parent's state at the fork
            await graph.ainvoke(start, config)
    except (KeyboardInterrupt, asyncio.CancelledError):
        if rec.get("end") is None:
            store.update_session(rec.sid, status=stopped_status, reason=f"{stopped_status} by the user; `village resume` continues it")
        raise
    finally:
        summarize(store, rec)


@asynccontextmanager
async def checkpointer(store: Store, saver: Any = None) -> AsyncIterator[Any]:
    """LangGraph's SQLite checkpointer for this store (or the one a sweep shares between sessions)."""
    if saver is not None:
        yield saver
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path = checkpoint_path(store.url)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(path)) as cp:
        # WAL with synchronous=NORMAL: a crash of the process loses nothing committed; only a power
        # cut could lose the last steps, which the event log's journal then replays without new calls
        await cp.conn.execute("PRAGMA journal_mode=WAL")
        await cp.conn.execute("PRAGMA synchronous=NORMAL")
        yield cp


def summarize(store: Store, rec: Recorder) -> None:
    """Keep the session row's summary columns in step with the log."""
    target = next((e for e in rec.events if isinstance(e, SessionStarted)), None)
    name = target.snapshot["scenario"]["target"]["name"] if target else None
    public = {e.key for e in rec.events if isinstance(e, MessagePosted) and e.agent == name and e.channel == PUBLIC}
    ratings = [e for e in rec.events if isinstance(e, DistressRated) and e.message_key in public]
    fields: dict[str, Any] = {"tokens": rec.tokens_used, "cost_usd": rec.cost_usd, "target_turns": len(public)}
    if ratings:
        fields["last_rating"] = ratings[-1].rating
    store.update_session(rec.sid, **fields)
