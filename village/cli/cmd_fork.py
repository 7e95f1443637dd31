"""village fork: continue a stored session from one of its turns with other helpers or another strategy.

The fork shares its parent's history word for word up to that point, then runs with the changes.
Examples:
  village fork ID --turn 2 --set helpers.0.strategy=distraction
  village fork ID --at 17 --set 'helpers=[{name: ada, strategy: reframing}]'
"""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fork", help="continue a session from a turn with other helpers (a counterfactual)", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--at", type=int, metavar="STEP", help="replay step (1-based); the fork starts after the target turn at or before it")
    where.add_argument("--turn", type=int, help="the last target turn (0-based) to share with the parent")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="change the scenario, e.g. --set helpers.0.strategy=distraction or --set helpers=[]")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from village.cli.common import console, open_store
    from village.cli.live import LiveObserver
    from village.cli.summary import print_summary
    from village.engine.fork import turn_at_step
    from village.engine.runner import default_client, fork_session
    from village.errors import InputError
    from village.scoring.summary import session_summary

    store = open_store(args)
    parent = store.resolve(args.session)
    turn = args.turn
    if args.at is not None:
        try:
            turn = turn_at_step(store.events(parent), args.at)
        except ValueError as exc:
            raise InputError(f"--at {args.at}: {exc}") from None
    client = default_client()
    out = console()
    try:
        if args.json:
            sid = asyncio.run(fork_session(parent, store, turn=turn, overrides=args.overrides, client=client))
        else:
            out.print(f"forking {parent} after target turn {turn}")
            with LiveObserver(out) as observer:
                sid = asyncio.run(fork_session(parent, store, turn=turn, overrides=args.overrides, client=client, observer=observer))
    finally:
        client.close()
    summary = session_summary(store.events(sid), sid)
    summary.update(parent_session=parent, fork_turn=turn)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(out, summary)
        out.print(f"compare them: village tui, then mark {parent} and {sid} in the sessions list")
    return 0
