"""village tui: the terminal app - browse and start scenarios, watch them live, replay and compare sessions."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tui", help="open the terminal app (scenario browser, live view, replay, compare)", description=__doc__)
    p.add_argument("--scenarios", action="append", default=[], metavar="DIR",
                   help="scenario folder to browse (repeatable; default: ./scenarios)")
    add_db(p)
    p.add_argument("--light", action="store_true", help="start in the light theme")
    p.add_argument("--sweep", help="open on a sweep's comparison (from `village compare`)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from village.settings import db_location, scenarios_dir
    from village.tui import create_app

    dirs = [Path(d) for d in args.scenarios] or [scenarios_dir()]
    sweep = None
    if args.sweep:
        from village.store import Store

        sweep = Store(db_location(args.db)).sweep(args.sweep).id
    create_app(db_location(args.db), dirs, theme="textual-light" if args.light else None, sweep=sweep).run()
    return 0
