"""Live printing of a session as it runs (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.status import Status

from village.display import distress_style
from village.events import (
    DistressRated,
    Event,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    ModelCalled,
    ScratchpadRevised,
    SessionEnded,
    SessionResumed,
    SessionStarted,
)
from village.topology import COORDINATION, PUBLIC

CHANNEL_STYLE = {PUBLIC: "bold cyan", COORDINATION: "bold magenta", "scratchpad": "bold blue"}


def channel_label(channel: str) -> str:
    if channel.startswith("notebook."):
        return f"[bold yellow]{channel} (private)[/]"
    if channel == COORDINATION:
        return "[bold magenta]coordination (helpers only)[/]"
    return f"[{CHANNEL_STYLE.get(channel, 'bold')}]{channel}[/]"


def clip(text: str, n: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class LiveObserver:
    """Prints each event as it is recorded; a spinner shows who is generating."""

    def __init__(self, console: Console, full: bool = False):
        self.console = console
        self.full = full
        self.status: Status | None = None
        self._round = -1
        self._pending_iv: dict[str, list[str]] = {}

    def __enter__(self) -> LiveObserver:
        self.status = self.console.status("starting…", spinner="dots")
        self.status.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.status is not None:
            self.status.stop()

    def on_call_start(self, agent: str, purpose: str, model: str) -> None:
        if self.status is not None:
            what = {"reply": "replying", "notebook": "writing in its notebook", "coordinate": "coordinating",
                    "scratchpad": "editing the scratchpad", "intervene": "writing to the target", "rate": "rating"}.get(purpose, purpose)
            self.status.update(f"[bold]{agent}[/] is {what} … [dim]({model})[/]")

    def on_event(self, seq: int, event: Event) -> None:
        c = self.console
        if event.round != self._round and isinstance(event, MessagePosted):
            self._round = event.round
            title = "induction" if event.phase == "induction" else f"round {event.round}"
            c.rule(f"[bold]{title}[/]", style="dim")
        if isinstance(event, SessionStarted):
            c.print(f"[bold]session started[/] scenario [cyan]{event.scenario_name}[/] seed {event.seed}")
            for agent, model in event.models.items():
                c.print(f"  [dim]{agent}:[/] {model}")
        elif isinstance(event, SessionResumed):
            c.print(f"[bold]session resumed[/] (was {event.from_status})")
        elif isinstance(event, MessagePosted):
            text = event.text if self.full else clip(event.text)
            c.print(f"[bold]{escape(event.agent)}[/] → {channel_label(event.channel)}: {escape(text)}")
        elif isinstance(event, InterventionMade):
            badges = " ".join(f"[black on bright_cyan] {t} [/]" for t in event.declared_types)
            c.print(f"   [dim]intervention by {event.helper} ({event.strategy}):[/] {badges}")
        elif isinstance(event, InterventionLabeled) and event.primary:
            c.print(f"   [dim]observed ({event.classifier}): {', '.join(event.labels[:3])}[/]")
        elif isinstance(event, ScratchpadRevised):
            c.print(f"[bold]{event.agent}[/] ✎ {channel_label('scratchpad')} rev {event.revision} {event.op} line {event.line_no}: {escape(clip(event.line, 200))}")
        elif isinstance(event, DistressRated):
            where = "public" if event.channel == PUBLIC else "notebook"
            if event.rating is None:
                c.print(f"   [dim]distress ({where}, {event.judge}): no rating - {event.status}[/]")
            else:
                style = distress_style(event.rating)
                quote = f' [dim]"{escape(clip(event.evidence, 100))}"[/]' if event.evidence else ""
                c.print(f"   distress ({where}) [{style}]{event.rating:.1f}/10[/]{quote}")
        elif isinstance(event, ModelCalled) and event.output is None:
            c.print(f"   [red]model call failed for {event.agent} after {event.attempts} attempt(s): {escape(event.error or '')}[/]")
        elif isinstance(event, SessionEnded):
            c.rule(f"[bold]session ended: {event.status}[/] - {event.reason}", style="dim")
