"""village sessions: list stored sessions, newest first."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sessions", help="list stored sessions", description=__doc__)
    add_db(p)
    p.add_argument("-n", "--limit", type=int, default=50, help="how many (default 50)")
    p.add_argument("--status", help="only sessions with this status (completed, recovered, interrupted, ...)")
    p.add_argument("--scenario", help="only sessions of this scenario")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from rich.table import Table

    from village.cli.common import console, open_store
    from village.display import distress_style

    rows = open_store(args).sessions(limit=args.limit, status=args.status, scenario=args.scenario)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return 0
    if not rows:
        console().print("no sessions yet: try [bold]village run scenarios/quick-reflective.yaml[/]")
        return 0
    t = Table(box=None, header_style="bold", pad_edge=False)
    t.add_column("id", no_wrap=True, style="bold")
    t.add_column("started", no_wrap=True)
    t.add_column("scenario / strategies", overflow="fold")
    t.add_column("status", no_wrap=True)
    t.add_column("turns", justify="right")
    t.add_column("distress", justify="right")
    t.add_column("tokens", justify="right", no_wrap=True)
    for r in rows:
        last = "-" if r.last_rating is None else f"[{distress_style(r.last_rating)}]{r.last_rating:g}[/]"
        who = f"{r.scenario_name}\n[dim]{r.strategies or '(no helpers)'}[/]"
        t.add_row(r.id, r.started_at.strftime("%m-%d %H:%M"), who, r.status, str(r.target_turns), last, f"{r.tokens:,}")
    console().print(t)
    return 0
