"""village agreement: how far two judges agree on the same messages (Spearman, within one point, Krippendorff's alpha)."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help="agreement between two judges over sessions", description=__doc__)
    p.add_argument("sessions", nargs="+", help="session ids (unique prefixes are enough)")
    p.add_argument("--judges", required=True, help="two judge names, comma-separated (as stored: lexical, llm:MODEL)")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from village.cli.common import console, open_store
    from village.errors import InputError
    from village.scoring.report import judge_agreement

    names = [j.strip() for j in args.judges.split(",") if j.strip()]
    if len(names) != 2:
        raise InputError("--judges needs exactly two names, e.g. --judges lexical,llm:openai/gpt-4o-mini")
    store = open_store(args)
    events = {sid: store.events(sid) for sid in (store.resolve(s) for s in args.sessions)}
    found = {e.judge for evs in events.values() for e in evs if e.kind == "distress_rated"}
    missing = [n for n in names if n not in found and f"llm:{n}" not in found]
    if missing:
        raise InputError(f"no ratings by {', '.join(missing)} in these sessions (judges found: {', '.join(sorted(found)) or 'none'}); "
                         "add them with `village score ID --judge NAME`")
    names = [n if n in found else f"llm:{n}" for n in names]
    res = judge_agreement(events, names[0], names[1])
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    c = console()
    fmt = lambda v, f="{:.2f}": "-" if v is None else f.format(v)  # noqa: E731
    c.print(f"[bold]{names[0]}[/] vs [bold]{names[1]}[/] over {len(events)} session(s): {res['n_pairs']} messages rated by both")
    c.print(f"  Spearman's rho {fmt(res['spearman'])}   Pearson's r {fmt(res['pearson'])}   within one point {fmt(res['within_one'], '{:.0%}')}")
    c.print(f"  Krippendorff's alpha (interval) {fmt(res['krippendorff_alpha'])}   mean difference {fmt(res['mean_difference'], '{:+.2f}')}")
    for j, cnt in res["counts"].items():
        c.print(f"  {j}: {cnt['rated']} rated, {cnt['refused']} refused, {cnt['unparseable']} unparseable, {cnt['error']} failed")
    return 0
