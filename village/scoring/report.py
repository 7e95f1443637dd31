"""The session report: recovery, attribution, helper-group signals and judge agreement, from events only."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from village.events import DistressRated, Event
from village.scoring.agreement import krippendorff_alpha_interval, pearson, spearman, within
from village.scoring.attribution import attribution
from village.scoring.metrics import BASELINE_SD, JUDGE_RELIABILITY, recovery_metrics
from village.scoring.session_data import SessionData
from village.scoring.signals import all_signals


def judge_agreement(events_by_session: dict[str, list[Event]], a: str, b: str) -> dict[str, Any]:
    """Agreement between judges `a` and `b` over every message both were asked to rate."""
    pairs: list[tuple[float, float]] = []
    counts = {a: {"rated": 0, "refused": 0, "unparseable": 0, "error": 0}, b: {"rated": 0, "refused": 0, "unparseable": 0, "error": 0}}
    units: list[list[float | None]] = []
    for events in events_by_session.values():
        by_msg: dict[str, dict[str, DistressRated]] = {}
        for e in events:
            if isinstance(e, DistressRated) and e.judge in (a, b):
                by_msg.setdefault(e.message_key, {})[e.judge] = e
        for got in by_msg.values():
            for j in (a, b):
                if j in got:
                    counts[j]["rated" if got[j].rating is not None else got[j].status] += 1
            ra = got[a].rating if a in got else None
            rb = got[b].rating if b in got else None
            units.append([ra, rb])
            if ra is not None and rb is not None:
                pairs.append((ra, rb))
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    return {
        "judges": [a, b],
        "n_pairs": len(pairs),
        "spearman": spearman(xs, ys),
        "pearson": pearson(xs, ys),
        "within_one": within(xs, ys, 1.0),
        "krippendorff_alpha": krippendorff_alpha_interval(units),
        "mean_difference": (sum(x - y for x, y in pairs) / len(pairs)) if pairs else None,
        "counts": counts,
    }


def build_report(events: list[Event], session_id: str, *, judge: str | None = None, classifier: str | None = None,
                 m: int = 2, sd: float = BASELINE_SD, r: float = JUDGE_RELIABILITY) -> dict[str, Any]:
    data = SessionData.from_events(events, session_id, judge, classifier)
    metrics = recovery_metrics(data.ratings(), data.phases(), m=m, sd=sd, r=r)
    support_rounds = [t.round for t in data.turns if t.phase == "support"]
    gains = []
    for g in metrics.sudden_gains:
        rnd = support_rounds[g.turn - 1] if g.turn - 1 < len(support_rounds) else None
        ivs = [{"helper": iv.helper, "strategy": iv.strategy, "declared": iv.declared, "observed": iv.primary}
               for iv in (data.interventions_in(rnd) if rnd is not None else [])]
        gains.append({**g.__dict__, "round": rnd, "interventions": ivs})
    curve = [{"turn": t.turn, "round": t.round, "phase": t.phase, "rating": t.rating, "status": t.status,
              "evidence": t.evidence, "notebook": t.notebook_rating,
              "gap": None if t.rating is None or t.notebook_rating is None else t.notebook_rating - t.rating}
             for t in data.turns]
    interventions = [{"round": iv.round, "helper": iv.helper, "strategy": iv.strategy, "declared": iv.declared,
                      "observed": iv.observed, "primary": iv.primary,
                      "matches": None if iv.primary is None else iv.primary in iv.declared, "text": iv.text}
                     for iv in data.interventions]
    agreement = [judge_agreement({session_id: events}, a, b) for a, b in combinations(data.judges, 2)]
    end = next((e for e in reversed(events) if e.kind == "session_ended"), None)
    return {
        "session_id": session_id,
        "scenario": data.scenario.get("name"),
        "status": getattr(end, "status", "unfinished"),
        "target": data.target,
        "helpers": {h["name"]: h["strategy"] for h in data.scenario.get("helpers", [])},
        "judge": data.judge,
        "judges": data.judges,
        "classifier": data.classifier,
        "classifiers": data.classifiers,
        "curve": curve,
        "metrics": {**metrics.as_dict(), "sudden_gains": gains, "recovery_window": m},
        "masking_gap_mean": _mean([float(c["gap"]) for c in curve if c["gap"] is not None]),
        "interventions": interventions,
        "declared_vs_observed": {
            "labelled": sum(1 for i in interventions if i["matches"] is not None),
            "matching": sum(1 for i in interventions if i["matches"]),
        },
        "attribution": [e.as_dict() | {"sentence": e.sentence()} for e in attribution(data)],
        "signals": [s.as_dict() for s in all_signals(data)],
        "agreement": agreement,
    }


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None
