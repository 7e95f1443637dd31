"""village export: write a session as one JSONL transcript (one event per line)."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write a session's events to transcripts/ as JSONL", description=__doc__)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    add_db(p)
    p.add_argument("-o", "--out", help="output file (default: transcripts/SCENARIO-ID.jsonl; '-' for stdout)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from village.cli.common import open_store
    from village.redact import redact
    from village.settings import transcripts_dir

    store = open_store(args)
    sid = store.resolve(args.session)
    row = store.session(sid)
    lines = [redact(json.dumps({"seq": seq, "session_id": sid, **e.model_dump(mode="json")})) for seq, e in store.events_with_seq(sid)]
    if args.out == "-":
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    path = Path(args.out) if args.out else transcripts_dir() / f"{row.scenario_name}-{sid}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} events to {path}")
    return 0
