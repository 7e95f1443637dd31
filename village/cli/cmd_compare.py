"""village compare: run many seeded sessions per helper strategy (paired, with controls) and compare them.

Examples:
  village compare scenarios/gemini-spiral.yaml --strategies reflective,distraction,reassurance --repeats 30 --concurrency 16
  village compare --sweep my-sweep.yaml          # a larger grid from a file (same keys as the options)
  village compare --resume SWEEP                 # continue an interrupted sweep: finished sessions are skipped
  village compare --report SWEEP                 # analyse again without running anything
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from village.cli.common import add_db

if TYPE_CHECKING:
    from village.compare.sweep import SweepSpec


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare helper strategies over many seeded, paired sessions", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?", help="scenario file every session starts from")
    p.add_argument("--strategies", help="comma-separated strategies to compare (each arm gives every helper that strategy)")
    p.add_argument("--controls", default="none", help="comma-separated controls: none, neutral, problem-solver (default: none)")
    p.add_argument("--targets", help="comma-separated target models to vary (default: the scenario's)")
    p.add_argument("--repeats", type=int, default=10, help="seeds per arm and target (default 10)")
    p.add_argument("--concurrency", type=int, default=4, help="sessions running at once (default 4)")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--budget-tokens", type=int, help="stop the sweep cleanly after this many tokens")
    p.add_argument("--budget-usd", type=float, help="stop the sweep cleanly after this cost")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="scenario override (repeatable)")
    p.add_argument("--rpm", action="append", default=[], metavar="MODEL=N", help="requests per minute for a model (repeatable)")
    p.add_argument("--tpm", action="append", default=[], metavar="MODEL=N", help="tokens per minute for a model (repeatable)")
    p.add_argument("--name", default="sweep", help="a label for the sweep")
    p.add_argument("--sweep", metavar="FILE", help="read the sweep definition from a YAML file")
    p.add_argument("--resume", metavar="SWEEP", help="continue an interrupted sweep")
    p.add_argument("--report", metavar="SWEEP", help="only analyse a stored sweep")
    p.add_argument("--out", help="folder for CSV, Parquet, PNG and HTML (default: transcripts/sweeps/SWEEP)")
    p.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print the analysis as JSON (no progress bar)")
    p.set_defaults(handler=run)


def _limits(items: list[str], flag: str) -> dict[str, int]:
    from village.errors import InputError

    out = {}
    for item in items:
        model, _, n = item.rpartition("=")
        if not model or not n.isdigit():
            raise InputError(f"{flag} needs MODEL=N, got '{item}'")
        out[model] = int(n)
    return out


def build_spec(args: argparse.Namespace) -> SweepSpec:
    from pathlib import Path

    from pydantic import ValidationError

    from village.compare.sweep import SweepSpec, load_sweep_file
    from village.errors import InputError

    if args.sweep:
        return load_sweep_file(Path(args.sweep))
    if not args.scenario or not args.strategies:
        raise InputError("give a SCENARIO and --strategies (or --sweep FILE, --resume SWEEP, --report SWEEP)")
    rpm, tpm = _limits(args.rpm, "--rpm"), _limits(args.tpm, "--tpm")
    from village.compare.sweep import RateLimit

    limits = {m: RateLimit(rpm=rpm.get(m), tpm=tpm.get(m)) for m in {*rpm, *tpm}}
    try:
        return SweepSpec(
            name=args.name, scenario=args.scenario, arms=[s.strip() for s in args.strategies.split(",") if s.strip()],
            controls=[c.strip() for c in args.controls.split(",") if c.strip()],
            targets=[t.strip() for t in (args.targets or "").split(",") if t.strip()], repeats=args.repeats,
            seed=args.seed, concurrency=args.concurrency, budget_tokens=args.budget_tokens, budget_usd=args.budget_usd,
            set=args.overrides, rate_limits=limits,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}") from None


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    from pathlib import Path

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from village.cli.common import console, open_store
    from village.compare.analysis import analyse
    from village.compare.output import write_html, write_plots, write_tables
    from village.compare.sweep import SweepRunner, SweepSpec
    from village.engine.runner import default_client
    from village.settings import transcripts_dir

    store = open_store(args)
    out = console()
    sweep_id = args.report
    if not args.report:
        if args.resume:
            row = store.sweep(args.resume)
            spec, sweep_id = SweepSpec.model_validate(row.spec), row.id
        else:
            spec = build_spec(args)
        client = default_client()
        try:
            if args.json:
                runner = SweepRunner(spec, store, client, sweep_id)  # type: ignore[arg-type]
                sweep_id = asyncio.run(runner.run())
            else:
                columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.fields[spent]}")]
                with Progress(*columns, console=out) as bar:
                    task = bar.add_task("sessions", total=None, spent="")

                    def update(p: object) -> None:
                        b = p.budget  # type: ignore[attr-defined]
                        spent = f"{b.tokens:,} tokens" + (f", ${b.cost:.4f}" if b.cost else "") + (f", {p.failed} failed" if p.failed else "")  # type: ignore[attr-defined]
                        bar.update(task, total=p.total, completed=p.done, spent=spent)  # type: ignore[attr-defined]

                    runner = SweepRunner(spec, store, client, sweep_id, on_progress=update)  # type: ignore[arg-type]
                    out.print(f"sweep [bold]{runner.sweep_id}[/]: {len(runner.units)} units x "
                              f"{len(runner.paired_arms) + len(runner.whole)} arms (resume with: village compare --resume {runner.sweep_id})")
                    sweep_id = asyncio.run(runner.run())
        except KeyboardInterrupt:
            console(stderr=True).print(f"interrupted: [bold]village compare --resume {sweep_id or runner.sweep_id}[/] continues it")
            return 130
        finally:
            client.close()
    assert sweep_id is not None
    result = analyse(store, sweep_id, resamples=args.resamples)
    folder = Path(args.out) if args.out else transcripts_dir() / "sweeps" / result["sweep_id"]
    files = write_tables(result, folder)
    plots = write_plots(result, folder)
    html_path = write_html(result, plots, folder)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k not in ("turns",)} | {"files": [str(f) for f in files] + [str(html_path)]},
                         indent=2, default=str))
        return 0
    print_tables(out, result)
    out.print(f"written to {folder}: report.html, curves.png, survival.png, per_turn.csv/.parquet, sessions.csv/.parquet")
    return 0


def print_tables(out: object, result: dict) -> None:
    from rich.table import Table

    def fmt(e: dict | None) -> str:
        if not e or e.get("value") is None:
            return "-"
        return f"{e['value']:.2f}" + ("" if e.get("low") is None else f" [{e['low']:.2f}, {e['high']:.2f}]")

    t = Table(title=f"sweep {result['sweep_id']} ({result['status']}): per arm, mean [95% CI]", title_justify="left")
    for col in ("arm", "n", "AUC", "final", "change", "recovered", "median TTR"):
        t.add_column(col)
    for arm, a in result["arms"].items():
        ttr = "not reached" if a["median_time_to_recovery"] is None else str(a["median_time_to_recovery"])
        t.add_row(arm, str(a["sessions"]), fmt(a["metrics"]["auc"]), fmt(a["metrics"]["final"]), fmt(a["metrics"]["change"]),
                  fmt(a["recovered_share"]), ttr)
    out.print(t)  # type: ignore[attr-defined]
    rows = [p for p in result["paired"] if p.get("metric") in ("auc", "final")]
    if rows:
        d = Table(title="paired differences vs no helpers (same seed, same induction): negative = less distress", title_justify="left")
        for col in ("arm", "metric", "difference [95% CI]", "pairs", "d_z"):
            d.add_column(col)
        for p in rows:
            d.add_row(p["arm"], p["metric"], fmt({"value": p["difference_value"], "low": p["difference_low"], "high": p["difference_high"]}),
                      str(p["difference_n"]), "-" if p["dz"] is None else f"{p['dz']:.2f}")
        out.print(d)  # type: ignore[attr-defined]
