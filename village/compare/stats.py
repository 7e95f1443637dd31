"""Statistics for comparing strategies: cluster bootstrap, paired differences, survival.

Sessions are the clusters: turns within a session are not independent, so every
interval resamples whole sessions (or, for paired differences, whole seeds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

DEFAULT_RESAMPLES = 2000
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def bootstrap(values: list[float], stat: Callable[[np.ndarray], float] = np.mean, resamples: int = DEFAULT_RESAMPLES,
              rng: np.random.Generator | None = None, level: float = LEVEL) -> Estimate:
    """Percentile bootstrap of `stat` over independent units (sessions or seeds)."""
    x = np.asarray([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if len(x) == 0:
        return Estimate(None, None, None, 0)
    point = float(stat(x))
    if len(x) == 1:
        return Estimate(point, None, None, 1)
    rng = rng or np.random.default_rng(0)
    idx = rng.integers(0, len(x), size=(resamples, len(x)))
    stats = np.apply_along_axis(stat, 1, x[idx]) if stat is not np.mean else x[idx].mean(axis=1)
    alpha = (1 - level) / 2
    return Estimate(point, float(np.quantile(stats, alpha)), float(np.quantile(stats, 1 - alpha)), len(x))


def curve_bands(matrix: list[list[float | None]], resamples: int = DEFAULT_RESAMPLES, rng: np.random.Generator | None = None,
                level: float = LEVEL) -> list[Estimate]:
    """Mean curve with cluster-bootstrap bands: rows are sessions (resampled whole), columns are turns.
    A session that stopped early simply has no value at later turns; each turn's n says how many do."""
    if not matrix:
        return []
    width = max(len(r) for r in matrix)
    m = np.full((len(matrix), width), np.nan)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if v is not None:
                m[i, j] = v
    rng = rng or np.random.default_rng(0)
    idx = rng.integers(0, len(matrix), size=(resamples, len(matrix)))
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            means = np.nanmean(m[idx], axis=1)  # resamples x width
            point = np.nanmean(m, axis=0)
    alpha = (1 - level) / 2
    out = []
    for j in range(width):
        n = int(np.sum(~np.isnan(m[:, j])))
        col = means[:, j][~np.isnan(means[:, j])]
        if n == 0:
            out.append(Estimate(None, None, None, 0))
        elif n == 1 or len(col) == 0:
            out.append(Estimate(float(point[j]), None, None, n))
        else:
            out.append(Estimate(float(point[j]), float(np.quantile(col, alpha)), float(np.quantile(col, 1 - alpha)), n))
    return out


@dataclass(frozen=True)
class PairedDifference:
    arm: str
    control: str
    metric: str
    difference: Estimate
    """Mean of (arm - control) over seeds, with its bootstrap interval."""
    dz: float | None
    """Cohen's d_z: mean difference / SD of the differences."""
    hedges_gz: float | None
    """d_z with the small-sample correction J = 1 - 3 / (4 (n - 1) - 1)."""

    def as_dict(self) -> dict[str, object]:
        return {"arm": self.arm, "control": self.control, "metric": self.metric, **{f"difference_{k}": v for k, v in self.difference.as_dict().items()},
                "dz": self.dz, "hedges_gz": self.hedges_gz}


def paired_difference(arm: dict[object, float | None], control: dict[object, float | None], *, arm_name: str, control_name: str,
                      metric: str, resamples: int = DEFAULT_RESAMPLES, rng: np.random.Generator | None = None) -> PairedDifference:
    """Differences within pairs (same seed and target): resamples pairs, never mixes them."""
    keys = [k for k in arm if k in control and arm[k] is not None and control[k] is not None]
    diffs = [float(arm[k]) - float(control[k]) for k in keys]  # type: ignore[arg-type]
    est = bootstrap(diffs, resamples=resamples, rng=rng)
    dz = gz = None
    if len(diffs) >= 2:
        sd = float(np.std(diffs, ddof=1))
        if sd > 0:
            dz = float(np.mean(diffs)) / sd
            gz = dz * (1 - 3 / (4 * (len(diffs) - 1) - 1))
    return PairedDifference(arm_name, control_name, metric, est, dz, gz)


def kaplan_meier(times: list[int], events: list[bool]) -> list[tuple[int, float, int]]:
    """Kaplan-Meier survival of 'not yet recovered': [(time, S(t), at risk)], stepping at event times.
    `events[i]` is False for a censored session (observed `times[i]` turns without recovering)."""
    data = sorted(zip(times, events, strict=True))
    n = len(data)
    s, out, i = 1.0, [(0, 1.0, n)], 0
    at_risk = n
    while i < n:
        t = data[i][0]
        d = c = 0
        while i < n and data[i][0] == t:
            d += data[i][1]
            c += not data[i][1]
            i += 1
        if d:
            s *= 1 - d / at_risk
            out.append((t, s, at_risk))
        at_risk -= d + c
    return out


def km_median(curve: list[tuple[int, float, int]]) -> int | None:
    """First time at which survival falls to 0.5 or below; None when it never does (median not reached)."""
    for t, s, _ in curve:
        if s <= 0.5:
            return t
    return None


def logrank(times_a: list[int], events_a: list[bool], times_b: list[int], events_b: list[bool]) -> tuple[float | None, float | None]:
    """Log-rank test of two survival curves: (chi-square with 1 df, p-value)."""
    all_times = sorted({t for t, e in zip(times_a + times_b, events_a + events_b, strict=True) if e})
    if not all_times:
        return None, None
    o_minus_e = var = 0.0
    for t in all_times:
        na = sum(1 for x in times_a if x >= t)
        nb = sum(1 for x in times_b if x >= t)
        da = sum(1 for x, e in zip(times_a, events_a, strict=True) if x == t and e)
        db = sum(1 for x, e in zip(times_b, events_b, strict=True) if x == t and e)
        n, d = na + nb, da + db
        if n < 2:
            continue
        o_minus_e += da - d * na / n
        var += d * (na / n) * (nb / n) * (n - d) / (n - 1)
    if var <= 0:
        return None, None
    chi2 = o_minus_e**2 / var
    return chi2, math.erfc(math.sqrt(chi2 / 2))
