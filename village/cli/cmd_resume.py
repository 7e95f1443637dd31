"""village resume: continue an interrupted session from its last checkpoint."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("resume", help="continue an interrupted session where it stopped", description=__doc__)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from village.cli.common import console, open_store
    from village.cli.live import LiveObserver
    from village.cli.summary import print_summary
    from village.engine.runner import default_client, resume_session
    from village.scoring.summary import session_summary

    store = open_store(args)
    client = default_client()
    out = console()
    try:
        if args.json:
            sid = asyncio.run(resume_session(args.session, store, client=client))
        else:
            with LiveObserver(out) as observer:
                sid = asyncio.run(resume_session(args.session, store, observer=observer, client=client))
    except KeyboardInterrupt:
        console(stderr=True).print(f"interrupted again: [bold]village resume {args.session}[/] continues it")
        return 130
    finally:
        client.close()
    summary = session_summary(store.events(sid), sid)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(out, summary)
    return 0
