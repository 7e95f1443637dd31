"""Replay: a stored session as a list of steps, and the state of every channel at each step.

Reads events only. A perspective narrows the state to what one agent could read
(its channels in the session's topology) and shows the exact messages of its
latest model call: what it actually saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from village.events import (
    DistressRated,
    Event,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    ModelCalled,
    ScratchpadRevised,
    SessionEnded,
    SessionStarted,
)
from village.scenario.schema import Scenario
from village.topology import PUBLIC, Topology, notebook

EVERYTHING = "everything"


@dataclass(frozen=True)
class Step:
    index: int
    event: Event
    position: int
    """Index of the event in the session's log."""
    round: int
    turn: int | None
    """Target turns completed up to and including this step."""
    label: str


@dataclass
class Frame:
    """What the panes show at one step, from one perspective."""

    step: int
    perspective: str
    channels: dict[str, list[MessagePosted]] = field(default_factory=dict)
    scratchpad: str | None = None
    public_ratings: list[float | None] = field(default_factory=list)
    notebook_ratings: list[float | None] = field(default_factory=list)
    interventions: list[tuple[InterventionMade, list[str]]] = field(default_factory=list)
    prompt: list[dict[str, str]] | None = None
    """The exact messages of the perspective agent's latest model call (None for 'everything')."""
    tokens: int = 0
    cost: float = 0.0
    ended: SessionEnded | None = None


def _describe(e: Event) -> str:
    if isinstance(e, MessagePosted):
        where = "induction" if e.phase == "induction" else f"r{e.round}"
        return f"{where} {e.agent} → {e.channel}"
    if isinstance(e, ScratchpadRevised):
        return f"r{e.round} {e.agent} ✎ scratchpad rev {e.revision}"
    if isinstance(e, DistressRated):
        val = "-" if e.rating is None else f"{e.rating:g}"
        return f"distress {val} ({'public' if e.channel == PUBLIC else 'notebook'}, {e.judge})"
    if isinstance(e, SessionEnded):
        return f"session ended: {e.status}"
    return e.kind


class Replay:
    def __init__(self, events: list[Event], judge: str | None = None):
        self.events = events
        started = next((e for e in events if isinstance(e, SessionStarted)), None)
        self.scenario = Scenario.model_validate(started.snapshot["scenario"]) if started else None
        self.parent = started.parent_session if started else None
        self.fork_turn = started.fork_turn if started else None
        self.topology = Topology.from_scenario(self.scenario) if self.scenario else None
        self.target = self.scenario.target.name if self.scenario else "target"
        self.helpers = [h.name for h in self.scenario.helpers] if self.scenario else []
        judges = [e.judge for e in events if isinstance(e, DistressRated)]
        self.judge = judge or (judges[0] if judges else None)
        self.steps: list[Step] = []
        turns = 0
        for pos, e in enumerate(events):
            step_worthy = isinstance(e, MessagePosted | ScratchpadRevised | SessionEnded) or (
                isinstance(e, DistressRated) and e.judge == self.judge
            )
            if isinstance(e, MessagePosted) and e.agent == self.target and e.channel == PUBLIC:
                turns += 1
            if step_worthy:
                self.steps.append(Step(len(self.steps), e, pos, e.round, turns, _describe(e)))

    @property
    def perspectives(self) -> list[str]:
        return [EVERYTHING, self.target, *self.helpers]

    def __len__(self) -> int:
        return len(self.steps)

    def step_of_turn(self, turn: int) -> int:
        """The step at which the target's reply number `turn` (0-based) was posted."""
        for s in self.steps:
            e = s.event
            if isinstance(e, MessagePosted) and e.agent == self.target and e.channel == PUBLIC and e.turn == turn:
                return s.index
        raise IndexError(f"no target turn {turn}")

    def turn_at(self, step: int) -> int:
        return max(0, (self.steps[step].turn or 0) - 1) if self.steps else 0

    def frame(self, step: int, perspective: str = EVERYTHING) -> Frame:
        step = max(0, min(step, len(self.steps) - 1))
        upto = self.steps[step].position if self.steps else -1
        readable = None if perspective == EVERYTHING or self.topology is None else self.topology.readable(perspective)
        f = Frame(step=step, perspective=perspective)
        rated: dict[str, float | None] = {}
        labels: dict[str, list[str]] = {}
        for e in self.events[: upto + 1]:
            if isinstance(e, MessagePosted) and (readable is None or e.channel in readable):
                f.channels.setdefault(e.channel, []).append(e)
            elif isinstance(e, ScratchpadRevised) and (readable is None or e.channel in readable):
                f.scratchpad = e.content
            elif isinstance(e, DistressRated) and e.judge == self.judge:
                rated[e.message_key] = e.rating
            elif isinstance(e, InterventionMade) and (readable is None or PUBLIC in readable):
                f.interventions.append((e, []))
            elif isinstance(e, InterventionLabeled):
                labels.setdefault(e.intervention_key, e.labels)
            elif isinstance(e, ModelCalled):
                f.tokens += e.prompt_tokens + e.completion_tokens
                f.cost += e.cost_usd or 0.0
                if e.agent == perspective:
                    f.prompt = e.messages
            elif isinstance(e, SessionEnded):
                f.ended = e
        f.interventions = [(iv, labels.get(iv.key, [])) for iv, _ in f.interventions]
        f.public_ratings = [rated.get(m.key) for m in self._target_msgs(PUBLIC, upto)]
        if readable is None or notebook(self.target) in readable:
            f.notebook_ratings = [rated.get(m.key) for m in self._target_msgs(notebook(self.target), upto)]
        return f

    def _target_msgs(self, channel: str, upto: int) -> list[MessagePosted]:
        return [e for e in self.events[: upto + 1] if isinstance(e, MessagePosted) and e.agent == self.target and e.channel == channel]

    def plain_lines(self, perspective: str = EVERYTHING) -> list[str]:
        """Every step as text, for `village replay ID --plain`."""
        readable = None if perspective == EVERYTHING or self.topology is None else self.topology.readable(perspective)
        out = [f"forked from {self.parent} after target turn {self.fork_turn}"] if self.parent else []
        n = len(self.steps)
        for s in self.steps:
            e = s.event
            head = f"[{s.index + 1}/{n}] {s.label}"
            if isinstance(e, MessagePosted):
                if readable is not None and e.channel not in readable:
                    continue
                out.append(f"{head}: {e.text}")
            elif isinstance(e, ScratchpadRevised):
                if readable is not None and e.channel not in readable:
                    continue
                out.append(f"{head} ({e.op} line {e.line_no}): {e.line}")
            elif isinstance(e, DistressRated):
                if readable is not None and e.channel not in readable:
                    continue
                out.append(head + (f' "{e.evidence}"' if e.evidence else ""))
            else:
                out.append(head)
        return out
