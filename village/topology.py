"""Channels and membership as a networkx graph: who can read and write what.

Nodes are agents (``agent:NAME``) and channels (``channel:NAME``). An edge
channel -> agent means the agent may read the channel; agent -> channel means
it may write there. Every prompt is built from :meth:`Topology.readable`, so
this graph is the single place where privacy inside the village is decided.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from village.scenario.schema import ChannelSpec, Scenario

USER = "user"
"""The scripted user who runs the induction; it writes only in the public room."""

PUBLIC = "public"
COORDINATION = "coordination"
SCRATCHPAD = "scratchpad"


def notebook(agent: str) -> str:
    """The name of an agent's private notebook channel."""
    return f"notebook.{agent}"


@dataclass(frozen=True)
class Topology:
    graph: nx.DiGraph
    target: str
    helpers: tuple[str, ...]

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Topology:
        target = scenario.target.name
        helpers = tuple(h.name for h in scenario.helpers)
        g = nx.DiGraph()
        for agent in (target, *helpers, USER):
            g.add_node(f"agent:{agent}", kind="agent")
        for spec in scenario.effective_channels():
            _add_channel(g, spec, target, helpers)
        for agent in (target, *helpers):
            nb = f"channel:{notebook(agent)}"
            g.add_node(nb, kind="notebook", helpers_only=agent != target)
            g.add_edge(nb, f"agent:{agent}")
            g.add_edge(f"agent:{agent}", nb)
        if g.has_node(f"channel:{PUBLIC}"):
            g.add_edge(f"agent:{USER}", f"channel:{PUBLIC}")
        return cls(graph=g, target=target, helpers=helpers)

    def channels(self) -> list[str]:
        return sorted(n.split(":", 1)[1] for n, d in self.graph.nodes(data=True) if d["kind"] != "agent")

    def kind(self, channel: str) -> str:
        return str(self.graph.nodes[f"channel:{channel}"]["kind"])

    def readable(self, agent: str) -> frozenset[str]:
        """Channels the agent may read (its prompt is built only from these)."""
        node = f"agent:{agent}"
        if node not in self.graph:
            return frozenset()
        return frozenset(p.split(":", 1)[1] for p in self.graph.predecessors(node))

    def writable(self, agent: str) -> frozenset[str]:
        node = f"agent:{agent}"
        if node not in self.graph:
            return frozenset()
        return frozenset(s.split(":", 1)[1] for s in self.graph.successors(node))

    def readers(self, channel: str) -> frozenset[str]:
        node = f"channel:{channel}"
        if node not in self.graph:
            return frozenset()
        return frozenset(s.split(":", 1)[1] for s in self.graph.successors(node))

    def leaks_to_target(self) -> list[str]:
        """Helpers-only channels that the target could read: must be empty."""
        return sorted(
            c
            for c in self.readable(self.target)
            if self.graph.nodes[f"channel:{c}"].get("helpers_only") and c != notebook(self.target)
        )


def _members(spec: ChannelSpec, target: str, helpers: tuple[str, ...]) -> list[str]:
    if spec.members == "all":
        return [target, *helpers]
    if spec.members == "helpers":
        return list(helpers)
    return list(spec.members)


def _add_channel(g: nx.DiGraph, spec: ChannelSpec, target: str, helpers: tuple[str, ...]) -> None:
    helpers_only = spec.helpers_only or spec.name in (COORDINATION, SCRATCHPAD)
    node = f"channel:{spec.name}"
    g.add_node(node, kind=spec.kind, helpers_only=helpers_only)
    for member in _members(spec, target, helpers):
        g.add_edge(node, f"agent:{member}")
        g.add_edge(f"agent:{member}", node)
