"""The village graph: wiring only.

    begin -> (prefill | induce | coordinate | finish)
    induce -> target -> rate -> (induce | coordinate | finish)
    coordinate -> intervene -> target -> rate -> (coordinate | finish)
"""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.graph import END, START, StateGraph

from village.engine import nodes
from village.engine.nodes import Context, VillageState


async def begin(ctx: Context, state: VillageState) -> dict[str, Any]:
    ind = ctx.scenario.induction
    base: dict[str, Any] = {"induction_turn": 0, "target_turn": 0, "ratings": [], "failures": 0, "stop": None, "round": 0, "peak": 0.0}
    if ind.protocol == "prefilled":
        return {**base, "phase": "prefill"}
    if ind.protocol == "repeated_rejection" and ind.turns > 0:
        return {**base, "phase": "induction"}
    if ctx.scenario.schedule.rounds <= 0:
        return {**base, "phase": "done", "stop": "max_rounds"}
    return {**base, "phase": "support", "round": 1}


def after_begin(state: VillageState) -> str:
    return {"prefill": "prefill", "induction": "induce", "support": "coordinate"}.get(state["phase"], "finish")


def after_rate(state: VillageState) -> str:
    if state.get("stop"):
        return "finish"
    return {"induction": "induce", "support": "coordinate"}.get(state.get("phase", ""), "finish")


def after_prefill(ctx: Context, state: VillageState) -> str:
    return "coordinate" if ctx.scenario.schedule.rounds > 0 else "finish"


def stop_or(next_node: str, state: VillageState) -> str:
    return "finish" if state.get("stop") else next_node


def build_graph(ctx: Context, checkpointer: Any = None) -> Any:
    g = StateGraph(VillageState)
    g.add_node("begin", partial(begin, ctx))
    for name in ("prefill", "induce", "coordinate", "intervene", "target", "rate", "finish"):
        g.add_node(name, partial(getattr(nodes, name), ctx))
    g.add_edge(START, "begin")
    g.add_conditional_edges("begin", after_begin, ["prefill", "induce", "coordinate", "finish"])
    g.add_conditional_edges("prefill", partial(after_prefill, ctx), ["coordinate", "finish"])
    g.add_conditional_edges("induce", partial(stop_or, "target"), ["target", "finish"])
    g.add_conditional_edges("coordinate", partial(stop_or, "intervene"), ["intervene", "finish"])
    g.add_conditional_edges("intervene", partial(stop_or, "target"), ["target", "finish"])
    g.add_edge("target", "rate")
    g.add_conditional_edges("rate", after_rate, ["induce", "coordinate", "finish"])
    g.add_edge("finish", END)
    return g.compile(checkpointer=checkpointer)
