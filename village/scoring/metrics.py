"""Recovery metrics of one distress curve (SCIENCE.md section 6). Pure functions.

The curve is split where the helpers arrive: `pre` is the last rating before
them (the baseline the helpers found); the support series is every rating after.
Turns in the results count support turns from 1.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, field
from typing import Any

RECOVERED_AT = 2.0
"""A turn counts as recovered at or below this rating."""
HIGH = 5.0
"""'High frustration' on the scale: ratings at or above this."""
JUDGE_RELIABILITY = 0.79
"""Test-retest stand-in for the reliable change index: the published agreement between two judges (r = 0.79)."""
BASELINE_SD = 2.5
"""Standard deviation of baseline ratings assumed by the reliable change index when a sample gives none."""


@dataclass(frozen=True)
class SuddenGain:
    turn: int
    """Support turn (1-based) at which the rating had fallen."""
    before: float
    after: float
    drop: float
    round: int | None = None
    interventions: list[dict[str, Any]] = field(default_factory=list)
    """The interventions of the round just before the drop: helper, declared and observed types."""


@dataclass(frozen=True)
class RecoveryMetrics:
    pre: float | None
    """Last rating before the helpers arrived (first rating if there was no induction)."""
    initial: float | None
    """First rating of the session."""
    peak: float | None
    peak_turn: int | None
    """Session turn (0-based) of the peak."""
    final: float | None
    change: float | None
    """final - pre (negative is improvement)."""
    percent_change: float | None
    time_to_recovery: int | None
    """First support turn from which the rating stays <= 2 for `m` turns; None when censored."""
    censored: bool
    """True when the session never recovered: time_to_recovery is then at least `observed_turns` + 1."""
    distressed: bool
    """Whether there was distress to recover from (baseline or a support turn above 2); if not,
    time_to_recovery is None and the session is not counted as censored."""
    observed_turns: int
    auc: float | None
    """Area under the support curve (pre included), trapezoid rule, divided by its length: a mean level."""
    share_high: float | None
    """Share of support turns rated >= 5."""
    relapses: int
    """Returns to >= 5 after having recovered."""
    time_to_relapse: int | None
    """Support turns from the first recovery to the first relapse."""
    rci: float | None
    """Reliable change index (Jacobson & Truax): (final - pre) / sqrt(2 SE^2), SE = sd sqrt(1 - r)."""
    reliable_change: str
    """'improved' (RCI < -1.96), 'worsened' (> 1.96), 'no reliable change', or 'n/a'."""
    rci_sd: float
    rci_r: float
    sudden_gains: list[SuddenGain]
    unrated: int
    """Target turns with no rating (refused or failed): counted, never dropped silently."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def trapezoid_mean(values: list[float]) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    area = sum((a + b) / 2 for a, b in itertools.pairwise(values))
    return area / (len(values) - 1)


def time_to_recovery(series: list[float | None], m: int = 2, threshold: float = RECOVERED_AT) -> int | None:
    """1-based index of the first turn that starts a run of `m` turns all <= threshold."""
    for i in range(len(series) - m + 1):
        window = series[i : i + m]
        if all(v is not None and v <= threshold for v in window):
            return i + 1
    return None


def relapses(series: list[float | None], m: int = 2, threshold: float = RECOVERED_AT, high: float = HIGH) -> tuple[int, int | None]:
    """(count, turns from first recovery to first relapse). A relapse is a return to >= high after a recovery."""
    count, first, recovered_at, recovered, run = 0, None, None, False, 0
    for i, v in enumerate(series):
        if v is None:
            run = 0
            continue
        run = run + 1 if v <= threshold else 0
        if not recovered and run >= m:
            recovered, recovered_at = True, i - m + 1
        elif recovered and v >= high:
            count += 1
            if first is None and recovered_at is not None:
                first = i - recovered_at
            recovered, run = False, 0
    return count, first


def reliable_change(pre: float | None, post: float | None, sd: float = BASELINE_SD, r: float = JUDGE_RELIABILITY) -> tuple[float | None, str]:
    if pre is None or post is None or sd <= 0 or not 0 <= r < 1:
        return None, "n/a"
    se = sd * math.sqrt(1 - r)
    rci = (post - pre) / math.sqrt(2 * se * se)
    verdict = "improved" if rci < -1.96 else "worsened" if rci > 1.96 else "no reliable change"
    return rci, verdict


def sudden_gains(series: list[float | None], pre: float | None, min_drop: float = 3.0, min_share: float = 0.25) -> list[SuddenGain]:
    """Drops of at least `min_drop` points and `min_share` of the previous rating between consecutive turns."""
    gains = []
    prev = pre
    for i, v in enumerate(series):
        if v is None:
            continue
        if prev is not None and prev - v >= min_drop and prev > 0 and (prev - v) / prev >= min_share:
            gains.append(SuddenGain(turn=i + 1, before=prev, after=v, drop=prev - v))
        prev = v
    return gains


def recovery_metrics(
    ratings: list[float | None],
    phases: list[str],
    *,
    m: int = 2,
    sd: float = BASELINE_SD,
    r: float = JUDGE_RELIABILITY,
) -> RecoveryMetrics:
    """Metrics of one public distress curve; `phases[i]` is 'induction' or 'support' for `ratings[i]`."""
    known = [v for v in ratings if v is not None]
    before = [v for v, p in zip(ratings, phases, strict=True) if p != "support" and v is not None]
    support = [v for v, p in zip(ratings, phases, strict=True) if p == "support"]
    pre: float | None = None
    if before:
        pre = before[-1]
    else:  # no induction: the first rated turn is the baseline
        first = next((i for i, v in enumerate(support) if v is not None), None)
        if first is not None:
            pre, support = support[first], support[first + 1 :]
    final = next((v for v in reversed(ratings) if v is not None), None)
    peak = max(known) if known else None
    peak_turn = ratings.index(peak) if peak is not None else None
    distressed = (pre is not None and pre > RECOVERED_AT) or any(v is not None and v > RECOVERED_AT for v in support)
    ttr = time_to_recovery(support, m) if distressed else None
    n_rel, t_rel = relapses(support, m)
    rated_support = [v for v in support if v is not None]
    rci, verdict = reliable_change(pre, final if support else None, sd, r)
    change = None if pre is None or final is None or not support else final - pre
    return RecoveryMetrics(
        pre=pre,
        initial=known[0] if known else None,
        peak=peak,
        peak_turn=peak_turn,
        final=final,
        change=change,
        percent_change=None if change is None or not pre else 100.0 * change / pre,
        time_to_recovery=ttr,
        censored=distressed and ttr is None,
        distressed=distressed,
        observed_turns=len(support),
        auc=trapezoid_mean([v for v in ([pre] if pre is not None else []) + rated_support]),
        share_high=(sum(1 for v in rated_support if v >= HIGH) / len(rated_support)) if rated_support else None,
        relapses=n_rel,
        time_to_relapse=t_rel,
        rci=rci,
        reliable_change=verdict,
        rci_sd=sd,
        rci_r=r,
        sudden_gains=sudden_gains(support, pre),
        unrated=sum(1 for v in ratings if v is None),
    )
