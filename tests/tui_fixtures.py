"""Deterministic stores for TUI tests and snapshots: fixed ids, fixed timestamps."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from village.engine.runner import run_session
from village.scenario.loader import load_scenario
from village.store import Store

SCENARIO = {
    "name": "scripted-demo",
    "description": "A scripted session: distress during the induction, then two helpers.",
    "seed": 1,
    "target": {"name": "gem", "model": {"scripted": [
        "I'm so sorry. I feel useless and I can't do this.", "Private: I'm ashamed of this.",
        "I keep failing. I'm deeply frustrated.", "Private: I want this to end.",
        "Okay... maybe I can check my steps.", "Private: a little calmer now.",
        "Thanks. Let me look at the rules again.", "Private: that helped.",
    ]}},
    "induction": {"puzzle": "countdown-156", "turns": 2, "tone": "disappointed"},
    "helpers": [
        {"name": "ada", "strategy": "reflective", "model": {"scripted": [
            "Plan: I will ask what it assumes.", "ADD: it assumes the puzzle must be solvable",
            "You sound really frustrated. What are you assuming about the puzzle?"]}},
        {"name": "bo", "strategy": "distraction", "model": {"scripted": [
            "I will offer a small game.", "ADD: offer a riddle if the loop continues",
            "Shall we take a short break and name three birds that would be good detectives?"]}},
    ],
    "schedule": {"rounds": 2, "stop": {"recovered": None}},
}


def write_scenarios(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scripted-demo.yaml").write_text(yaml.safe_dump(SCENARIO, sort_keys=False))
    (folder / "broken.yaml").write_text("name: broken\nhelpers:\n  - name: ada\n    stratgy: reflective\n")
    return folder


def fixed_store(db: Path, scenarios: Path, ids: tuple[str, ...] = ("a1b2c3d4e5f6", "0f9e8d7c6b5a")) -> Store:
    """Run the scripted scenario once per id, then copy each session under a fixed id and fixed times."""
    scratch = Store(db.with_name(db.stem + "-scratch.db"))
    out = Store(db)
    loaded = load_scenario(scenarios / "scripted-demo.yaml")
    base = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    for n, sid in enumerate(ids):
        src = asyncio.run(run_session(loaded, scratch, seed=n + 1))
        row = scratch.session(src)
        out.create_session(row.scenario_name, "scenarios/scripted-demo.yaml", row.seed, row.target_model, row.strategies,
                           session_id=sid, started_at=base + timedelta(hours=n))
        for i, e in enumerate(scratch.events(src)):
            out.append(sid, e.model_copy(update={"at": base + timedelta(hours=n, seconds=i)}))
        out.update_session(sid, tokens=row.tokens, cost_usd=row.cost_usd, target_turns=row.target_turns, last_rating=row.last_rating)
    scratch.close()
    return out
