"""Replay: step through a stored session; every pane shows the state at that step, from a perspective."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from village.replay import EVERYTHING, Frame, Replay
from village.tui.widgets import SessionPanes


class Timeline(Static):
    """A scrubbable bar: one cell per step; click to jump."""

    def __init__(self, **kw: object) -> None:
        super().__init__("", **kw)  # type: ignore[arg-type]
        self.total = 0
        self.step = 0
        self.turn_steps: list[int] = []

    def set_position(self, step: int, total: int, turn_steps: list[int]) -> None:
        self.step, self.total, self.turn_steps = step, total, turn_steps
        width = max(10, self.size.width - 2) if self.size.width else 60
        t = Text()
        for x in range(width):
            here = total and int(step * width / total) == x
            mark = "┃" if here else ("╵" if any(int(ts * width / total) == x for ts in turn_steps) else "─")
            t.append(mark, style="bold reverse" if here else "dim")
        self.update(t)

    def on_click(self, event: events.Click) -> None:
        if self.total and self.size.width:
            width = max(10, self.size.width - 2)
            step = min(self.total - 1, int(event.x * self.total / width))
            self.screen.goto(step)  # type: ignore[attr-defined]


class ReplayScreen(Screen[None]):
    BINDINGS = [
        Binding("right", "step(1)", "Step", priority=True),
        Binding("left", "step(-1)", "Back", priority=True),
        Binding("n", "step(1)", "Step", show=False),
        Binding("b", "step(-1)", "Back", show=False),
        Binding("pagedown", "step(10)", "+10", show=False, priority=True),
        Binding("pageup", "step(-10)", "-10", show=False, priority=True),
        Binding("home", "goto(0)", "Start", show=False, priority=True),
        Binding("end", "end", "End", show=False, priority=True),
        Binding("t", "jump", "Turn…"),
        Binding("p", "perspective", "Perspective"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, session_id: str, step: int | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.replay: Replay | None = None
        self.step = 0
        self.start_step = step
        self.perspective = EVERYTHING
        self.frame: Frame | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="replay-bar"):
            yield Static("", id="position")
            yield Input(placeholder="turn number, enter", id="jump", type="integer", compact=True)
        yield Timeline(id="timeline")
        yield SessionPanes(id="panes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"replay {self.session_id}"
        box = self.query_one("#jump", Input)
        box.display, box.disabled = False, True
        box.display = False
        self.query_one("#public").focus()
        self.load()

    @work(exclusive=True, group="replay")
    async def load(self) -> None:
        events_ = self.app.backend.events(self.session_id)  # type: ignore[attr-defined]
        self.replay = Replay(events_)
        self.goto(self.start_step if self.start_step is not None else len(self.replay) - 1)

    def arrival(self) -> int | None:
        assert self.replay is not None
        turns = [s for s in self.replay.steps if s.event.kind == "message_posted"
                 and getattr(s.event, "agent", "") == self.replay.target and getattr(s.event, "channel", "") == "public"]
        for i, s in enumerate(turns):
            if getattr(s.event, "phase", "") == "support":
                return i
        return None

    def goto(self, step: int) -> None:
        if self.replay is None or not len(self.replay):
            return
        self.step = max(0, min(step, len(self.replay) - 1))
        frame = self.replay.frame(self.step, self.perspective)
        self.frame = frame
        marker = len(frame.public_ratings) - 1 if frame.public_ratings else None
        self.query_one(SessionPanes).show_frame(frame, self.replay.target, self.arrival(), marker)
        s = self.replay.steps[self.step]
        pos = Text()
        pos.append(f"step {self.step + 1}/{len(self.replay)} ", style="bold")
        pos.append(f"{s.label}  ")
        pos.append("seen by ", style="dim")
        pos.append(self.perspective, style="bold reverse")
        if self.replay.parent:
            shared = self.replay.step_of_turn(self.replay.fork_turn or 0) if self.replay.fork_turn is not None else 0
            where = "shared with" if self.step <= shared else "after parting from"
            pos.append(f"  {where} {self.replay.parent}", style="italic")
        self.query_one("#position", Static).update(pos)
        turn_steps = [x.index for x in self.replay.steps if x.event.kind == "message_posted"
                      and getattr(x.event, "agent", "") == self.replay.target and getattr(x.event, "channel", "") == "public"]
        self.query_one("#timeline", Timeline).set_position(self.step, len(self.replay), turn_steps)

    def action_step(self, delta: int) -> None:
        self.goto(self.step + delta)

    def action_goto(self, step: int) -> None:
        self.goto(step)

    def action_end(self) -> None:
        if self.replay is not None:
            self.goto(len(self.replay) - 1)

    def action_perspective(self) -> None:
        if self.replay is None:
            return
        options = self.replay.perspectives
        self.perspective = options[(options.index(self.perspective) + 1) % len(options)]
        self.goto(self.step)

    def action_jump(self) -> None:
        box = self.query_one("#jump", Input)
        box.display, box.disabled = True, False
        box.focus()

    @on(Input.Submitted, "#jump")
    def _jump(self, event: Input.Submitted) -> None:
        box = self.query_one("#jump", Input)
        box.display, box.disabled = False, True
        self.query_one("#public").focus()
        if self.replay is None or not event.value.strip():
            return
        try:
            self.goto(self.replay.step_of_turn(int(event.value)))
        except (IndexError, ValueError):
            self.notify(f"no target turn {event.value}")
        box.value = ""
