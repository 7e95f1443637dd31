"""A sweep in the TUI: each arm's mean distress curve and its metrics with intervals."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from village.display import overlay_chart


def _ci(e: dict) -> str:
    if e.get("value") is None:
        return "-"
    return f"{e['value']:.2f}" + ("" if e.get("low") is None else f" [{e['low']:.2f}, {e['high']:.2f}]")


class SweepScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("question_mark", "app.help", "Help")]

    def __init__(self, sweep_id: str) -> None:
        super().__init__()
        self.sweep_id = sweep_id
        self.result: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("computing…", id="overlay")
            yield DataTable(id="arms", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="paired", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"sweep {self.sweep_id}"
        self.load()

    @work(exclusive=True, group="sweep", thread=True)
    def load(self) -> None:
        from village.compare.analysis import analyse

        result = analyse(self.app.backend.store, self.sweep_id, resamples=500)  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show, result)

    def show(self, result: dict) -> None:
        self.result = result
        series = [(f"{arm} (n={a['sessions']}, mean)", [e["value"] for e in a["curve"]]) for arm, a in result["arms"].items()]
        self.query_one("#overlay", Static).update(overlay_chart(series, col=3))
        arms = self.query_one("#arms", DataTable)
        arms.clear(columns=True)
        arms.add_columns("arm", "n", "AUC [95% CI]", "final", "recovered", "median TTR")
        for arm, a in result["arms"].items():
            ttr = "not reached" if a["median_time_to_recovery"] is None else str(a["median_time_to_recovery"])
            arms.add_row(arm, str(a["sessions"]), _ci(a["metrics"]["auc"]), _ci(a["metrics"]["final"]), _ci(a["recovered_share"]), ttr)
        paired = self.query_one("#paired", DataTable)
        paired.clear(columns=True)
        paired.add_columns("vs no helpers", "metric", "difference [95% CI]", "pairs", "d_z")
        for p in result["paired"]:
            if p.get("metric") in ("auc", "final"):
                diff = {"value": p["difference_value"], "low": p["difference_low"], "high": p["difference_high"]}
                paired.add_row(p["arm"], p["metric"], _ci(diff), str(p["difference_n"]), "-" if p["dz"] is None else f"{p['dz']:.2f}")
