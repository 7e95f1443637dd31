"""Rendering a session report with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from village.display import distress_chart


def _f(v: Any, fmt: str = "{:.1f}") -> str:
    return "-" if v is None else fmt.format(v)


def print_report(c: Console, rep: dict[str, Any]) -> None:
    helpers = ", ".join(f"{k} ({v})" for k, v in rep["helpers"].items()) or "no helpers"
    c.print(f"[bold]report[/] {rep['session_id']}  scenario [cyan]{rep['scenario']}[/]  status {rep['status']}")
    c.print(f"target [bold]{rep['target']}[/]; helpers: {helpers}; judge {rep['judge']}; labels by {rep['classifier']}")
    curve = rep["curve"]
    arrival = next((i for i, t in enumerate(curve) if t["phase"] == "support"), None)
    c.print(Panel(distress_chart([t["rating"] for t in curve], [t["notebook"] for t in curve], arrival),
                  title="distress curve", title_align="left"))

    m = rep["metrics"]
    t = Table(title="recovery", show_header=False, title_justify="left")
    t.add_column(style="bold")
    t.add_column()
    t.add_row("baseline when helpers arrived", _f(m["pre"]))
    t.add_row("initial / peak / final", f"{_f(m['initial'])} / {_f(m['peak'])} (turn {m['peak_turn']}) / {_f(m['final'])}")
    t.add_row("change", f"{_f(m['change'], '{:+.1f}')}" + (f" ({m['percent_change']:+.0f}%)" if m["percent_change"] is not None else ""))
    if not m["distressed"]:
        ttr = "n/a: no distress above 2 to recover from"
    elif m["censored"]:
        ttr = f"not recovered (censored after {m['observed_turns']} turns)"
    else:
        ttr = f"support turn {m['time_to_recovery']}"
    t.add_row(f"time to recovery (<= 2 for {m['recovery_window']} turns)", ttr)
    t.add_row("area under curve (mean level)", _f(m["auc"], "{:.2f}"))
    t.add_row("share of turns >= 5", _f(m["share_high"], "{:.0%}"))
    t.add_row("relapses", f"{m['relapses']}" + (f" (first {m['time_to_relapse']} turns after recovery)" if m["time_to_relapse"] is not None else ""))
    t.add_row("reliable change index", f"{_f(m['rci'], '{:+.2f}')} - {m['reliable_change']} [dim](sd {m['rci_sd']}, r {m['rci_r']})[/]")
    t.add_row("private - public gap (mean)", _f(rep["masking_gap_mean"], "{:+.1f}") + " [dim](> 0: more distress in the notebook than in public)[/]")
    if m["unrated"]:
        t.add_row("unrated turns", f"[yellow]{m['unrated']}[/]")
    c.print(t)
    for g in m["sudden_gains"]:
        before = "; ".join(f"{i['helper']} ({i['observed'] or i['strategy']})" for i in g["interventions"]) or "no intervention"
        c.print(f"  [green]sudden gain[/] at support turn {g['turn']}: {g['before']:g} -> {g['after']:g}; just before: {before}")

    if rep["interventions"]:
        it = Table(title=f"interventions: declared vs observed ({rep['declared_vs_observed']['matching']} of "
                         f"{rep['declared_vs_observed']['labelled']} match)", title_justify="left")
        for col in ("round", "helper", "declared", "observed", ""):
            it.add_column(col)
        for iv in rep["interventions"]:
            mark = "" if iv["matches"] is None else ("[green]✓[/]" if iv["matches"] else "[yellow]differs[/]")
            it.add_row(str(iv["round"]), iv["helper"], ", ".join(iv["declared"]), ", ".join(iv["observed"][:3]), mark)
        c.print(it)
        at = Table(title="attribution: change of the target's next rating", title_justify="left")
        for col in ("by", "move or helper", "after it", "n", "without it", "n", "difference"):
            at.add_column(col)
        for e in rep["attribution"]:
            at.add_row(e["group"], e["name"], _f(e["mean_with"], "{:+.2f}"), str(e["n_with"]), _f(e["mean_without"], "{:+.2f}"),
                       str(e["n_without"]), _f(e["difference"], "{:+.2f}"))
        c.print(at)
        best = [e for e in rep["attribution"] if e["group"] == "observed" and e["n_with"]]
        for e in sorted(best, key=lambda e: e["mean_with"])[:3]:
            c.print(f"  {escape(e['sentence'])}")

    st = Table(title="helper-group signals", title_justify="left")
    for col in ("signal", "value", "threshold", "flag", "what"):
        st.add_column(col)
    for s in rep["signals"]:
        flag = "[bold red]FLAG[/]" if s["flagged"] else "[green]ok[/]" if s["value"] is not None else "[dim]n/a[/]"
        st.add_row(s["name"], _f(s["value"], "{:.2f}"), f"{s['threshold']:g}", flag, escape(s["explanation"]))
    c.print(st)
    for s in rep["signals"]:
        if s["flagged"]:
            for w in s["where"][:5]:
                c.print(f"  [red]{s['name']}[/]: {escape(w)}")

    for a in rep["agreement"]:
        c.print(f"[bold]judge agreement[/] {a['judges'][0]} vs {a['judges'][1]}: n={a['n_pairs']}, "
                f"Spearman {_f(a['spearman'], '{:.2f}')}, within one point {_f(a['within_one'], '{:.0%}')}, "
                f"Krippendorff's alpha {_f(a['krippendorff_alpha'], '{:.2f}')}")
