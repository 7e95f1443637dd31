"""The scenario browser: every scenario file, its validation status and contents; start one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from village.tui.backend import ScenarioEntry


class BrowserScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", priority=False),
        Binding("r", "start", "Start"),
        Binding("l", "app.library", "Sessions"),
        Binding("f5", "reload", "Reload"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[ScenarioEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browser"):
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="details"):
                yield Static("", id="detail")
                yield Label("seed (blank: the scenario's)")
                yield Input(placeholder="e.g. 7", id="seed", type="integer", compact=True)
                yield Label("target model (blank: as in the file)")
                yield Input(placeholder="e.g. openai/gpt-4o-mini", id="target-model", compact=True)
                yield Label("helper models (blank: as in the file)")
                yield Input(placeholder="e.g. anthropic/claude-3-5-haiku-latest", id="helper-model", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "village"
        self.sub_title = "scenarios"
        table = self.query_one("#scenarios", DataTable)
        table.add_columns("", "scenario", "helpers")
        table.border_title = "scenarios"
        self.load()

    @work(exclusive=True, group="scenarios")
    async def load(self) -> None:
        self.entries = self.app.backend.scenarios()  # type: ignore[attr-defined]
        table = self.query_one("#scenarios", DataTable)
        table.clear()
        for e in self.entries:
            mark = Text("✓", style="bold green") if e.ok else Text("✗", style="bold red")
            helpers = ", ".join(s for _, s, _ in e.helpers) if e.ok else "invalid"
            table.add_row(mark, e.name, helpers or "(none)", key=str(e.path))
        if self.entries:
            self.show(self.entries[0])

    def action_reload(self) -> None:
        self.load()

    def selected(self) -> ScenarioEntry | None:
        table = self.query_one("#scenarios", DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(DataTable.RowHighlighted, "#scenarios")
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        entry = self.selected()
        if entry is not None:
            self.show(entry)

    @on(DataTable.RowSelected, "#scenarios")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_start()

    def show(self, e: ScenarioEntry) -> None:
        t = Text()
        t.append(f"{e.name}\n", style="bold")
        t.append(f"{e.path.parent.name}/{e.path.name}\n", style="dim")
        if not e.ok:
            t.append("invalid:\n", style="bold red")
            for p in e.problems:
                key = f" {p.key}:" if p.key else ""
                t.append(f"{Path(p.file).name}:{p.line}:{key} {p.message}\n", style="red")
        else:
            if e.description:
                t.append(e.description + "\n\n")
            t.append("target  ", style="bold")
            t.append(e.target + "\n")
            for name, strategy, model in e.helpers:
                t.append("helper  ", style="bold")
                t.append(f"{name}: {strategy} ({model})\n")
            if not e.helpers:
                t.append("no helpers (control)\n", style="italic")
        self.query_one("#detail", Static).update(t)

    def overrides(self) -> tuple[int | None, list[str]]:
        seed_text = self.query_one("#seed", Input).value.strip()
        seed = int(seed_text) if seed_text else None
        sets: list[str] = []
        target = self.query_one("#target-model", Input).value.strip()
        if target:
            sets.append(f"target.model={target}")
        helper = self.query_one("#helper-model", Input).value.strip()
        entry = self.selected()
        if helper and entry is not None:
            sets += [f"helpers.{i}.model={helper}" for i in range(len(entry.helpers))]
        return seed, sets

    def action_start(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if not entry.ok:
            p = entry.problems[0]
            self.notify(f"{Path(p.file).name}:{p.line}: {p.key}: {p.message}", title="invalid scenario", severity="error")
            return
        seed, sets = self.overrides()
        self.app.start_session(Path(entry.path), seed, sets)  # type: ignore[attr-defined]
