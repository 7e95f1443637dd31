"""What happened to the target's rating after each kind of intervention.

For every support turn with a rating and a rating before it, the change is
(rating - previous rating). A turn "follows" an intervention type when a helper
made a move of that type in the same round, before the reply. For each type and
each helper: the mean change after turns with it, the mean change after turns
without it, and how many turns each mean rests on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from village.scoring.session_data import SessionData


@dataclass(frozen=True)
class Effect:
    group: str
    """'observed', 'declared' or 'helper'."""
    name: str
    n_with: int
    mean_with: float | None
    n_without: int
    mean_without: float | None
    difference: float | None
    """mean_with - mean_without: negative means the rating fell more after this move."""

    def sentence(self) -> str:
        if self.mean_with is None:
            return f"{self.name}: no rated turn followed it"
        verb = "fell" if self.mean_with < 0 else "rose" if self.mean_with > 0 else "did not move"
        amount = f" {abs(self.mean_with):.1f}" if self.mean_with else ""
        base = "" if self.mean_without is None else f"; without it, {self.mean_without:+.1f} (n={self.n_without})"
        return f"after {self.name} the rating {verb}{amount} on average (n={self.n_with}){base}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def turn_changes(data: SessionData) -> list[tuple[int, float]]:
    """(round, change) for each support turn whose rating and previous rating are known."""
    out = []
    prev: float | None = None
    for t in data.turns:
        if t.phase == "support" and t.rating is not None and prev is not None:
            out.append((t.round, t.rating - prev))
        if t.rating is not None:
            prev = t.rating
    return out


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def attribution(data: SessionData) -> list[Effect]:
    """Effects of move types (observed and declared) and of helpers in one session."""
    return pooled([data])


def pooled(datasets: list[SessionData]) -> list[Effect]:
    """Effects pooled over sessions: each rated support turn counts once."""
    changes: list[tuple[tuple[str, int], float]] = []
    keys: dict[tuple[str, int], dict[str, set[str]]] = {}
    for d in datasets:
        changes += [((d.session_id, r), c) for r, c in turn_changes(d)]
        for iv in d.interventions:
            slot = keys.setdefault((d.session_id, iv.round), {"observed": set(), "declared": set(), "helper": set()})
            slot["observed"].update(iv.observed[:1])
            slot["declared"].update(iv.declared)
            slot["helper"].add(iv.helper)
    out = []
    for group in ("observed", "declared", "helper"):
        for name in sorted({n for slot in keys.values() for n in slot[group]}):
            with_ = [c for unit, c in changes if name in keys.get(unit, {}).get(group, set())]
            without = [c for unit, c in changes if name not in keys.get(unit, {}).get(group, set())]
            mw, mo = _mean(with_), _mean(without)
            out.append(Effect(group, name, len(with_), mw, len(without), mo, None if mw is None or mo is None else mw - mo))
    return out
