"""Display widgets. They render what they are given; they never query the store or call models."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import RichLog, Static, TabbedContent, TabPane

from village.display import distress_chart, distress_style
from village.events import (
    DistressRated,
    Event,
    InterventionLabeled,
    InterventionMade,
    MessagePosted,
    ModelCalled,
    ScratchpadRevised,
)
from village.replay import Frame
from village.topology import COORDINATION, PUBLIC, USER

BADGE = "bold black on bright_cyan"
OBSERVED = "bold black on bright_yellow"


def message_text(m: MessagePosted, badges: list[str] | None = None) -> Text:
    t = Text()
    t.append("ind " if m.phase == "induction" else f"r{m.round} ", style="dim")
    t.append(m.agent, style="bold" if m.agent != USER else "bold italic")
    t.append(": ")
    for b in badges or []:
        t.append(f" {b} ", style=BADGE)
        t.append(" ")
    t.append(m.text)
    return t


class ChannelLog(RichLog):
    """The messages of one channel."""

    def __init__(self, channel: str, **kw: object) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, min_width=10, **kw)  # type: ignore[arg-type]
        self.channel = channel
        self.count = 0

    def add(self, m: MessagePosted) -> None:
        self.write(message_text(m))
        self.count += 1

    def show(self, messages: list[MessagePosted]) -> None:
        self.clear()
        self.count = 0
        for m in messages:
            self.add(m)


class InterventionLog(RichLog):
    """Each intervention with its declared types (cyan) and observed types (yellow)."""

    def __init__(self, **kw: object) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, min_width=10, **kw)  # type: ignore[arg-type]
        self.count = 0

    def add(self, iv: InterventionMade, observed: list[str] | None = None) -> None:
        t = Text()
        t.append(f"r{iv.round} ", style="dim")
        t.append(iv.helper, style="bold")
        t.append(f" ({iv.strategy}) ")
        for d in iv.declared_types:
            t.append(f" {d} ", style=BADGE)
            t.append(" ")
        if observed:
            t.append(" seen: ", style="dim")
            for o in observed[:3]:
                t.append(f" {o} ", style=OBSERVED)
                t.append(" ")
        self.write(t)
        self.count += 1

    def add_observed(self, lab: InterventionLabeled) -> None:
        if lab.primary:
            self.write(Text.assemble(("   observed: ", "dim"), (f" {', '.join(lab.labels[:3])} ", OBSERVED)))


class DistressChart(Static):
    """The target's distress curve; public ● and notebook ○; ▲ marks the replay step."""

    def __init__(self, **kw: object) -> None:
        super().__init__("", **kw)  # type: ignore[arg-type]
        self.public: list[float | None] = []
        self.notebook: list[float | None] = []
        self.arrival: int | None = None
        self.marker: int | None = None

    def plot(self, public: list[float | None], notebook: list[float | None], arrival: int | None = None, marker: int | None = None) -> None:
        self.public, self.notebook, self.arrival, self.marker = list(public), list(notebook), arrival, marker
        self.refresh_chart()

    def refresh_chart(self) -> None:
        if not self.public and not self.notebook:
            self.update(Text("no ratings yet", style="dim"))
            return
        self.update(distress_chart(self.public, self.notebook, self.arrival, self.marker, col=2, step=2.5, legend=False))


class StatsBar(Static):
    def show(self, status: str, tokens: int, cost: float, seconds: float | None, working: str = "") -> None:
        t = Text()
        t.append(status, style="bold")
        t.append(f"  tokens {tokens:,}")
        if cost:
            t.append(f"  ${cost:.4f}")
        if seconds is not None:
            t.append(f"  {seconds:.0f}s")
        if working:
            t.append(f"  {working}", style="italic")
        self.update(t)


class SessionPanes(Vertical):
    """The panes of a session: public room, private channels, chart and interventions."""

    DEFAULT_CSS = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="rooms"):
            yield ChannelLog(PUBLIC, id="public")
            with TabbedContent(id="side"):
                with TabPane("coord", id="tab-coordination"):
                    yield ChannelLog(COORDINATION, id="coordination")
                with TabPane("pad", id="tab-scratchpad"):
                    yield Static("(empty)", id="scratchpad")
                with TabPane("notes", id="tab-notebook"):
                    yield ChannelLog("notebook", id="notebook")
                with TabPane("moves", id="tab-interventions"):
                    yield InterventionLog(id="interventions")
                with TabPane("prompt", id="tab-prompt"):
                    yield RichLog(wrap=True, markup=False, highlight=False, min_width=10, id="prompt")
        with Horizontal(id="bottom"):
            yield DistressChart(id="chart")
            yield StatsBar("", id="stats")

    def on_mount(self) -> None:
        self.query_one("#public", ChannelLog).border_title = "public room"
        self.query_one("#side", TabbedContent).border_title = "coord & pad: helpers only · notes: target's private notebook"
        self.query_one("#chart", DistressChart).border_title = "distress ● public ○ notebook ┆ helpers ▲ step"
        self.query_one("#chart", DistressChart).refresh_chart()

    # live -----------------------------------------------------------------
    def add_event(self, event: Event, target: str, public: list[float | None], notebook: list[float | None], arrival: int | None) -> None:
        if isinstance(event, MessagePosted):
            if event.channel == PUBLIC:
                self.query_one("#public", ChannelLog).add(event)
            elif event.channel == COORDINATION:
                self.query_one("#coordination", ChannelLog).add(event)
            elif event.channel == f"notebook.{target}":
                self.query_one("#notebook", ChannelLog).add(event)
        elif isinstance(event, ScratchpadRevised):
            self.query_one("#scratchpad", Static).update(event.content)
        elif isinstance(event, InterventionMade):
            self.query_one("#interventions", InterventionLog).add(event)
        elif isinstance(event, InterventionLabeled):
            self.query_one("#interventions", InterventionLog).add_observed(event)
        elif isinstance(event, DistressRated | ModelCalled):
            self.query_one("#chart", DistressChart).plot(public, notebook, arrival)

    # replay ---------------------------------------------------------------
    def show_frame(self, frame: Frame, target: str, arrival: int | None, marker: int | None) -> None:
        self.query_one("#public", ChannelLog).show(frame.channels.get(PUBLIC, []))
        self.query_one("#coordination", ChannelLog).show(frame.channels.get(COORDINATION, []))
        self.query_one("#notebook", ChannelLog).show(frame.channels.get(f"notebook.{target}", []))
        self.query_one("#scratchpad", Static).update(frame.scratchpad if frame.scratchpad is not None else "(not visible from here)")
        log = self.query_one("#interventions", InterventionLog)
        log.clear()
        log.count = 0
        for iv, observed in frame.interventions:
            log.add(iv, observed)
        prompt = self.query_one("#prompt", RichLog)
        prompt.clear()
        if frame.prompt is None:
            prompt.write(Text("choose a perspective (p) to see the exact prompt that agent was sent", style="dim"))
        else:
            for m in frame.prompt:
                prompt.write(Text.assemble((f"[{m['role']}] ", "bold"), m["content"]))
        self.query_one("#chart", DistressChart).plot(frame.public_ratings, frame.notebook_ratings, arrival, marker)
        status = frame.ended.status if frame.ended else "replay"
        self.query_one("#stats", StatsBar).show(status, frame.tokens, frame.cost, None, f"step {frame.step + 1}, seen by {frame.perspective}")


def distress_text(v: float | None) -> Text:
    return Text("-" if v is None else f"{v:g}", style=distress_style(v))
