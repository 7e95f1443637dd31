"""village show: print a session channel by channel (or all its events as JSON)."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print a stored session, channel by channel", description=__doc__)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print the session row and every event as JSON")
    p.add_argument("--calls", action="store_true", help="also list every model call with its tokens and latency")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from rich.markup import escape
    from rich.panel import Panel

    from village.cli.common import console, open_store
    from village.cli.live import channel_label
    from village.cli.summary import print_summary
    from village.display import distress_style
    from village.events import DistressRated, InterventionMade, MessagePosted, ModelCalled, ScratchpadRevised
    from village.scoring.summary import session_summary

    store = open_store(args)
    sid = store.resolve(args.session)
    events = store.events_with_seq(sid)
    if args.json:
        payload = {"session": store.session(sid).model_dump(mode="json"),
                   "events": [{"seq": s, **e.model_dump(mode="json")} for s, e in events]}
        print(json.dumps(payload, indent=2))
        return 0
    evs = [e for _, e in events]
    c = console()
    ratings: dict[str, list[DistressRated]] = {}
    for e in evs:
        if isinstance(e, DistressRated):
            ratings.setdefault(e.message_key, []).append(e)
    types = {e.message_key: e.declared_types for e in evs if isinstance(e, InterventionMade)}
    channels = list(dict.fromkeys(e.channel for e in evs if isinstance(e, MessagePosted)))
    order = sorted(channels, key=lambda ch: (ch != "public", ch != "coordination", ch))
    for ch in order:
        lines = []
        for e in evs:
            if not (isinstance(e, MessagePosted) and e.channel == ch):
                continue
            where = "induction" if e.phase == "induction" else f"r{e.round}"
            badge = " ".join(f"[black on bright_cyan] {t} [/]" for t in types.get(e.key, []))
            lines.append(f"[dim]{where}[/] [bold]{escape(e.agent)}[/] {badge}\n{escape(e.text)}")
            for r in ratings.get(e.key, []):
                val = "no rating (" + r.status + ")" if r.rating is None else f"{r.rating:g}/10"
                lines.append(f"   [{distress_style(r.rating)}]distress {val}[/] [dim]{r.judge}[/]")
        c.print(Panel("\n\n".join(lines), title=channel_label(ch), title_align="left"))
    revs = [e for e in evs if isinstance(e, ScratchpadRevised)]
    if revs:
        history = "\n".join(f"[dim]rev {r.revision} r{r.round} {r.agent} {r.op} {r.line_no}:[/] {escape(r.line)}" for r in revs)
        c.print(Panel(f"{escape(revs[-1].content)}\n\n{history}", title=channel_label("scratchpad"), title_align="left"))
    if args.calls:
        for e in evs:
            if isinstance(e, ModelCalled):
                state = "ok" if e.output is not None else f"[red]failed: {escape(e.error or '')}[/]"
                c.print(f"[dim]{e.key}[/] {e.agent} {e.purpose} {e.model} {e.prompt_tokens}+{e.completion_tokens} tok {e.latency_s:.2f}s x{e.attempts} {state}")
    print_summary(c, session_summary(evs, sid))
    return 0
