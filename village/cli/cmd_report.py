"""village report: how the target recovered, what came before each drop, how the helpers behaved as a group."""

from __future__ import annotations

import argparse

from village.cli.common import add_db


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="recovery, attribution, helper-group signals and judge agreement for a session",
                       description=__doc__)
    p.add_argument("session", help="session id (a unique prefix is enough)")
    add_db(p)
    p.add_argument("--judge", help="whose ratings to analyse (default: the session's own judge)")
    p.add_argument("--classifier", help="whose intervention labels to use (default: embedded)")
    p.add_argument("--window", type=int, default=2, help="turns at <= 2 that count as recovered (default 2)")
    p.add_argument("--rci-sd", type=float, help="baseline SD for the reliable change index (default 2.5)")
    p.add_argument("--rci-r", type=float, help="judge reliability for the reliable change index (default 0.79)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from village.cli.common import console, open_store
    from village.cli.report_view import print_report
    from village.scoring.metrics import BASELINE_SD, JUDGE_RELIABILITY
    from village.scoring.report import build_report

    store = open_store(args)
    sid = store.resolve(args.session)
    report = build_report(store.events(sid), sid, judge=args.judge, classifier=args.classifier, m=args.window,
                          sd=args.rci_sd or BASELINE_SD, r=args.rci_r or JUDGE_RELIABILITY)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_report(console(), report)
    return 0
