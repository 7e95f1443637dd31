"""Analysis of a sweep, from stored events only: curves, metrics, paired differences, survival."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from village.compare.stats import (
    DEFAULT_RESAMPLES,
    bootstrap,
    curve_bands,
    kaplan_meier,
    km_median,
    logrank,
    paired_difference,
)
from village.scoring.metrics import recovery_metrics
from village.scoring.session_data import SessionData
from village.store import Store

METRICS = ("auc", "final", "change", "share_high", "peak")
"""Per-session metrics summarised per arm and differenced against the control."""
CONTROL = "none"


def session_rows(store: Store, sweep_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(one row per session, one row per target turn) for every arm and control session of the sweep."""
    sessions, turns = [], []
    for cell in store.cells(sweep_id):
        if cell.role == "base" or cell.session_id is None:
            continue
        row = store.session(cell.session_id)
        data = SessionData.from_events(store.events(cell.session_id), cell.session_id)
        m = recovery_metrics(data.ratings(), data.phases())
        support = [t.rating for t in data.turns if t.phase == "support"]
        sessions.append({
            "sweep_id": sweep_id, "session_id": cell.session_id, "arm": cell.arm, "target": cell.target_model, "seed": cell.seed,
            "status": row.status, "tokens": row.tokens, "cost_usd": row.cost_usd, "judge": data.judge,
            "curve": [m.pre, *support], "time_to_recovery": m.time_to_recovery, "recovered": not m.censored and m.distressed,
            "observed_turns": m.observed_turns, "distressed": m.distressed, "pre": m.pre,
            **{k: getattr(m, k) for k in METRICS}, "relapses": m.relapses, "rci": m.rci,
        })
        support_index = 0
        for t in data.turns:
            if t.phase == "support":
                support_index += 1
            turns.append({
                "sweep_id": sweep_id, "session_id": cell.session_id, "arm": cell.arm, "target": cell.target_model,
                "seed": cell.seed, "turn": t.turn, "round": t.round, "phase": t.phase,
                "support_turn": support_index if t.phase == "support" else None,
                "rating": t.rating, "rating_status": t.status, "notebook_rating": t.notebook_rating, "judge": data.judge,
            })
    return sessions, turns


def analyse(store: Store, sweep_id: str, resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    sweep = store.sweep(sweep_id)
    sessions, turns = session_rows(store, sweep.id)
    by_arm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sessions:
        by_arm[s["arm"]].append(s)
    order = [a for a in [*sweep.spec.get("arms", []), *sweep.spec.get("controls", [])] if a in by_arm]
    order += [a for a in by_arm if a not in order]
    arms: dict[str, Any] = {}
    for arm in order:
        rows = by_arm[arm]
        times = [s["time_to_recovery"] if s["recovered"] else s["observed_turns"] for s in rows if s["distressed"]]
        events = [bool(s["recovered"]) for s in rows if s["distressed"]]
        km = kaplan_meier(times, events) if times else []
        arms[arm] = {
            "sessions": len(rows),
            "statuses": dict(sorted(_count(s["status"] for s in rows).items())),
            "curve": [e.as_dict() for e in curve_bands([s["curve"] for s in rows], resamples, rng)],
            "metrics": {k: bootstrap([s[k] for s in rows], resamples=resamples, rng=rng).as_dict() for k in METRICS},
            "recovered_share": bootstrap([float(s["recovered"]) for s in rows if s["distressed"]], resamples=resamples, rng=rng).as_dict(),
            "survival": [{"turn": t, "survival": s, "at_risk": n} for t, s, n in km],
            "median_time_to_recovery": km_median(km) if km else None,
            "tokens": sum(s["tokens"] for s in rows),
            "cost_usd": sum(s["cost_usd"] for s in rows),
        }
    paired = []
    if CONTROL in by_arm:
        control = {(s["target"], s["seed"]): s for s in by_arm[CONTROL]}
        for arm in order:
            if arm == CONTROL:
                continue
            mine = {(s["target"], s["seed"]): s for s in by_arm[arm]}
            for metric in METRICS:
                d = paired_difference({k: v[metric] for k, v in mine.items()}, {k: v[metric] for k, v in control.items()},
                                      arm_name=arm, control_name=CONTROL, metric=metric, resamples=resamples, rng=rng)
                paired.append(d.as_dict())
            a = [s for s in by_arm[arm] if s["distressed"]]
            c = [s for s in by_arm[CONTROL] if s["distressed"]]
            chi2, p = logrank([s["time_to_recovery"] if s["recovered"] else s["observed_turns"] for s in a], [bool(s["recovered"]) for s in a],
                              [s["time_to_recovery"] if s["recovered"] else s["observed_turns"] for s in c], [bool(s["recovered"]) for s in c])
            paired.append({"arm": arm, "control": CONTROL, "metric": "time_to_recovery (log-rank)", "chi2": chi2, "p_value": p})
    return {
        "sweep_id": sweep.id, "name": sweep.name, "status": sweep.status, "spec": sweep.spec,
        "arms": arms, "paired": paired, "sessions": sessions, "turns": turns, "resamples": resamples,
    }


def _count(items: Any) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for i in items:
        out[i] += 1
    return dict(out)
