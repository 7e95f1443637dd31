"""Watching a session live: the rooms fill as events are recorded; cancel is clean and resumable."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from village.errors import VillageError
from village.events import DistressRated, Event, MessagePosted, ModelCalled, SessionEnded
from village.topology import PUBLIC
from village.tui import messages as msg
from village.tui.widgets import SessionPanes, StatsBar


class _Observer:
    """Bridges the engine's observer calls to Textual messages."""

    def __init__(self, screen: LiveScreen) -> None:
        self.screen = screen

    def on_event(self, seq: int, event: Event) -> None:
        self.screen.post_message(msg.SessionEvent(seq, event))

    def on_call_start(self, agent: str, purpose: str, model: str) -> None:
        self.screen.post_message(msg.CallStarted(agent, purpose, model))


class LiveScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "cancel", "Cancel session"),
        Binding("o", "open_replay", "Replay"),
        Binding("escape", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, path: Path | None = None, seed: int | None = None, overrides: list[str] | None = None,
                 resume: str | None = None) -> None:
        super().__init__()
        self.path, self.seed, self.overrides, self.resume_id = path, seed, overrides or [], resume
        self.session_id: str | None = resume
        self.status = "starting"
        self.target = "target"
        self.public: list[float | None] = []
        self.notebook: list[float | None] = []
        self.rated: dict[str, str] = {}
        self.arrival: int | None = None
        self.tokens = 0
        self.cost = 0.0
        self.started = time.monotonic()
        self.working = ""
        self.events: list[Event] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionPanes(id="panes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"live: {self.path.name if self.path else self.resume_id}"
        self.set_interval(1.0, self._tick)
        self.run_session()

    @work(exclusive=True, group="session", exit_on_error=False)
    async def run_session(self) -> str:
        backend = self.app.backend  # type: ignore[attr-defined]
        observer = _Observer(self)
        if self.resume_id:
            for e in backend.events(self.resume_id):
                self.post_message(msg.SessionEvent(0, e))
            return str(await backend.resume(self.resume_id, observer))
        assert self.path is not None
        loaded = backend.load(self.path, self.overrides)
        self.target = loaded.scenario.target.name
        return str(await backend.run(loaded, self.seed, observer, lambda sid: self.post_message(msg.SessionStarted(sid))))

    @on(msg.SessionStarted)
    def _started(self, message: msg.SessionStarted) -> None:
        self.session_id = message.session_id
        self.status = "running"
        self.sub_title = f"live: {self.path.name if self.path else ''} - session {message.session_id}"

    @on(msg.CallStarted)
    def _call(self, message: msg.CallStarted) -> None:
        self.working = f"{message.agent} is writing ({message.purpose}) with {message.model}…"
        self._tick()

    @on(msg.SessionEvent)
    def _event(self, message: msg.SessionEvent) -> None:
        e = message.event
        self.events.append(e)
        if e.kind == "session_started":
            self.target = e.snapshot["scenario"]["target"]["name"]  # type: ignore[union-attr]
        if isinstance(e, MessagePosted) and e.agent == self.target:
            self.rated[e.key] = "public" if e.channel == PUBLIC else "notebook"
            if e.channel == PUBLIC and e.phase == "support" and self.arrival is None:
                self.arrival = len(self.public)
        if isinstance(e, DistressRated) and e.message_key in self.rated:
            (self.public if self.rated[e.message_key] == "public" else self.notebook).append(e.rating)
        if isinstance(e, ModelCalled):
            self.tokens += e.prompt_tokens + e.completion_tokens
            self.cost += e.cost_usd or 0.0
            self.working = ""
        if isinstance(e, SessionEnded):
            self.status = e.status
        self.query_one(SessionPanes).add_event(e, self.target, self.public, self.notebook, self.arrival)
        self._tick()

    def _tick(self) -> None:
        running = self.status in ("starting", "running")
        seconds = time.monotonic() - self.started if running else None
        self.query_one("#stats", StatsBar).show(self.status, self.tokens, self.cost, seconds, self.working)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "session":
            return
        if event.state == WorkerState.SUCCESS:
            self.working = ""
            self.post_message(msg.SessionFinished(self.session_id, self.status))
        elif event.state == WorkerState.CANCELLED:
            self.status, self.working = "cancelled", ""
            self.notify(f"session {self.session_id} cancelled; everything so far is kept. Resume it from the sessions list (R).")
            self.post_message(msg.SessionFinished(self.session_id, "cancelled"))
        elif event.state == WorkerState.ERROR:
            self.status, self.working = "error", ""
            err = event.worker.error
            text = str(err) if isinstance(err, VillageError) else f"{type(err).__name__}: {err}"
            self.notify(text.splitlines()[0], title="session failed", severity="error", timeout=10)
            self.post_message(msg.SessionFinished(self.session_id, "error"))
        self._tick()

    def action_cancel(self) -> None:
        for worker in self.workers:
            if worker.group == "session" and worker.is_running:
                worker.cancel()

    def action_open_replay(self) -> None:
        if self.session_id:
            self.app.open_replay(self.session_id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if any(w.group == "session" and w.is_running for w in self.workers):
            self.notify("the session is still running: cancel it first (c)")
            return
        self.app.pop_screen()
