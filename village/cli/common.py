"""Helpers shared by the commands: the store and the console."""

from __future__ import annotations

import argparse
from typing import Any


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database: a path or SQLAlchemy URL (default: $VILLAGE_DB or transcripts/village.db)")


def open_store(args: argparse.Namespace) -> Any:
    from village.settings import db_location
    from village.store import Store

    return Store(db_location(getattr(args, "db", None)))


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


