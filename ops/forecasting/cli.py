"""``ccops forecast``: forecast any CSV, forecast the store's queues, backtest, compare to actuals.

The CSV path is a contract for scripts: ``ccops forecast --input FILE.csv --time-col C --value-col C
[--series-col C] --freq D|30min|15min|60min --horizon N [--holidays KR] [--model ...] --format csv``
prints ``ds, series_id, yhat, yhat_lo, yhat_hi, model``. ``--horizon`` counts periods of ``--freq``
(56 days, or 336 half-hours for a week). No holiday calendar is used unless ``--holidays`` is given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer

from ops.cli_common import DbOption, db_path
from ops.errors import CcopsError, ValidationError
from ops.forecasting.models import AUTO_CANDIDATES
from ops.output import Format, emit

app = typer.Typer(
    help="Volume forecasts: any CSV (--input ...), the store's queues (run), backtests, accuracy.",
    no_args_is_help=True,
)

ModelOpt = Annotated[
    str,
    typer.Option(
        "--model",
        help="auto | ensemble | ets | mstl | adjusted_mean | sarimax | snaive | weekday_mean",
    ),
]
HolidaysOpt = Annotated[
    str | None,
    typer.Option(
        "--holidays",
        help="Holiday calendar: any country the holidays package knows (KR, US, JP, PH, IL, "
        "DE, ...), optionally with a subdivision (US-CA, DE-BY); default: none.",
    ),
]


def _levels(levels: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in levels.split(",") if x.strip())
    except ValueError as e:
        raise ValidationError(f"levels must be comma-separated percentiles, got {levels!r}") from e


def _read_input(
    input: Path, time_col: str | None, value_col: str | None, series_col: str | None, freq: str,
    fill_missing: str,
) -> pd.DataFrame:  # fmt: skip
    from ops.forecasting.frame import read_long_csv

    if not time_col or not value_col:
        raise ValidationError("--input needs --time-col and --value-col")
    if fill_missing not in ("error", "zero"):
        raise ValidationError(f"--fill-missing must be error or zero, got {fill_missing!r}")
    return read_long_csv(
        input, time_col=time_col, value_col=value_col, series_col=series_col, freq=freq,
        fill=fill_missing,  # type: ignore[arg-type]
    )  # fmt: skip


def _csv_output(pred: pd.DataFrame, freq: str) -> pd.DataFrame:
    out = pred.copy()
    out["ds"] = (
        out["ds"].dt.strftime("%Y-%m-%d")
        if freq == "D"
        else out["ds"].dt.strftime("%Y-%m-%dT%H:%M")
    )
    first = ["ds", "series_id", "yhat", "yhat_lo", "yhat_hi", "model"]
    rest = [c for c in out.columns if c not in first]
    for c in out.columns:
        if c.startswith("yhat"):
            out[c] = out[c].round(3)
    return out[first + rest]


@app.callback(invoke_without_command=True)
def forecast(
    ctx: typer.Context,
    input: Annotated[Path | None, typer.Option("--input", help="CSV file to forecast.")] = None,
    time_col: Annotated[str | None, typer.Option("--time-col", help="Date/time column.")] = None,
    value_col: Annotated[str | None, typer.Option("--value-col", help="Volume column.")] = None,
    series_col: Annotated[
        str | None, typer.Option("--series-col", help="Series id column (optional).")
    ] = None,
    freq: Annotated[str, typer.Option("--freq", help="D | 15min | 30min | 60min")] = "D",
    horizon: Annotated[int, typer.Option("--horizon", help="Periods of --freq to forecast.")] = 56,
    holidays: HolidaysOpt = None,
    model: ModelOpt = "auto",
    levels: Annotated[
        str, typer.Option("--levels", help="Interval percentiles, e.g. 10,90 or 10,80,90")
    ] = "10,90",
    fill_missing: Annotated[
        str,
        typer.Option("--fill-missing", help="error (default) | zero: missing periods were closed"),
    ] = "error",
    uplift: Annotated[
        list[str] | None,
        typer.Option(
            "--uplift", help="Scenario PCT:START:END, e.g. 15:2026-11-20:2026-12-01 (repeatable)."
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.csv,
) -> None:
    """Forecast a CSV (with --input), or run one of the subcommands."""
    if ctx.invoked_subcommand is not None:
        return
    if input is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    from ops.forecasting.daily import DailyForecaster
    from ops.forecasting.frame import normalize_freq
    from ops.forecasting.intraday import IntradayForecaster

    f = normalize_freq(freq)
    if horizon < 1:
        raise ValidationError(f"--horizon must be >= 1, got {horizon}")
    data = _read_input(input, time_col, value_col, series_col, f, fill_missing)
    if f == "D":
        est: DailyForecaster | IntradayForecaster = DailyForecaster(
            model, holidays=holidays, levels=_levels(levels)
        )
    else:
        est = IntradayForecaster(
            f, daily_model=model, holidays=holidays, levels=_levels(levels), fill=fill_missing
        )
    pred = est.fit(data).predict(horizon)
    for spec in uplift or []:
        pred = _apply_uplift_spec(pred, spec)
    emit(_csv_output(pred, f), format)


def _apply_uplift_spec(pred: pd.DataFrame, spec: str) -> pd.DataFrame:
    from ops.forecasting.scenarios import apply_uplift

    parts = spec.split(":")
    try:
        pct, start, end = (
            float(parts[0]),
            date.fromisoformat(parts[1]),
            date.fromisoformat(parts[2]),
        )
    except (ValueError, IndexError) as e:
        raise ValidationError(
            f"--uplift must be PCT:START:END (dates YYYY-MM-DD), got {spec!r}"
        ) from e
    return apply_uplift(pred, pct, start, end)


@app.command()
def run(
    db: DbOption = None,
    horizon: Annotated[int, typer.Option(help="Days to forecast.")] = 56,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Last history day YYYY-MM-DD (default: data end)")
    ] = None,
    model: ModelOpt = "auto",
    origins: Annotated[
        int, typer.Option(help="Backtest origins (two weeks apart) for selection and intervals.")
    ] = 4,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Forecast every center × queue in the store, save the run, print its id and per-series
    model and backtest WAPE."""
    from ops.forecasting.service import run_store_forecast, run_summary
    from ops.store import Store

    when = date.fromisoformat(as_of) if as_of else None
    with Store.open(db_path(db)) as store:
        run_id = run_store_forecast(store, horizon, when, model, n_origins=origins)
        summary = run_summary(store, run_id)
    if format is Format.table:
        typer.echo(f"run {run_id}: {len(summary)} series, horizon {horizon} days")
    message = _no_backtest_message(summary, model)
    if message:  # on stderr for csv/json, so the machine-readable output stays clean
        typer.echo(message, err=format is not Format.table)
    summary.insert(0, "run_id", run_id)
    emit(summary, format, title=f"forecast run {run_id}")


def _no_backtest_message(summary: pd.DataFrame, model: str = "auto") -> str:
    """One line on series whose WAPE is blank because no backtest could run (empty if none)."""
    if "note" not in summary or summary.empty:
        return ""
    notes = summary["note"].fillna("").astype(str)
    short = notes.str.startswith("no backtest")
    if not short.any():
        return ""
    days = notes[short].str.extract(r"(\d+) days of history")[0].dropna().astype(int)
    span = f"{days.min()}" if days.min() == days.max() else f"{days.min()}-{days.max()}"
    from ops.forecasting.daily import MIN_BACKTEST_DAYS, MIN_TRAIN_DAYS

    needed = MIN_TRAIN_DAYS + MIN_BACKTEST_DAYS
    detail = (
        f"history {span} days, a backtest needs {needed} ({MIN_TRAIN_DAYS} training + "
        f"{MIN_BACKTEST_DAYS} forecast)"
        if len(days)
        else notes[short].iloc[0]
    )
    how = "the model was picked by preference order (ets first)" if model == "auto" else ""
    return (
        f"{int(short.sum())} of {len(summary)} series without a backtest ({detail}): wape is "
        f"blank, {how + ', ' if how else ''}intervals come from week-ahead naive errors on "
        "ordinary days. See the note column."
    )


@app.command()
def backtest(
    db: DbOption = None,
    input: Annotated[Path | None, typer.Option("--input", help="CSV instead of the store.")] = None,
    time_col: Annotated[str | None, typer.Option("--time-col")] = None,
    value_col: Annotated[str | None, typer.Option("--value-col")] = None,
    series_col: Annotated[str | None, typer.Option("--series-col")] = None,
    freq: Annotated[str, typer.Option("--freq", help="D | 15min | 30min | 60min")] = "D",
    holidays: HolidaysOpt = None,
    models: Annotated[
        str, typer.Option("--models", help="Comma-separated models to compare.")
    ] = ",".join(AUTO_CANDIDATES),
    horizon: Annotated[int, typer.Option(help="Backtest horizon in days.")] = 56,
    origins: Annotated[int, typer.Option(help="Number of weekly forecast origins.")] = 8,
    by: Annotated[
        str, typer.Option(help="Group by: model, bucket, series_id, special, interval")
    ] = "model,bucket",
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="accuracy (default): WAPE/MAPE/bias/MASE by --by; selection: per series the "
            "model each horizon bucket got and why (its backtest WAPE vs the best baseline).",
        ),
    ] = "accuracy",
    fill_missing: Annotated[str, typer.Option("--fill-missing")] = "error",
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Rolling-origin backtest: WAPE, MAPE, bias and MASE by model and horizon bucket, or (with
    --view selection) which model each series got for each horizon bucket, and why."""
    from ops.forecasting.daily import DailyForecaster
    from ops.forecasting.frame import normalize_freq
    from ops.forecasting.intraday import IntradayForecaster, backtest_intraday
    from ops.forecasting.metrics import accuracy_table, horizon_bucket

    f = normalize_freq(freq)
    if view not in ("accuracy", "selection"):
        raise ValidationError(f"--view must be accuracy or selection, got {view!r}")
    keys = [k.strip() for k in by.split(",") if k.strip()]
    model_list = [m.strip() for m in models.split(",") if m.strip()]
    if input is not None:
        data = _read_input(input, time_col, value_col, series_col, f, fill_missing)
        hol: object = holidays
    else:
        if f != "D":
            raise ValidationError("the store backtest is daily; use --input for interval files")
        from ops.forecasting.service import center_holiday_calendars, daily_volume, store_events
        from ops.store import Store

        with Store.open(db_path(db), read_only=True) as store:
            vol = daily_volume(store)
            if vol.empty:
                raise CcopsError("no contacts in the store to backtest")
            cals = center_holiday_calendars(store)
            events = store_events(store, vol)
        meta = vol[["series_id", "center_id"]].drop_duplicates()
        hol = {str(r.series_id): cals.get(str(r.center_id)) for r in meta.itertuples()}
        data = vol[["series_id", "ds", "y"]]
    if view == "selection":
        if f == "D":
            daily_est = DailyForecaster(
                "auto", holidays=hol, candidates=model_list, n_origins=origins,  # type: ignore[arg-type]
                backtest_horizon=horizon, events=None if input is not None else events,
            ).fit(data)  # fmt: skip
        else:  # an interval file: the selection of its daily totals' forecaster
            daily_est = IntradayForecaster(
                f, holidays=hol, candidates=model_list, n_origins=origins,  # type: ignore[arg-type]
                backtest_horizon=horizon, fill=fill_missing,
            ).fit(data).daily  # fmt: skip
        cols = [
            "series_id", "model", "models", "wape_1_7", "wape_1_28", "reason", "fallback", "note",
        ]  # fmt: skip
        emit(daily_est.selected_[cols], format, title="model selection (backtest WAPE, fractions)")
        return
    if f == "D":
        est = DailyForecaster(
            "auto", holidays=hol, candidates=model_list, n_origins=origins,  # type: ignore[arg-type]
            backtest_horizon=horizon, events=None if input is not None else events,
        ).fit(data)  # fmt: skip
        bt = est.backtest_
    else:
        daily_model = next((m for m in model_list if m not in ("snaive", "weekday_mean")), "ets")
        bt = backtest_intraday(
            data, f, horizon_days=min(horizon, 28), n_origins=origins, daily_model=daily_model,
            holidays=hol,  # type: ignore[arg-type]
        )  # fmt: skip
    if bt.empty:
        raise CcopsError(_backtest_error(data, f, horizon))
    bt = bt.assign(bucket=horizon_bucket(bt["h"]).to_numpy())
    if "day_type" in bt:
        bt["special"] = np.where(bt["day_type"].notna(), "special", "ordinary")
    bad = [k for k in keys if k not in bt.columns]
    if bad:
        raise ValidationError(f"--by {bad} not available; use model, bucket, series_id, special")
    emit(accuracy_table(bt, by=keys), format, title="backtest accuracy (fractions)")


def _backtest_error(data: pd.DataFrame, freq: str, horizon: int) -> str:
    """Why the backtest came back empty: days available (longest series) vs days needed."""
    from ops.forecasting.daily import MIN_BACKTEST_DAYS, MIN_TRAIN_DAYS

    ds = pd.to_datetime(data["ds"])
    by = data["series_id"] if "series_id" in data else pd.Series("y", index=data.index)
    days = int(ds.dt.normalize().groupby(by).nunique().max()) if len(data) else 0
    used = horizon if freq == "D" else min(horizon, 28)
    if freq != "D":  # the interval backtest does not shorten its horizon
        needed = MIN_TRAIN_DAYS + used
        if days < needed:
            return (
                f"history too short for a backtest: the longest series has {days} complete "
                f"days; an interval backtest with a {used}-day horizon needs {needed} "
                f"({MIN_TRAIN_DAYS} training + {used} forecast)"
            )
    needed = MIN_TRAIN_DAYS + MIN_BACKTEST_DAYS
    if days >= needed:
        return (
            f"no backtest could be scored on {days} days of history with a {used}-day horizon "
            "(every model failed at every origin)"
        )
    return (
        f"history too short for a backtest: the longest series has {days} days; a backtest "
        f"needs {needed} ({MIN_TRAIN_DAYS} training days + at least {MIN_BACKTEST_DAYS} "
        f"forecast days). The {used}-day horizon is shortened to days − {MIN_TRAIN_DAYS}, so "
        f"it needs {MIN_TRAIN_DAYS + used} days to run in full."
    )


@app.command()
def runs(
    db: DbOption = None,
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Stored forecast runs, newest first."""
    from ops.forecasting.service import list_runs
    from ops.store import Store

    with Store.open(db_path(db), read_only=True) as store:
        emit(list_runs(store), format, title="forecast runs")


@app.command()
def accuracy(
    db: DbOption = None,
    run_id: Annotated[str, typer.Option("--run", help="Run id or 'latest'.")] = "latest",
    by: Annotated[str, typer.Option(help="series_id, center_id, queue_id (comma-separated)")] = (
        "series_id"
    ),
    format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Forecast vs actual of a stored run: WAPE, MAPE, bias, MASE by horizon bucket."""
    from ops.forecasting.service import accuracy_by_horizon
    from ops.store import Store

    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    with Store.open(db_path(db), read_only=True) as store:
        emit(accuracy_by_horizon(store, run_id, by=keys), format, title=f"accuracy of run {run_id}")


@app.command()
def backfill(
    db: DbOption = None,
    weeks: Annotated[
        str, typer.Option(help="Weeks before the data end, comma-separated.")
    ] = "8,4,2",
    horizon: Annotated[int, typer.Option(help="Days to forecast.")] = 56,
) -> None:
    """Store runs as of some weeks before the data end, so forecast vs actual has history."""
    from ops.forecasting.service import backfill_runs
    from ops.store import Store

    try:
        ws = [int(w) for w in weeks.split(",") if w.strip()]
    except ValueError as e:
        raise ValidationError(f"--weeks must be integers, got {weeks!r}") from e
    from ops.forecasting.service import list_runs

    with Store.open(db_path(db)) as store:
        ids = backfill_runs(store, ws, horizon=horizon)
        runs = list_runs(store).set_index("run_id")
    for rid in ids:
        typer.echo(f"{rid}  as of {str(runs.at[rid, 'as_of'])}")
    if len(ids) < len(ws):
        typer.echo(f"{len(ws) - len(ids)} as-of date(s) skipped: less than 4 weeks of history")
