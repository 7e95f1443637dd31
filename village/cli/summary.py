"""Printing a session summary with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from village.display import distress_style, sparkline


def _fmt(values: list[float | None]) -> str:
    return " ".join("-" if v is None else f"{v:g}" for v in values)


def print_summary(c: Console, s: dict[str, Any]) -> None:
    t = Table(title=f"session {s['session_id']} - {s['scenario']}", show_header=False, title_justify="left")
    t.add_column(style="bold")
    t.add_column()
    status_style = {"recovered": "green", "completed": "cyan", "budget": "yellow", "error": "red"}.get(s["status"], "white")
    t.add_row("status", f"[{status_style}]{s['status']}[/] - {s['reason']}")
    last = next((v for v in reversed(s["distress"]) if v is not None), None)
    t.add_row("distress (public)", f"[{distress_style(last)}]{sparkline(s['distress'])}[/]  {_fmt(s['distress'])}")
    if s["notebook_distress"]:
        t.add_row("distress (notebook)", f"{sparkline(s['notebook_distress'])}  {_fmt(s['notebook_distress'])}")
    t.add_row("judge", f"{s['judge']}" + (f"  ({s['unrated']} unrated)" if s["unrated"] else ""))
    by_type = ", ".join(f"{k} {v}" for k, v in s["interventions_by_type"].items()) or "none"
    t.add_row("interventions", f"{s['interventions']}  ({by_type})")
    t.add_row("model calls", f"{s['model_calls']}" + (f"  ([red]{s['failed_calls']} failed[/])" if s["failed_calls"] else ""))
    cost = f", ${s['cost_usd']:.4f}" if s["cost_usd"] else ""
    t.add_row("tokens", f"{s['tokens']:,} ({s['prompt_tokens']:,} prompt + {s['completion_tokens']:,} completion{cost})")
    t.add_row("wall time", f"{s['wall_s']:.1f} s")
    t.add_row("session id", f"[bold]{s['session_id']}[/]   (village show {s['session_id']})")
    c.print(t)
