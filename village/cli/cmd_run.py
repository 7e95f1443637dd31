"""village run: run a scenario file and stream the session live."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario and stream the session live", description=__doc__)
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--seed", type=int, help="override the scenario's seed")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario field, e.g. --set schedule.rounds=2 --set helpers.0.model=openai/gpt-4o-mini")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    p.add_argument("--full", action="store_true", help="print messages in full (default: clipped)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    import time

    from village.cli.common import console, open_store
    from village.cli.live import LiveObserver
    from village.cli.summary import print_summary
    from village.engine.runner import default_client, run_session
    from village.scenario.loader import load_scenario
    from village.scoring.summary import session_summary

    loaded = load_scenario(args.scenario, args.overrides)
    store = open_store(args)
    client = default_client()
    started = time.perf_counter()
    holder: dict[str, str] = {}
    out = console()
    try:
        remember = lambda s: holder.update(id=s)  # noqa: E731
        if args.json:
            sid = asyncio.run(run_session(loaded, store, seed=args.seed, client=client, on_session=remember))
        else:
            with LiveObserver(out, full=args.full) as observer:
                sid = asyncio.run(run_session(loaded, store, seed=args.seed, observer=observer, client=client, on_session=remember))
    except KeyboardInterrupt:
        if "id" in holder:
            console(stderr=True).print(f"interrupted: resume with [bold]village resume {holder['id']}[/]")
        return 130
    finally:
        client.close()
    summary = session_summary(store.events(sid), sid)
    summary["wall_s"] = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(out, summary)
    return 0
