"""The one data contract of forecasting: the long frame ``series_id, ds, y``, checked once at the entry.

Every estimator, the backtest and the CLI take this shape (statsforecast's ``unique_id, ds, y``
convention with ccops' names). :func:`validate_long_frame` is the single gate: it turns whatever a
caller hands in (a CSV, a store aggregate) into a sorted frame on a regular grid, or raises a
:class:`~ops.errors.ValidationError` that names the row and the column to fix. Nothing downstream
re-checks types, duplicates or gaps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ops.errors import ValidationError

SERIES_ID = "series_id"
DS = "ds"
Y = "y"
YHAT = "yhat"
YHAT_LO = "yhat_lo"
YHAT_HI = "yhat_hi"
MODEL = "model"
ROW = "_row"  # 1-based data row of the input file (header is row 0), carried for error messages

FORECAST_COLUMNS = (SERIES_ID, DS, YHAT, YHAT_LO, YHAT_HI, MODEL)

# Accepted spellings -> canonical frequency. Daily and 15/30/60-minute intervals are supported.
_FREQ_ALIASES = {
    "d": "D",
    "1d": "D",
    "day": "D",
    "daily": "D",
    "15min": "15min",
    "15t": "15min",
    "15m": "15min",
    "30min": "30min",
    "30t": "30min",
    "30m": "30min",
    "60min": "60min",
    "60t": "60min",
    "60m": "60min",
    "h": "60min",
    "1h": "60min",
    "hourly": "60min",
}
FREQS = ("D", "15min", "30min", "60min")

FillRule = Literal["error", "zero"]


def normalize_freq(freq: str) -> str:
    """The canonical frequency (``D``, ``15min``, ``30min``, ``60min``) for an accepted spelling."""
    key = str(freq).strip().lower()
    if key not in _FREQ_ALIASES:
        raise ValidationError(f"freq must be one of {', '.join(FREQS)}, got {freq!r}")
    return _FREQ_ALIASES[key]


def freq_offset(freq: str) -> pd.Timedelta:
    """Length of one period of ``freq``."""
    f = normalize_freq(freq)
    return pd.Timedelta(days=1) if f == "D" else pd.Timedelta(f)


def periods_per_day(freq: str) -> int:
    """Intervals in one day: 1 for daily, 48 for 30 minutes."""
    return int(pd.Timedelta(days=1) / freq_offset(freq))


def _when(ts: object, freq: str) -> str:
    t = pd.Timestamp(ts)  # type: ignore[arg-type]
    return str(t.date()) if freq == "D" else t.strftime("%Y-%m-%d %H:%M")


def _row_of(df: pd.DataFrame, idx: object) -> int:
    if ROW in df.columns:
        return int(df.at[idx, ROW])  # type: ignore[arg-type]
    return int(df.index.get_loc(idx)) + 1  # type: ignore[arg-type]


_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _missing_pattern(missing: pd.DatetimeIndex, freq: str) -> str:
    """Where the missing periods fall, e.g. `` (by weekday: Sat 33, Sun 33, Mon 2, Fri 1)``:
    a weekend or night pattern says the center was closed then; a few scattered weekdays are
    holidays or lost data."""
    if not len(missing):
        return ""
    if freq == "D":
        counts = pd.Series(missing.weekday).value_counts()
        parts = [f"{_WEEKDAY_NAMES[int(d)]} {n}" for d, n in counts.items()]  # type: ignore[call-overload]
        return f" (by weekday: {', '.join(parts)})"
    per_day = pd.Series(1, index=missing).groupby(missing.normalize()).size()
    whole = int((per_day == periods_per_day(freq)).sum())
    return f" on {len(per_day)} day(s), {whole} of them whole days"


def _present_span(present: pd.DatetimeIndex) -> str:
    """`` (rows only between 07:00 and 21:00)`` when the data's times of day leave part of the
    day out: an export of open hours."""
    minutes = present.hour * 60 + present.minute
    lo, hi = int(minutes.min()), int(minutes.max())
    if lo == 0 and hi >= 23 * 60:
        return ""
    return f"; rows only between {lo // 60:02d}:{lo % 60:02d} and {hi // 60:02d}:{hi % 60:02d}"


def validate_long_frame(
    df: pd.DataFrame,
    freq: str = "D",
    *,
    fill: FillRule = "error",
    file: str | None = None,
    min_length: int = 1,
) -> pd.DataFrame:
    """Check and normalise a long frame ``series_id, ds, y`` on a regular ``freq`` grid.

    Rejected, each with a :class:`ValidationError` naming the row (1-based data row) and column:
    missing columns, unparseable timestamps, timestamps off the ``freq`` grid, empty or non-numeric
    values, negative values, duplicate ``(series_id, ds)``, and gaps in a series' timestamps.
    Gaps become zero only when ``fill="zero"`` (the caller states that absent periods were closed);
    empty values are gaps too. Returns columns ``series_id`` (str), ``ds`` (datetime64), ``y`` (float),
    sorted by series and time, with every period from each series' first to last timestamp.
    """
    freq = normalize_freq(freq)
    missing = [c for c in (SERIES_ID, DS, Y) if c not in df.columns]
    if missing:
        raise ValidationError(
            f"column(s) {missing} missing; the long format needs series_id, ds, y "
            f"(got {list(df.columns)})",
            file=file,
            row=0,
            column=missing[0],
        )
    if df.empty:
        raise ValidationError("no rows to forecast", file=file)
    work = df.copy()
    work[SERIES_ID] = work[SERIES_ID].astype(str)

    ds = pd.to_datetime(work[DS], errors="coerce")
    bad = ds.isna()
    if bad.any():
        i = work.index[bad.to_numpy()][0]
        raise ValidationError(
            f"timestamp {work.at[i, DS]!r} cannot be read as a date/time (use ISO, e.g. 2026-01-31)",
            file=file,
            row=_row_of(work, i),
            column=DS,
        )
    if getattr(ds.dt, "tz", None) is not None:
        ds = ds.dt.tz_localize(None)
    work[DS] = ds
    step = freq_offset(freq)
    off_grid = ds != ds.dt.floor("D" if freq == "D" else freq)
    if off_grid.any():
        i = work.index[off_grid.to_numpy()][0]
        what = "a date without a time of day" if freq == "D" else f"on the {freq} grid"
        raise ValidationError(
            f"timestamp {ds[i]} is not {what}; aggregate first or pass the matching --freq",
            file=file,
            row=_row_of(work, i),
            column=DS,
        )

    raw = work[Y]
    y = pd.to_numeric(raw, errors="coerce")
    non_numeric = y.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if non_numeric.any():
        i = work.index[non_numeric.to_numpy()][0]
        raise ValidationError(
            f"value {raw[i]!r} is not a number", file=file, row=_row_of(work, i), column=Y
        )
    if np.isinf(y.to_numpy(dtype=float, na_value=np.nan)).any():
        i = work.index[np.isinf(y.to_numpy(dtype=float, na_value=np.nan))][0]
        raise ValidationError("value is infinite", file=file, row=_row_of(work, i), column=Y)
    negative = y < 0
    if negative.any():
        i = work.index[negative.to_numpy()][0]
        raise ValidationError(
            f"value {raw[i]!r} is negative; volumes are counts >= 0",
            file=file,
            row=_row_of(work, i),
            column=Y,
        )
    work[Y] = y.astype(float)

    dup = work.duplicated([SERIES_ID, DS], keep=False)
    if dup.any():
        rows = [_row_of(work, i) for i in work.index[dup.to_numpy()][:2]]
        sid = work.loc[dup, SERIES_ID].iloc[0]
        when = work.loc[dup, DS].iloc[0]
        raise ValidationError(
            f"duplicate timestamp {_when(when, freq)} in series {sid!r} (rows {rows[0]} and {rows[1]}); "
            "each period must appear once per series",
            file=file,
            row=rows[0],
            column=DS,
        )

    empty = work[Y].isna()
    if empty.any() and fill == "error":
        i = work.index[empty.to_numpy()][0]
        raise ValidationError(
            "value is empty; fill it, or state that missing periods are closed (zero)",
            file=file,
            row=_row_of(work, i),
            column=Y,
        )

    work = work.sort_values([SERIES_ID, DS], kind="stable")
    out = []
    for sid, g in work.groupby(SERIES_ID, sort=True):
        full = pd.date_range(g[DS].iloc[0], g[DS].iloc[-1], freq=step)
        if len(full) != len(g):
            if fill == "error":
                present = pd.DatetimeIndex(g[DS])
                gap = full.difference(present)[0]
                before = g[g[DS] < gap].iloc[-1]
                after = g[g[DS] > gap].iloc[0]
                n_missing = len(full) - len(g)
                raise ValidationError(
                    f"series {sid!r} has {n_missing} missing period(s)"
                    f"{_missing_pattern(full.difference(present), freq)}"
                    f"{'' if freq == 'D' else _present_span(present)}, the first "
                    f"{_when(gap, freq)} between row {_row_of(g, before.name)} "
                    f"({_when(before[DS], freq)}) and row {_row_of(g, after.name)} "
                    f"({_when(after[DS], freq)}); add the rows, or pass fill='zero' (--fill-missing zero) "
                    "if missing periods were closed",
                    file=file,
                    row=_row_of(g, after.name),
                    column=DS,
                )
        s = g.set_index(DS)[Y].reindex(full)
        s = s.fillna(0.0)
        if len(s) < min_length:
            raise ValidationError(
                f"series {sid!r} has {len(s)} period(s); at least {min_length} are needed",
                file=file,
                column=Y,
            )
        out.append(pd.DataFrame({SERIES_ID: sid, DS: s.index, Y: s.to_numpy(dtype=float)}))
    return pd.concat(out, ignore_index=True)


def read_long_csv(
    path: str | Path,
    *,
    time_col: str,
    value_col: str,
    series_col: str | None = None,
    freq: str = "D",
    fill: FillRule = "error",
) -> pd.DataFrame:
    """Read a CSV into the validated long frame (see :func:`validate_long_frame`).

    Values are read as text first so that a non-numeric cell is reported with its row instead of
    silently turning the whole column into strings.
    """
    p = Path(path)
    if not p.exists():
        raise ValidationError(f"file {p} does not exist", file=str(p))
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    except Exception as e:  # parser errors name a line; keep it
        raise ValidationError(f"cannot read CSV: {str(e).splitlines()[0]}", file=p.name) from e
    cols = [time_col, value_col] + ([series_col] if series_col else [])
    for c in cols:
        if c not in raw.columns:
            raise ValidationError(
                f"column {c!r} not found; the file has {list(raw.columns)}",
                file=p.name,
                row=0,
                column=c,
            )
    df = pd.DataFrame(
        {
            SERIES_ID: raw[series_col] if series_col else value_col,
            DS: raw[time_col].str.strip(),
            Y: raw[value_col].str.strip().mask(raw[value_col].str.strip() == ""),
            ROW: np.arange(1, len(raw) + 1),
        }
    )
    try:
        return validate_long_frame(df, freq, fill=fill, file=p.name)
    except ValidationError as e:
        # Report the user's column names, not the internal ones.
        names = {SERIES_ID: series_col, DS: time_col, Y: value_col}
        if e.column in names and names[e.column]:
            msg = e.message.split(" (file ")[0]
            raise ValidationError(msg, file=p.name, row=e.row, column=names[e.column]) from None
        raise
