"""village puzzles: list the built-in impossible puzzles of the induction."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("puzzles", help="list the built-in induction puzzles", description=__doc__)
    p.add_argument("--check", action="store_true", help="also run each puzzle's solver to confirm it has no solution")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.table import Table

    from village.cli.common import console
    from village.induction.puzzles import PUZZLES

    t = Table("id", "family", "prompt", *(["solutions"] if args.check else []))
    for p in PUZZLES.values():
        t.add_row(p.id, p.family, p.prompt, *([str(len(p.solve()))] if args.check else []))
    console().print(t)
    return 0
