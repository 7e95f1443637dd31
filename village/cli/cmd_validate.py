"""village validate: check scenario files; print FILE:LINE: key: message per problem."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files (exit 0 if all are valid, 2 if not)", description=__doc__)
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="validate with overrides applied")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from village.errors import ScenarioError
    from village.scenario.loader import load_scenario

    bad = 0
    for f in args.files:
        try:
            loaded = load_scenario(f, args.overrides)
        except ScenarioError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        if not args.quiet:
            sc = loaded.scenario
            helpers = ", ".join(f"{h.name}:{h.strategy}" for h in sc.helpers) or "no helpers"
            print(f"ok {f} ({sc.name}: target {sc.target.name}, {helpers})")
    return 2 if bad else 0
