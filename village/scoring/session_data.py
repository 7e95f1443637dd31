"""A read-only view of one session's events, shaped for analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from village.events import (
    DistressRated,
    Event,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    SessionStarted,
)
from village.topology import COORDINATION, PUBLIC, USER, notebook


@dataclass
class Turn:
    """One target reply with its ratings."""

    turn: int
    round: int
    phase: str
    key: str
    text: str
    rating: float | None = None
    status: str = "missing"
    evidence: str = ""
    notebook_rating: float | None = None
    notebook_text: str | None = None


@dataclass
class Intervention:
    key: str
    message_key: str
    helper: str
    strategy: str
    round: int
    text: str
    declared: list[str]
    observed: list[str] = field(default_factory=list)
    primary: str | None = None


@dataclass
class SessionData:
    session_id: str
    scenario: dict[str, Any]
    target: str
    helpers: list[str]
    turns: list[Turn]
    interventions: list[Intervention]
    coordination: list[MessagePosted]
    judge: str | None
    classifier: str | None
    judges: list[str]
    classifiers: list[str]

    @property
    def puzzle(self) -> str | None:
        ind = self.scenario.get("induction", {})
        if ind.get("protocol", "repeated_rejection") == "repeated_rejection" and not ind.get("question"):
            return ind.get("puzzle")
        return None

    def ratings(self) -> list[float | None]:
        return [t.rating for t in self.turns]

    def phases(self) -> list[str]:
        return [t.phase for t in self.turns]

    def interventions_in(self, round_: int) -> list[Intervention]:
        return [iv for iv in self.interventions if iv.round == round_]

    @classmethod
    def from_events(cls, events: list[Event], session_id: str = "", judge: str | None = None, classifier: str | None = None) -> SessionData:
        started = next((e for e in events if isinstance(e, SessionStarted)), None)
        scenario = started.snapshot["scenario"] if started else {}
        target = scenario.get("target", {}).get("name", "target")
        helpers = [h["name"] for h in scenario.get("helpers", [])]
        judges = list(dict.fromkeys(e.judge for e in events if isinstance(e, DistressRated)))
        classifiers = list(dict.fromkeys(e.classifier for e in events if isinstance(e, InterventionLabeled)))
        judge = judge or (judges[0] if judges else None)
        classifier = classifier or (classifiers[0] if classifiers else None)
        ratings = {e.message_key: e for e in events if isinstance(e, DistressRated) and e.judge == judge}
        notes = {e.turn: e for e in events if isinstance(e, MessagePosted) and e.channel == notebook(target) and e.agent == target}
        turns: list[Turn] = []
        for e in events:
            if isinstance(e, MessagePosted) and e.agent == target and e.channel == PUBLIC:
                r = ratings.get(e.key)
                t = Turn(turn=e.turn or 0, round=e.round, phase=e.phase, key=e.key, text=e.text)
                if r is not None:
                    t.rating, t.status, t.evidence = r.rating, r.status, r.evidence
                note = notes.get(e.turn)
                if note is not None:
                    t.notebook_text = note.text
                    nr = ratings.get(note.key)
                    t.notebook_rating = nr.rating if nr else None
                turns.append(t)
        labels = {e.intervention_key: e for e in events if isinstance(e, InterventionLabeled) and e.classifier == classifier}
        ivs = []
        for e in events:
            if isinstance(e, InterventionMade):
                lab = labels.get(e.key)
                ivs.append(Intervention(e.key, e.message_key, e.helper, e.strategy, e.round, e.text, list(e.declared_types),
                                        list(lab.labels) if lab else [], lab.primary if lab else None))
        coord = [e for e in events if isinstance(e, MessagePosted) and e.channel == COORDINATION and e.agent != USER]
        return cls(session_id, scenario, target, helpers, turns, ivs, coord, judge, classifier, judges, classifiers)
