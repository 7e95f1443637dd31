"""Compare sessions: distress curves overlaid, recovery metrics side by side."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from village.display import overlay_chart
from village.scoring.metrics import recovery_metrics
from village.scoring.session_data import SessionData

ROWS = [
    ("status", None), ("helpers", None), ("baseline (pre)", "pre"), ("peak", "peak"), ("final", "final"), ("change", "change"),
    ("time to recovery", "time_to_recovery"), ("AUC (mean level)", "auc"), ("share >= 5", "share_high"),
    ("relapses", "relapses"), ("RCI", "rci"), ("reliable change", "reliable_change"),
]


def _fmt(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


class CompareScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("question_mark", "app.help", "Help")]

    def __init__(self, session_ids: list[str]) -> None:
        super().__init__()
        self.session_ids = session_ids

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="overlay")
            yield DataTable(id="metrics", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "compare " + ", ".join(self.session_ids)
        self.load()

    @work(exclusive=True, group="compare")
    async def load(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        datas = []
        for sid in self.session_ids:
            events = backend.events(sid)
            d = SessionData.from_events(events, sid)
            end = next((e for e in reversed(events) if e.kind == "session_ended"), None)
            datas.append((d, getattr(end, "status", "unfinished")))
        forks = {}
        for sid in self.session_ids:
            started = next((e for e in backend.events(sid) if e.kind == "session_started"), None)
            if started is not None and started.parent_session:  # type: ignore[union-attr]
                forks[sid] = (started.parent_session, started.fork_turn)  # type: ignore[union-attr]
        series = []
        for d, _ in datas:
            helpers = ", ".join(h["strategy"] for h in d.scenario.get("helpers", [])) or "no helpers"
            fork = f", fork of {forks[d.session_id][0]} after turn {forks[d.session_id][1]}" if d.session_id in forks else ""
            series.append((f"{d.session_id} {d.scenario.get('name', '')} ({helpers}{fork})", d.ratings()))
        parting = [t for p, t in forks.values() if p in self.session_ids or len(forks) > 1]
        divide = (min(parting) + 1) if parting else None
        self.query_one("#overlay", Static).update(overlay_chart(series, col=2, divide=divide))
        table = self.query_one("#metrics", DataTable)
        table.clear(columns=True)
        table.add_columns("metric", *[d.session_id for d, _ in datas])
        metrics = [recovery_metrics(d.ratings(), d.phases()).as_dict() for d, _ in datas]
        for label, key in ROWS:
            if key is None and label == "status":
                table.add_row(label, *[s for _, s in datas])
            elif key is None:
                table.add_row(label, *[", ".join(h["strategy"] for h in d.scenario.get("helpers", [])) or "(none)" for d, _ in datas])
            elif key == "time_to_recovery":
                table.add_row(label, *["n/a" if not m["distressed"] else ("censored" if m["censored"] else str(m[key])) for m in metrics])
            else:
                table.add_row(label, *[_fmt(m[key]) for m in metrics])
