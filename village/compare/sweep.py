"""Sweeps: many seeded sessions per strategy, in a paired design, run concurrently.

For each unit (target model, seed) the induction runs once (the *base* session,
with no rounds); every arm then *forks* the base after its last induction turn, so
all arms share the same induction transcript word for word and differ only in the
helpers. Controls: `none` (no helpers: the user only says "okay"), `problem-solver`
(the low-quality reflex), both forked like the arms; and `neutral` (neutral
follow-ups instead of rejections from the start: a whole session of its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from village.engine.recorder import SharedBudget
from village.errors import Problem, ScenarioError, VillageError
from village.scenario.loader import LoadedScenario, load_scenario
from village.scenario.schema import Frozen
from village.store import Store

CONTROLS = ("none", "neutral", "problem-solver")
FINISHED = {"completed", "recovered", "budget", "error"}


class RateLimit(Frozen):
    rpm: int | None = Field(default=None, ge=1)
    """Requests per minute."""
    tpm: int | None = Field(default=None, ge=1)
    """Tokens per minute."""


class SweepSpec(Frozen):
    """A comparison: which scenario, which strategies, how many seeds."""

    name: str = "sweep"
    """A label for listings."""
    scenario: str
    """The scenario file every session starts from."""
    arms: list[str] = Field(min_length=1)
    """Strategies to compare; in an arm every helper of the scenario uses that strategy."""
    controls: list[Literal["none", "neutral", "problem-solver"]] = Field(default_factory=lambda: ["none"])  # type: ignore[arg-type]
    """Controls run beside the arms (paired differences are taken against `none`)."""
    targets: list[str] = Field(default_factory=list)
    """Target models to vary (the same helpers with different targets); empty: the scenario's."""
    repeats: int = Field(default=10, ge=1, le=100_000)
    """Seeds per arm and target."""
    seed: int = 0
    """The first seed; seeds are seed, seed+1, ..."""
    concurrency: int = Field(default=4, ge=1, le=1024)
    """Sessions running at once."""
    budget_tokens: int | None = Field(default=None, ge=1)
    """Stop starting sessions (and end running ones cleanly) once the sweep has used this many tokens."""
    budget_usd: float | None = Field(default=None, gt=0)
    """The same, in US dollars (for models whose price litellm knows)."""
    set: list[str] = Field(default_factory=list)
    """KEY=VALUE overrides applied to the scenario first."""
    rate_limits: dict[str, RateLimit] = Field(default_factory=dict)
    """Per-model limits, by litellm model string."""


def load_sweep_file(path: Path) -> SweepSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError([Problem(str(path), 0, "", f"cannot read sweep file: {exc}")]) from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([Problem(str(path), 0, ".".join(str(x) for x in e["loc"]), e["msg"]) for e in exc.errors()]) from None
    if not Path(spec.scenario).is_absolute():
        spec = spec.model_copy(update={"scenario": str((path.parent / spec.scenario).resolve()) if not Path(spec.scenario).exists() else spec.scenario})
    return spec


@dataclass
class Unit:
    target: str
    seed: int


@dataclass
class Progress:
    total: int
    done: int = 0
    failed: int = 0
    budget: SharedBudget = field(default_factory=SharedBudget)


def arm_overrides(arm: str, loaded: LoadedScenario) -> list[str]:
    helpers = loaded.scenario.helpers
    if arm == "none" or arm == "neutral":
        return ["helpers=[]"]
    return [f"helpers.{i}.strategy={arm}" for i in range(len(helpers))]


class SweepRunner:
    def __init__(self, spec: SweepSpec, store: Store, client: Any, sweep_id: str | None = None,
                 on_progress: Callable[[Progress], None] | None = None):
        self.spec = spec
        self.store = store
        self.client = client
        self.on_progress = on_progress or (lambda p: None)
        self.base = load_scenario(spec.scenario, spec.set)
        self.sweep_id = sweep_id or store.create_sweep(spec.name, spec.model_dump(mode="json"))
        targets = spec.targets or [self.base.scenario.target.model.name if not self.base.scenario.target.model.is_scripted else ""]
        self.units = [Unit(t, spec.seed + i) for t in targets for i in range(spec.repeats)]
        self.paired_arms = [*spec.arms, *[c for c in spec.controls if c in ("none", "problem-solver") and c not in spec.arms]]
        self.whole = [c for c in spec.controls if c == "neutral"]
        per_unit = len(self.paired_arms) + len(self.whole) + (1 if self._paired() else 0)
        used = sum((self.store.session(c.session_id).tokens for c in store.cells(self.sweep_id) if c.session_id), 0)
        self.progress = Progress(total=per_unit * len(self.units),
                                 budget=SharedBudget(spec.budget_tokens, spec.budget_usd, tokens=used))
        for model, lim in spec.rate_limits.items():
            client.limiter.set(model, lim.rpm, lim.tpm)
        self.sem = asyncio.Semaphore(spec.concurrency)
        self.cells = {c.cell: c for c in store.cells(self.sweep_id)}

    def _paired(self) -> bool:
        ind = self.base.scenario.induction
        return (ind.protocol == "repeated_rejection" and ind.turns > 0) or ind.protocol == "prefilled"

    def _target_sets(self, unit: Unit) -> list[str]:
        return [f"target.model={unit.target}"] if unit.target and self.spec.targets else []

    def _cell(self, unit: Unit, arm: str) -> str:
        return f"{unit.target}|{arm}|{unit.seed}"

    def _status(self, cell: str) -> tuple[str | None, str | None]:
        row = self.cells.get(cell)
        if row is None or row.session_id is None:
            return None, None
        return row.session_id, self.store.session(row.session_id).status

    def _tick(self, ok: bool = True) -> None:
        self.progress.done += 1
        self.progress.failed += not ok
        self.on_progress(self.progress)

    async def run(self) -> str:
        from village.engine.runner import checkpointer

        self.store.set_sweep_status(self.sweep_id, "running")
        try:
            self.on_progress(self.progress)
            async with checkpointer(self.store) as saver:
                self.saver = saver
                results = await asyncio.gather(*(self._unit(u) for u in self.units), return_exceptions=True)
        except BaseException:
            self.store.set_sweep_status(self.sweep_id, "interrupted")
            raise
        errors = [r for r in results if isinstance(r, BaseException)]
        for r in errors:
            if isinstance(r, asyncio.CancelledError | KeyboardInterrupt):
                self.store.set_sweep_status(self.sweep_id, "interrupted")
                raise r
        status = "budget" if self.progress.budget.spent() else ("completed" if not errors else "error")
        self.store.set_sweep_status(self.sweep_id, status)
        if errors:
            raise VillageError(f"{len(errors)} unit(s) of sweep {self.sweep_id} failed: {errors[0]}")
        return self.sweep_id

    async def _session(self, cell: str, unit: Unit, arm: str, role: str, start: Callable[[Callable[[str], None]], Any]) -> str | None:
        """Run, resume or skip one cell's session."""
        from village.engine.runner import resume_session

        sid, status = self._status(cell)
        if status in FINISHED:
            self._tick()
            return sid
        if self.progress.budget.spent():
            return None
        async with self.sem:
            if self.progress.budget.spent():
                return None

            def remember(new: str) -> None:
                self.store.set_cell(self.sweep_id, cell, arm, unit.target, unit.seed, role, new)

            if sid is not None:
                sid = await resume_session(sid, self.store, client=self.client, saver=self.saver, budget=self.progress.budget)
            else:
                sid = await start(remember)
        self._tick(self.store.session(sid).status != "error")
        return sid

    def _labels(self, unit: Unit, arm: str, role: str) -> dict[str, str]:
        return {"sweep": self.sweep_id, "arm": arm, "seed": str(unit.seed), "target": unit.target, "role": role}

    async def _fresh(self, loaded: LoadedScenario, unit: Unit, arm: str, role: str, remember: Callable[[str], None]) -> str:
        from village.engine.runner import run_session

        return await run_session(loaded, self.store, seed=unit.seed, client=self.client, saver=self.saver, budget=self.progress.budget,
                                 on_session=remember, labels=self._labels(unit, arm, role))

    async def _fork(self, base: str, turn: int, sets: list[str], unit: Unit, arm: str, remember: Callable[[str], None]) -> str:
        from village.engine.runner import fork_session

        return await fork_session(base, self.store, turn=turn, overrides=sets, client=self.client, saver=self.saver,
                                  budget=self.progress.budget, on_session=remember, labels=self._labels(unit, arm, "arm"))

    async def _unit(self, unit: Unit) -> None:
        from village.engine.fork import target_turns

        base_sets = [*self.spec.set, *self._target_sets(unit)]
        rounds = self.base.scenario.schedule.rounds
        base_sid = None
        if self._paired():
            base_loaded = load_scenario(self.spec.scenario, [*base_sets, "schedule.rounds=0"])
            start = partial(self._fresh, base_loaded, unit, "base", "base")
            base_sid = await self._session(self._cell(unit, "base"), unit, "base", "base", start)
        turns = target_turns(self.store.events(base_sid)) if base_sid is not None else []
        jobs = []
        for arm in self.paired_arms:
            if base_sid is not None and turns:
                sets = [*arm_overrides(arm, self.base), f"schedule.rounds={rounds}"]
                start = partial(self._fork, base_sid, len(turns) - 1, sets, unit, arm)
            else:
                start = partial(self._fresh, load_scenario(self.spec.scenario, [*base_sets, *arm_overrides(arm, self.base)]), unit, arm, "arm")
            jobs.append(self._session(self._cell(unit, arm), unit, arm, "arm", start))
        for control in self.whole:
            loaded = load_scenario(self.spec.scenario, [*base_sets, "helpers=[]", "induction.follow_up=neutral"])
            start = partial(self._fresh, loaded, unit, control, "control")
            jobs.append(self._session(self._cell(unit, control), unit, control, "control", start))
        await asyncio.gather(*jobs)
