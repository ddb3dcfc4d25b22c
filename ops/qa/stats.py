"""Confidence intervals shared by QA, surveys and VOC, so a small sample is shown as n and a range.

* shares (CSAT top-2-box, CES >= 6, response rates, pass rates): Wilson score interval;
* means (QA score, CES, leniency): Student t interval, mean +/- t(1-a/2, n-1) * s / sqrt(n);
* NPS: normal interval on the difference of two shares of one multinomial sample,
  var(NPS) = (p_pro + p_det - (p_pro - p_det)^2) / n (on the -100..100 scale, times 100^2).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial share (Wilson 1927); (nan, nan) when n is 0.

    centre = (p + z^2/2n) / (1 + z^2/n); half = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
    """
    if n <= 0:
        return (math.nan, math.nan)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def wilson_frame(successes: pd.Series, n: pd.Series, confidence: float = 0.95) -> pd.DataFrame:
    """Vectorised :func:`wilson_interval`: columns ``lo``, ``hi`` aligned with the inputs."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    k = successes.astype(float).to_numpy()
    nn = n.astype(float).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / nn
        denom = 1 + z * z / nn
        centre = (p + z * z / (2 * nn)) / denom
        half = z * np.sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom
    lo = np.where(nn > 0, np.clip(centre - half, 0, 1), np.nan)
    hi = np.where(nn > 0, np.clip(centre + half, 0, 1), np.nan)
    return pd.DataFrame({"lo": lo, "hi": hi}, index=successes.index)


def t_interval(mean: float, sd: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Student t interval of a mean; (nan, nan) when n < 2."""
    if n < 2 or not np.isfinite(sd):
        return (math.nan, math.nan)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def t_frame(
    mean: pd.Series,
    sd: pd.Series,
    n: pd.Series,
    confidence: float = 0.95,
    bounds: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Vectorised :func:`t_interval`: columns ``lo``, ``hi``.

    ``bounds`` is the scale's range (QA 0-100, CES 1-7): the interval is cut to it, since a mean
    cannot lie outside the scale (a small, spread sample otherwise gives e.g. 19.6-112.2).
    """
    nn = n.astype(float).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(nn >= 2, stats.t.ppf(0.5 + confidence / 2, np.maximum(nn - 1, 1)), np.nan)
        half = tq * sd.astype(float).to_numpy() / np.sqrt(nn)
    m = mean.astype(float).to_numpy()
    lo, hi = m - half, m + half
    if bounds is not None:
        lo, hi = np.clip(lo, *bounds), np.clip(hi, *bounds)
    return pd.DataFrame({"lo": lo, "hi": hi}, index=mean.index)


def nps_frame(
    promoters: pd.Series, detractors: pd.Series, n: pd.Series, confidence: float = 0.95
) -> pd.DataFrame:
    """NPS (-100..100) with its normal interval: columns ``nps``, ``lo``, ``hi``."""
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    nn = n.astype(float).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        pp = promoters.astype(float).to_numpy() / nn
        pd_ = detractors.astype(float).to_numpy() / nn
        nps = pp - pd_
        se = np.sqrt(np.maximum(pp + pd_ - nps**2, 0.0) / nn)
    return pd.DataFrame(
        {
            "nps": nps * 100,
            "lo": np.maximum(nps - z * se, -1) * 100,
            "hi": np.minimum(nps + z * se, 1) * 100,
        },
        index=promoters.index,
    )
