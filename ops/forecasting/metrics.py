"""Forecast accuracy metrics, defined once (DESIGN.md "Forecast accuracy").

All take actuals ``A`` and forecasts ``F`` over the same periods (any shape that flattens to 1-D):

- **WAPE** = Σ|A−F| ÷ ΣA (the headline; robust to zero days, weights busy days more).
- **MAPE** = mean(|A−F| ÷ A) over periods with A > 0; periods with zero actuals are skipped,
  because the ratio is undefined there (closed days would otherwise dominate).
- **bias** = Σ(F−A) ÷ ΣA (positive: over-forecast).
- **MASE** = mean|A−F| ÷ scale, where scale is the in-sample mean absolute seasonal-naive error
  mean|y_t − y_{t−m}| of the history available when the forecast was made (Hyndman & Koehler 2006).
  Below 1 means better than last season's value would have been, on average, in-sample.

Horizon buckets (days after the forecast origin): 1-7, 8-14, 15-28, 29-56, 57+.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

HORIZON_BUCKETS: tuple[tuple[int, int, str], ...] = (
    (1, 7, "1-7"),
    (8, 14, "8-14"),
    (15, 28, "15-28"),
    (29, 56, "29-56"),
    (57, 10**9, "57+"),
)
BUCKET_ORDER = [b[2] for b in HORIZON_BUCKETS]


def _arrays(actual: object, forecast: object) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(forecast, dtype=float).ravel()
    if a.shape != f.shape:
        raise ValueError(f"actual and forecast differ in length: {a.shape} vs {f.shape}")
    ok = ~(np.isnan(a) | np.isnan(f))
    return a[ok], f[ok]


def wape(actual: object, forecast: object) -> float:
    """Σ|A−F| ÷ ΣA as a fraction (0.05 = 5 %); NaN when ΣA is 0."""
    a, f = _arrays(actual, forecast)
    total = a.sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


def mape(actual: object, forecast: object) -> float:
    """mean(|A−F| ÷ A) over periods with A > 0 (zero actuals skipped); NaN when none."""
    a, f = _arrays(actual, forecast)
    pos = a > 0
    return float(np.mean(np.abs(a[pos] - f[pos]) / a[pos])) if pos.any() else float("nan")


def bias(actual: object, forecast: object) -> float:
    """Σ(F−A) ÷ ΣA as a fraction; NaN when ΣA is 0."""
    a, f = _arrays(actual, forecast)
    total = a.sum()
    return float((f - a).sum() / total) if total > 0 else float("nan")


def seasonal_naive_scale(history: object, season: int = 7) -> float:
    """In-sample mean|y_t − y_{t−m}|, the MASE denominator; NaN when history is too short."""
    y = np.asarray(history, dtype=float).ravel()
    if len(y) <= season:
        return float("nan")
    return float(np.mean(np.abs(y[season:] - y[:-season])))


def mase(actual: object, forecast: object, scale: float) -> float:
    """mean|A−F| ÷ ``scale`` (see :func:`seasonal_naive_scale`); NaN when the scale is 0/NaN."""
    a, f = _arrays(actual, forecast)
    if not len(a) or not np.isfinite(scale) or scale <= 0:
        return float("nan")
    return float(np.mean(np.abs(a - f)) / scale)


def horizon_bucket(h: object) -> pd.Series:
    """Label each horizon (days, 1-based) with its bucket: 1-7, 8-14, 15-28, 29-56, 57+."""
    hs = pd.Series(np.asarray(h, dtype=int).ravel())
    out = pd.Series(["57+"] * len(hs), dtype=object)
    for lo, hi, name in HORIZON_BUCKETS:
        out[(hs >= lo) & (hs <= hi)] = name
    return out


def accuracy_table(
    frame: pd.DataFrame,
    by: Sequence[str] = ("series_id", "model"),
    *,
    actual: str = "y",
    forecast: str = "yhat",
    scale: str | None = "scale",
    lower: str = "yhat_lo",
    upper: str = "yhat_hi",
) -> pd.DataFrame:
    """WAPE, MAPE, bias, MASE, interval coverage and counts per group of actual/forecast pairs.

    ``scale`` names a column with the MASE denominator of each row's forecast origin; MASE per
    group is mean(|A−F| ÷ scale) over its rows, i.e. each origin's errors scaled by that origin's
    in-sample seasonal-naive error. WAPE, MAPE and bias are fractions, not percent. When the
    frame has ``lower``/``upper`` interval columns, ``coverage`` = share of periods with actual > 0
    inside [lower, upper] (closed periods are exactly 0 and always inside, so they are left out).
    """
    rows = []
    keys = list(by)
    groups = frame.groupby(keys, sort=True, dropna=False) if keys else [((), frame)]
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        a = g[actual].to_numpy(dtype=float)
        f = g[forecast].to_numpy(dtype=float)
        row = dict(zip(keys, key, strict=True))
        if scale and scale in g:
            sc = g[scale].to_numpy(dtype=float)
            ok = np.isfinite(sc) & (sc > 0) & np.isfinite(a) & np.isfinite(f)
            m = float(np.mean(np.abs(a[ok] - f[ok]) / sc[ok])) if ok.any() else float("nan")
        else:
            m = float("nan")
        cov: dict[str, float] = {}
        if lower in g and upper in g:
            lo, hi = g[lower].to_numpy(dtype=float), g[upper].to_numpy(dtype=float)
            ok = (a > 0) & np.isfinite(lo) & np.isfinite(hi)
            cov["coverage"] = (
                float(np.mean((a[ok] >= lo[ok]) & (a[ok] <= hi[ok]))) if ok.any() else float("nan")
            )
        row.update(
            wape=wape(a, f),
            mape=mape(a, f),
            bias=bias(a, f),
            mase=m,
            **cov,
            actual=float(np.nansum(a)),
            forecast=float(np.nansum(f)),
            n=int(len(g)),
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    if "bucket" in out.columns:
        out["bucket"] = pd.Categorical(out["bucket"], categories=BUCKET_ORDER, ordered=True)
        out = out.sort_values([*(k for k in keys if k != "bucket"), "bucket"]).reset_index(
            drop=True
        )
        out["bucket"] = out["bucket"].astype(str)
    return out
