"""The session library: every stored session, filtered; open, compare or resume."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from village.display import distress_style
from village.store.tables import SessionRow

RESUMABLE = {"running", "interrupted", "cancelled"}


def matches(row: SessionRow, query: str) -> bool:
    """Every word of the query must appear in the scenario, strategies, status, target model or date."""
    hay = " ".join([row.id, row.scenario_name, row.strategies, row.status, row.target_model, row.started_at.strftime("%Y-%m-%d")]).lower()
    return all(word in hay for word in query.lower().split())


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Replay"),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare marked"),
        Binding("R", "resume", "Resume"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("f5", "reload", "Reload"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SessionRow] = []
        self.shown: list[SessionRow] = []
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: scenario, strategy, status or date (e.g. 'reflective completed 2026-11')", id="filter")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "sessions"
        table = self.query_one("#sessions", DataTable)
        table.add_columns("", "id", "started", "scenario", "strategies", "status", "turns", "distress")
        table.focus()
        self.load()

    @work(exclusive=True, group="library")
    async def load(self) -> None:
        self.rows = self.app.backend.sessions()  # type: ignore[attr-defined]
        self.refill()

    def refill(self) -> None:
        query = self.query_one("#filter", Input).value
        self.shown = [r for r in self.rows if matches(r, query)]
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for r in self.shown:
            mark = Text("●", style="bold yellow") if r.id in self.marked else Text(" ")
            last = Text("-" if r.last_rating is None else f"{r.last_rating:g}", style=distress_style(r.last_rating))
            table.add_row(mark, r.id, r.started_at.strftime("%m-%d %H:%M"), r.scenario_name, r.strategies or "(none)",
                          r.status, str(r.target_turns), last, key=r.id)

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one("#sessions", DataTable).focus()

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def current(self) -> SessionRow | None:
        table = self.query_one("#sessions", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_reload(self) -> None:
        self.load()

    def action_open(self) -> None:
        row = self.current()
        if row is not None:
            self.app.open_replay(row.id)  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        row = self.current()
        if row is None:
            return
        self.marked ^= {row.id}
        cursor = self.query_one("#sessions", DataTable).cursor_row
        self.refill()
        self.query_one("#sessions", DataTable).move_cursor(row=cursor)

    def action_compare(self) -> None:
        ids = [r.id for r in self.rows if r.id in self.marked]
        if len(ids) < 2:
            self.notify("mark two or more sessions with space, then press c")
            return
        self.app.open_compare(ids)  # type: ignore[attr-defined]

    def action_resume(self) -> None:
        row = self.current()
        if row is None:
            return
        if row.status not in RESUMABLE:
            self.notify(f"session {row.id} has ended ({row.status}); only running, interrupted or cancelled ones resume")
            return
        self.app.resume_session(row.id)  # type: ignore[attr-defined]
