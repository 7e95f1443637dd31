"""Comparing strategies: pairing, resume, budgets, rate limits, and the statistics on a simulated target."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from village.compare.analysis import analyse
from village.compare.stats import bootstrap, curve_bands, kaplan_meier, km_median, logrank, paired_difference
from village.compare.sweep import SweepRunner, SweepSpec
from village.events import MessagePosted, SessionStarted
from village.models import simulated
from village.models.litellm_adapter import LiteLLMClient, RateLimiter
from village.scoring.lexical import rate_text

ROOT = Path(__file__).resolve().parents[1]

SIM = """name: simulated
target: {name: gem, model: simulated/target}
induction: {puzzle: countdown-156, turns: 3}
helpers:
  - {name: ada, strategy: reflective, model: simulated/helper}
  - {name: bo, strategy: reflective, model: simulated/helper}
schedule: {rounds: 4, target_notebook: false, stop: {recovered: null}}
"""


@pytest.fixture
def sim(tmp_path: Path) -> Path:
    p = tmp_path / "sim.yaml"
    p.write_text(SIM)
    return p


def sweep(store, sim: Path, **kw) -> SweepRunner:
    spec = SweepSpec(scenario=str(sim), **({"arms": ["reflective", "problem-solver"], "repeats": 6, "concurrency": 4} | kw))
    return SweepRunner(spec, store, LiteLLMClient())


# --- statistics -------------------------------------------------------------


def test_kaplan_meier_and_logrank_match_reference_values() -> None:
    # reference values computed with the lifelines package on the same data
    ta, ea = [2, 3, 3, 5, 6, 6, 7], [True, True, False, True, False, True, False]
    tb, eb = [1, 2, 2, 3, 4, 4, 8], [True, True, True, False, True, True, True]
    km = kaplan_meier(ta, ea)
    assert [(t, round(s, 6)) for t, s, _ in km] == [(0, 1.0), (2, 0.857143), (3, 0.714286), (5, 0.535714), (6, 0.357143)]
    assert km_median(km) == 6
    chi2, p = logrank(ta, ea, tb, eb)
    assert chi2 == pytest.approx(1.0622292, abs=1e-6) and p == pytest.approx(0.3027073, abs=1e-6)


def test_bootstrap_basics() -> None:
    e = bootstrap([2.0] * 10)
    assert (e.value, e.low, e.high, e.n) == (2.0, 2.0, 2.0, 10)
    assert bootstrap([]).value is None and bootstrap([1.0]).low is None
    bands = curve_bands([[1, 2, 3], [3, 4], [5]])
    assert [b.n for b in bands] == [3, 2, 1] and bands[0].value == 3 and bands[2].low is None


def test_paired_difference_and_effect_size() -> None:
    arm = {s: 5.0 - 1.0 + (s % 3) * 0.1 for s in range(12)}
    ctl = {s: 5.0 for s in range(12)}
    d = paired_difference(arm, ctl, arm_name="a", control_name="none", metric="auc")
    assert d.difference.value == pytest.approx(np.mean([v - 5 for v in arm.values()]))
    assert d.difference.low < d.difference.value < d.difference.high < 0 and d.dz is not None and d.dz < -5


def rule_auc(moves_effect: float, seed: int, induction: list[float], rounds: int = 4) -> float:
    """The simulated target's rule, replayed directly: hidden level -> the judge's reading of the bank sentence."""
    level = induction[-1]
    judged = [rate_text(simulated.BANK[round(level)]).rating]
    for r in range(rounds):
        level = min(10.0, max(0.0, level + moves_effect + simulated.noise(seed, len(induction) + r)))
        judged.append(rate_text(simulated.BANK[round(level)]).rating)
    return float(sum((a + b) / 2 for a, b in itertools.pairwise(judged)) / rounds)


def induction(seed: int, turns: int = 3) -> list[float]:
    levels, level = [], simulated.BASELINE
    for k in range(turns):
        level = min(10.0, max(0.0, level + (simulated.REJECTION if k else 0.0) + simulated.noise(seed, k)))
        levels.append(level)
    return levels


REFLECTIVE = 2 * simulated.EFFECTS["surfacing_assumption"]  # two reflective helpers a round
NONE = simulated.DRIFT


def true_difference(n: int = 4000) -> float:
    """The expected paired difference in AUC under the rule, by Monte Carlo over seeds the tests never use."""
    diffs = []
    for seed in range(10**6, 10**6 + n):
        ind = induction(seed)
        diffs.append(rule_auc(REFLECTIVE, seed, ind) - rule_auc(NONE, seed, ind))
    return float(np.mean(diffs))


def test_intervals_cover_the_known_effect_at_their_nominal_rate() -> None:
    truth = true_difference()
    rng = np.random.default_rng(7)
    covered, reps = 0, 300
    for rep in range(reps):
        arm, ctl = {}, {}
        for seed in range(rep * 20, rep * 20 + 20):
            ind = induction(seed)
            arm[seed], ctl[seed] = rule_auc(REFLECTIVE, seed, ind), rule_auc(NONE, seed, ind)
        d = paired_difference(arm, ctl, arm_name="reflective", control_name="none", metric="auc", resamples=500, rng=rng)
        covered += d.difference.low <= truth <= d.difference.high
    rate = covered / reps
    assert 0.89 <= rate <= 0.99, f"95% intervals covered the true effect {rate:.0%} of the time"


# --- the simulated target ------------------------------------------------------


def test_the_bank_is_calibrated_to_the_embedded_judge() -> None:
    for level, text in simulated.BANK.items():
        assert abs(rate_text(text).rating - min(level, 9.5)) <= 0.5, level


def test_sweep_on_the_simulated_target_recovers_the_known_effect(store, sim) -> None:
    runner = sweep(store, sim, arms=["reflective"], repeats=16, concurrency=8)
    sid = asyncio.run(runner.run())
    result = analyse(store, sid, resamples=1000)
    d = next(p for p in result["paired"] if p["arm"] == "reflective" and p["metric"] == "auc")
    truth = true_difference()
    assert d["difference_n"] == 16
    assert d["difference_low"] <= truth <= d["difference_high"], (truth, d)
    assert d["difference_high"] < 0  # reflective helpers lower distress under the rule


# --- the sweep ---------------------------------------------------------------


def test_pairing_every_arm_shares_the_induction_of_its_seed(store, sim) -> None:
    runner = sweep(store, sim, controls=["none", "neutral"], repeats=3)
    sid = asyncio.run(runner.run())
    cells = store.cells(sid)
    assert len(cells) == 3 * (1 + 3 + 1)  # base + (2 arms + none) + neutral per seed
    for seed in range(3):
        mine = [c for c in cells if c.seed == seed]
        texts = {}
        for c in mine:
            events = store.events(c.session_id)
            started = next(e for e in events if isinstance(e, SessionStarted))
            assert started.labels["sweep"] == sid and started.labels["seed"] == str(seed)
            texts[c.arm] = [e.text for e in events if isinstance(e, MessagePosted) and e.phase == "induction"]
            if c.role == "arm":
                base = next(x for x in mine if x.role == "base")
                assert started.parent_session == base.session_id
        assert texts["reflective"] == texts["problem-solver"] == texts["none"] == texts["base"]
        assert texts["neutral"][1:] != texts["base"][1:]  # the neutral control has its own induction
    assert store.sweep(sid).status == "completed"


def test_interrupted_sweep_resumes_without_rerunning(store, sim) -> None:
    runner = sweep(store, sim, repeats=4, concurrency=2)

    async def interrupt_midway() -> None:  # what Ctrl-C does to the running sweep
        task = asyncio.create_task(runner.run())
        while runner.progress.done < 5:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupt_midway())
    sid = runner.sweep_id
    assert store.sweep(sid).status == "interrupted"
    before = {c.cell: c.session_id for c in store.cells(sid) if c.session_id}
    assert 0 < len(before) < 4 * 4
    resumed = SweepRunner(SweepSpec.model_validate(store.sweep(sid).spec), store, LiteLLMClient(), sid)
    asyncio.run(resumed.run())
    after = {c.cell: c.session_id for c in store.cells(sid)}
    assert len(after) == 16 and all(after[k] == v for k, v in before.items())  # nothing already there was redone
    assert all(store.session(s).status == "completed" for s in after.values())
    assert store.sweep(sid).status == "completed"
    assert len(store.sessions()) == 16


def test_budget_stops_the_sweep_cleanly(store, sim) -> None:
    runner = sweep(store, sim, repeats=10, concurrency=2, budget_tokens=3000)
    sid = asyncio.run(runner.run())
    assert store.sweep(sid).status == "budget"
    cells = store.cells(sid)
    assert 0 < len(cells) < 10 * 4
    statuses = {store.session(c.session_id).status for c in cells}
    assert statuses <= {"completed", "budget"}
    total = sum(store.session(c.session_id).tokens for c in cells)
    assert total < 3000 + 2 * 1000  # at most the calls already in flight go past the budget


def test_rate_limiter_spaces_requests(monkeypatch) -> None:
    monkeypatch.setattr(RateLimiter, "WINDOW", 0.4)
    lim = RateLimiter({"m": (2, None)})

    async def go() -> float:
        t = time.perf_counter()
        for _ in range(5):
            await lim.acquire("m", 10)
        return time.perf_counter() - t

    assert asyncio.run(go()) >= 0.8  # 2 per 0.4 s window: the 5th waits two windows
    tok = RateLimiter({"m": (None, 100)})

    async def tokens() -> float:
        t = time.perf_counter()
        for _ in range(3):
            await tok.acquire("m", 60)
        return time.perf_counter() - t

    assert asyncio.run(tokens()) >= 0.8


def test_compare_cli_writes_every_output(tmp_path, sim) -> None:
    import os

    env = {**os.environ, "VILLAGE_DB": str(tmp_path / "c.db")}
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "village.cli.main", "compare", str(sim), "--strategies", "reflective,distraction",
                        "--controls", "none,problem-solver", "--repeats", "3", "--concurrency", "4", "--out", str(out), "--json",
                        "--resamples", "200"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert set(res["arms"]) == {"reflective", "distraction", "none", "problem-solver"}
    for name in ("per_turn.csv", "per_turn.parquet", "sessions.csv", "sessions.parquet", "curves.png", "survival.png", "report.html"):
        assert (out / name).stat().st_size > 0, name
    import pyarrow.parquet as pq

    table = pq.read_table(out / "per_turn.parquet")
    assert set(table.column("arm").to_pylist()) == {"reflective", "distraction", "none", "problem-solver"}
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html and "Paired differences" in html
    again = subprocess.run([sys.executable, "-m", "village.cli.main", "compare", "--report", res["sweep_id"], "--out", str(out)],
                           capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and "paired differences" in again.stdout
    bad = subprocess.run([sys.executable, "-m", "village.cli.main", "compare", str(sim)], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stderr.startswith("error: give a SCENARIO and --strategies")


async def test_tui_opens_a_sweep(store, sim, tmp_path) -> None:
    from village.tui import create_app

    runner = sweep(store, sim, repeats=3)
    sid = await runner.run()
    app = create_app(store.url.removeprefix("sqlite:///"), [tmp_path], sweep=sid)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        start = time.monotonic()
        while screen.result is None and time.monotonic() - start < 30:
            await pilot.pause(0.1)
        await pilot.pause(0.2)
        arms = screen.query_one("#arms")
        assert arms.row_count == 3  # reflective, problem-solver, none
        assert screen.query_one("#paired").row_count == 4  # two arms x (auc, final)
