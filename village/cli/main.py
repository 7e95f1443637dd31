"""`village`: the command group. Imports here stay light so `village --help` is fast."""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ["run", "resume", "validate", "schema", "sessions", "show", "export", "rate", "score", "report", "agreement", "replay", "fork", "compare", "tui", "puzzles"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="village",
        description="Run, watch, replay and compare multi-agent peer-support simulations of language models.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"village.cli.cmd_{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from village.engine.runner import village_version

        print(village_version())
        return 0
    if not args.command:
        parser.print_help()
        return 0
    from village.errors import ScenarioError, VillageError

    try:
        return int(args.handler(args) or 0)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    except VillageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
