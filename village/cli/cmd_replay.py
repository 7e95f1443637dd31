"""village replay: step through a stored session in the TUI, or print it step by step with --plain."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="replay a session step by step (TUI, or --plain for text)", description=__doc__)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    add_db(p)
    p.add_argument("--plain", action="store_true", help="print every step to stdout instead of opening the TUI")
    p.add_argument("--perspective", default="everything", help="everything (default), the target's name, or a helper's name")
    p.add_argument("--step", type=int, help="open at this step (1-based)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from village.cli.common import open_store
    from village.errors import InputError
    from village.replay import Replay
    from village.settings import db_location, scenarios_dir

    store = open_store(args)
    sid = store.resolve(args.session)
    replay = Replay(store.events(sid))
    if args.perspective not in replay.perspectives:
        raise InputError(f"unknown perspective '{args.perspective}'; choose from {', '.join(replay.perspectives)}")
    if args.plain:
        for line in replay.plain_lines(args.perspective):
            print(line)
        return 0
    from village.tui import create_app

    step = None if args.step is None else args.step - 1
    create_app(db_location(args.db), [scenarios_dir()], replay=sid, step=step).run()
    return 0
