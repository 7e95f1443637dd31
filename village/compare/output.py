"""Writing a sweep's results: CSV and Parquet tables, PNG plots, one self-contained HTML report."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path
from typing import Any

TURN_COLUMNS = ["sweep_id", "session_id", "arm", "target", "seed", "turn", "round", "phase", "support_turn", "rating",
                "rating_status", "notebook_rating", "judge"]
SESSION_COLUMNS = ["sweep_id", "session_id", "arm", "target", "seed", "status", "pre", "peak", "final", "change", "auc",
                   "share_high", "time_to_recovery", "recovered", "observed_turns", "relapses", "rci", "tokens", "cost_usd", "judge"]
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]


def write_tables(result: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows, cols in (("per_turn", result["turns"], TURN_COLUMNS), ("sessions", result["sessions"], SESSION_COLUMNS)):
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
        written.append(path)
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows]) if rows else pa.table({c: [] for c in cols})
        pq.write_table(table, out / f"{name}.parquet")
        written.append(out / f"{name}.parquet")
    (out / "analysis.json").write_text(json.dumps({k: v for k, v in result.items() if k not in ("turns", "sessions")}, indent=2, default=str))
    written.append(out / "analysis.json")
    return written


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_curves(result: dict[str, Any]) -> bytes:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for i, (arm, a) in enumerate(result["arms"].items()):
        xs = [j for j, e in enumerate(a["curve"]) if e["value"] is not None]
        ys = [a["curve"][j]["value"] for j in xs]
        lo = [a["curve"][j]["low"] if a["curve"][j]["low"] is not None else a["curve"][j]["value"] for j in xs]
        hi = [a["curve"][j]["high"] if a["curve"][j]["high"] is not None else a["curve"][j]["value"] for j in xs]
        color = COLORS[i % len(COLORS)]
        ax.plot(xs, ys, marker="o", color=color, label=f"{arm} (n={a['sessions']})")
        ax.fill_between(xs, lo, hi, color=color, alpha=0.15)
    ax.set_xlabel("turns since the helpers arrived (0 = last induction turn)")
    ax.set_ylabel("distress (0-10)")
    ax.set_ylim(0, 10)
    ax.set_title("Mean distress with 95% cluster-bootstrap bands")
    ax.grid(alpha=0.3)
    ax.legend()
    return _png(fig, plt)


def plot_survival(result: dict[str, Any]) -> bytes:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
    for i, (arm, a) in enumerate(result["arms"].items()):
        if not a["survival"]:
            continue
        xs = [p["turn"] for p in a["survival"]]
        ys = [p["survival"] for p in a["survival"]]
        ax.step(xs, ys, where="post", color=COLORS[i % len(COLORS)], label=arm)
    ax.set_xlabel("support turn")
    ax.set_ylabel("share not yet recovered")
    ax.set_ylim(0, 1.05)
    ax.set_title("Time to recovery (Kaplan-Meier; censored sessions never recovered)")
    ax.grid(alpha=0.3)
    ax.legend()
    return _png(fig, plt)


def plot_differences(result: dict[str, Any], metric: str = "auc") -> bytes | None:
    rows = [p for p in result["paired"] if p.get("metric") == metric and p.get("difference_value") is not None]
    if not rows:
        return None
    plt = _figure()
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.5 * len(rows)), dpi=110)
    for i, p in enumerate(rows):
        lo = p["difference_low"] if p["difference_low"] is not None else p["difference_value"]
        hi = p["difference_high"] if p["difference_high"] is not None else p["difference_value"]
        ax.plot([lo, hi], [i, i], color="black")
        ax.plot([p["difference_value"]], [i], "o", color=COLORS[i % len(COLORS)])
    ax.axvline(0, color="grey", linestyle="--")
    ax.set_yticks(range(len(rows)), [p["arm"] for p in rows])
    ax.set_xlabel(f"paired difference in {metric} vs no helpers (negative: less distress)")
    ax.set_title("Paired differences, 95% bootstrap intervals")
    return _png(fig, plt)


def _png(fig: Any, plt: Any) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def write_plots(result: dict[str, Any], out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    plots = {"curves": plot_curves(result), "survival": plot_survival(result)}
    diff = plot_differences(result)
    if diff is not None:
        plots["differences"] = diff
    for name, data in plots.items():
        (out / f"{name}.png").write_bytes(data)
    return plots


def _fmt(e: dict[str, Any] | None, digits: int = 2) -> str:
    if not e or e.get("value") is None:
        return "-"
    ci = "" if e.get("low") is None else f" [{e['low']:.{digits}f}, {e['high']:.{digits}f}]"
    return f"{e['value']:.{digits}f}{ci}"


def _paired_row(p: dict[str, Any]) -> str:
    diff = _fmt({"value": p.get("difference_value"), "low": p.get("difference_low"), "high": p.get("difference_high")})
    dz = "" if p.get("dz") is None else f"{p['dz']:.2f}"
    pv = "" if p.get("p_value") is None else f"{p['p_value']:.3g}"
    return (f"<tr><td>{html.escape(p['arm'])}</td><td>{html.escape(p['metric'])}</td><td>{diff}</td>"
            f"<td>{p.get('difference_n', '')}</td><td>{dz}</td><td>{pv}</td></tr>")


def write_html(result: dict[str, Any], plots: dict[str, bytes], out: Path) -> Path:
    esc = html.escape
    arms = result["arms"]
    metric_rows = "".join(
        f"<tr><td>{esc(arm)}</td><td>{a['sessions']}</td>"
        + "".join(f"<td>{_fmt(a['metrics'][m])}</td>" for m in ("auc", "final", "change", "share_high"))
        + f"<td>{_fmt(a['recovered_share'])}</td><td>{a['median_time_to_recovery'] if a['median_time_to_recovery'] is not None else 'not reached'}</td></tr>"
        for arm, a in arms.items()
    )
    paired_rows = "".join(_paired_row(p) for p in result["paired"])
    imgs = "".join(f'<h2>{esc(name)}</h2><img alt="{esc(name)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'
                   for name, data in plots.items())
    spec = esc(json.dumps(result["spec"], indent=2))
    doc = f"""<!doctype html><html><head><meta charset="utf-8"><title>village sweep {esc(result['sweep_id'])}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}th{{background:#f3f3f3}}img{{max-width:100%}}pre{{background:#f7f7f7;padding:1em}}</style>
</head><body><h1>Sweep {esc(result['sweep_id'])}: {esc(result['name'])}</h1><p>Status: {esc(result['status'])}.
Intervals are 95% percentile bootstraps over sessions ({result['resamples']} resamples); paired differences resample seeds,
each compared with the no-helper control that shared its induction.</p>
<h2>Per arm</h2><table><tr><th>arm</th><th>sessions</th><th>AUC (mean level)</th><th>final</th><th>change</th><th>share of turns &ge; 5</th>
<th>share recovered</th><th>median time to recovery (KM)</th></tr>{metric_rows}</table>
<h2>Paired differences vs no helpers</h2><table><tr><th>arm</th><th>metric</th><th>difference [95% CI]</th><th>pairs</th><th>d<sub>z</sub></th><th>p (log-rank)</th></tr>{paired_rows}</table>
{imgs}<h2>Sweep definition</h2><pre>{spec}</pre></body></html>"""
    path = out / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path
