"""Agreement between two judges: Spearman's rho, share within one point, Krippendorff's alpha."""

from __future__ import annotations

import math
from collections.abc import Sequence


def _ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = mean
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 2 or n != len(y):
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson's r of the ranks (ties averaged). None when undefined (constant input)."""
    if len(x) != len(y) or len(x) < 2:
        return None
    return pearson(_ranks(x), _ranks(y))


def within(x: Sequence[float], y: Sequence[float], points: float = 1.0) -> float | None:
    if not x or len(x) != len(y):
        return None
    return sum(1 for a, b in zip(x, y, strict=True) if abs(a - b) <= points) / len(x)


def krippendorff_alpha_interval(units: Sequence[Sequence[float | None]]) -> float | None:
    """Krippendorff's alpha with the interval metric.

    `units` holds, per rated item, the values the coders gave (None for a missing value).
    Units with fewer than two values are not pairable and are left out, as the method requires.
    """
    pairable = [[v for v in u if v is not None] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    if n < 2:
        return None
    d_o = 0.0
    for u in pairable:
        m = len(u)
        d_o += sum((a - b) ** 2 for i, a in enumerate(u) for j, b in enumerate(u) if i != j) / (m - 1)
    d_o /= n
    values = [v for u in pairable for v in u]
    # sum over ordered pairs i != j of (v_i - v_j)^2 = 2 * (n * sum(v^2) - sum(v)^2)
    total = 2 * (n * sum(v * v for v in values) - sum(values) ** 2)
    d_e = total / (n * (n - 1))
    if d_e == 0:
        return None
    return 1 - d_o / d_e
