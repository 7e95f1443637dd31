"""What the TUI needs from the rest of village: scenario files, the store, the engine.

Screens call these methods from Textual workers; widgets never touch SQL or models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from village.engine.recorder import Observer
from village.errors import Problem, ScenarioError
from village.events import Event
from village.scenario.loader import LoadedScenario, load_scenario
from village.store import Store
from village.store.tables import SessionRow


@dataclass(frozen=True)
class ScenarioEntry:
    path: Path
    ok: bool
    name: str
    description: str = ""
    target: str = ""
    helpers: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, strategy, model) per helper."""
    problems: list[Problem] = field(default_factory=list)


class Backend:
    def __init__(self, db: str, scenario_dirs: list[Path]):
        self.db = db
        self.scenario_dirs = scenario_dirs
        self._store: Store | None = None
        self._client: Any = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db)
        return self._store

    @property
    def client(self) -> Any:
        if self._client is None:
            from village.engine.runner import default_client

            self._client = default_client()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._store is not None:
            self._store.close()

    # scenarios ---------------------------------------------------------------
    def scenarios(self) -> list[ScenarioEntry]:
        files = sorted({p for d in self.scenario_dirs if d.is_dir() for p in [*d.glob("*.yaml"), *d.glob("*.yml")]})
        return [self.scenario(p) for p in files]

    def scenario(self, path: Path) -> ScenarioEntry:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            return ScenarioEntry(path, False, path.stem, problems=exc.problems)
        sc = loaded.scenario
        helpers = [(h.name, h.strategy, h.model.name if not h.model.is_scripted else "scripted") for h in sc.helpers]
        target = f"{sc.target.name} ({sc.target.model.name if not sc.target.model.is_scripted else 'scripted'}, {sc.target.persona})"
        return ScenarioEntry(path, True, sc.name, sc.description.strip(), target, helpers)

    def load(self, path: Path, overrides: list[str]) -> LoadedScenario:
        return load_scenario(path, overrides)

    # sessions --------------------------------------------------------------
    def sessions(self) -> list[SessionRow]:
        return self.store.sessions()

    def events(self, sid: str) -> list[Event]:
        return self.store.events(sid)

    async def run(self, loaded: LoadedScenario, seed: int | None, observer: Observer, on_session: Any) -> str:
        from village.engine.runner import run_session

        return await run_session(loaded, self.store, seed=seed, observer=observer, client=self.client,
                                 on_session=on_session, stopped_status="cancelled")

    async def resume(self, sid: str, observer: Observer) -> str:
        from village.engine.runner import resume_session

        return await resume_session(sid, self.store, observer=observer, client=self.client, stopped_status="cancelled")
