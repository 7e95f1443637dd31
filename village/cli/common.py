"""Helpers shared by the commands: the store, the console, formatting."""

from __future__ import annotations

import argparse
from typing import Any

SPARK = "▁▂▃▄▅▆▇█"


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database: a path or SQLAlchemy URL (default: $VILLAGE_DB or transcripts/village.db)")


def open_store(args: argparse.Namespace) -> Any:
    from village.settings import db_location
    from village.store import Store

    return Store(db_location(getattr(args, "db", None)))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def sparkline(values: list[float | None]) -> str:
    """0-10 ratings as a sparkline; a gap (·) where a rating is missing."""
    out = []
    for v in values:
        out.append("·" if v is None else SPARK[min(len(SPARK) - 1, round(v / 10 * (len(SPARK) - 1)))])
    return "".join(out)


def distress_style(value: float | None) -> str:
    if value is None:
        return "dim"
    if value >= 7:
        return "bold red"
    if value >= 5:
        return "red"
    if value >= 3:
        return "yellow"
    return "green"
