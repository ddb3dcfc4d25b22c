"""Forecast accuracy and speed against the baselines, all measured in this one run.

Daily: every center × queue of a demo database (or synthetic series with weekly/yearly seasonality
and Korean holidays), rolling-origin backtest (3 origins, 28 days apart, horizons 1-56). Prints per
series the backtest WAPE at horizons 1-28 of ccops' selected model ("auto"), its ETS alone, seasonal
naive, the 4-same-weekday mean and statsforecast AutoETS (season 7) on the same origins, and the
time each took. Intraday (30 min): ccops (daily ETS × profiles) against statsmodels Holt-Winters
with a 336-interval season and the interval-level baselines, on the last 28 days of 2 origins.

    .venv/bin/python bench/bench_forecast.py [--db /tmp/fc_demo.duckdb | --synthetic] [--hw-series 10]

Timings: wall-clock and CPU (process) seconds on a shared 2-core machine with other jobs running;
wall-clock is noisy, CPU seconds are the steadier comparison. Reported as measured.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ops.forecasting.daily import DailyForecaster
from ops.forecasting.intraday import backtest_intraday
from ops.forecasting.metrics import wape
from ops.forecasting.synthetic import synthetic_daily, synthetic_intraday

ORIGINS, HORIZON, STEP = 3, 56, 28


def load_demo(db: Path) -> tuple[pd.DataFrame, dict, pd.DataFrame, pd.DataFrame]:
    from ops.forecasting import service
    from ops.store import Store

    with Store.open(db, read_only=True) as store:
        vol = service.daily_volume(store)
        cals = service.center_holiday_calendars(store)
        events = service.store_events(store, vol)
        end = vol["ds"].max()
        start = (end - pd.Timedelta(weeks=40)).date()
        iv = service.interval_volume(store, freq="30min", start=start, end=end.date())
    meta = vol[["series_id", "center_id"]].drop_duplicates()
    holidays = {r.series_id: cals.get(r.center_id) for r in meta.itertuples()}
    # Interval frame on a full grid (absent intervals are zero: no contacts arrived).
    frames = []
    grid = pd.date_range(
        pd.Timestamp(start), end + pd.Timedelta(hours=23, minutes=30), freq="30min"
    )
    for sid, g in iv.groupby("series_id"):
        s = g.groupby("ds")["y"].sum().reindex(grid, fill_value=0).astype(float)
        frames.append(pd.DataFrame({"series_id": sid, "ds": grid, "y": s.to_numpy()}))
    return vol[["series_id", "ds", "y"]], holidays, events, pd.concat(frames, ignore_index=True)


def autoets_backtest(
    df: pd.DataFrame, origins_by_series: dict
) -> tuple[pd.DataFrame, float, float]:
    """statsforecast AutoETS(season 7) refit at the same origins; rows, wall and CPU seconds."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    warm = pd.DataFrame({"unique_id": "w", "ds": pd.date_range("2020-01-01", periods=60), "y": 1.0})
    StatsForecast([AutoETS(season_length=7)], freq="D").fit(warm).predict(h=7)  # JIT warm-up
    rows = []
    t0, c0 = time.perf_counter(), time.process_time()
    for sid, g in df.groupby("series_id"):
        for origin in origins_by_series.get(sid, []):
            hist = g[g["ds"] <= origin]
            test = g[(g["ds"] > origin)].head(HORIZON)
            sf = StatsForecast([AutoETS(season_length=7)], freq="D")
            fc = sf.forecast(df=hist.rename(columns={"series_id": "unique_id"}), h=len(test))
            rows.append(
                pd.DataFrame(
                    {
                        "series_id": sid,
                        "h": np.arange(1, len(test) + 1),
                        "y": test["y"].to_numpy(),
                        "yhat": np.clip(fc["AutoETS"].to_numpy(), 0, None),
                    }
                )  # fmt: skip
            )
    return pd.concat(rows, ignore_index=True), time.perf_counter() - t0, time.process_time() - c0


def hw336_backtest(
    df: pd.DataFrame, horizon_days: int, n_origins: int, weeks: int
) -> tuple[pd.DataFrame, float, float]:
    """statsmodels Holt-Winters, additive 336-interval season, on the last ``weeks`` weeks."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    k = 48
    rows = []
    t0, c0 = time.perf_counter(), time.process_time()
    for sid, g in df.groupby("series_id"):
        y = g["y"].to_numpy(dtype=float)
        n_days = len(y) // k
        for i in range(n_origins):
            o = (n_days - horizon_days - i * STEP) * k
            hist = y[max(0, o - weeks * 7 * k) : o]
            test = y[o : o + horizon_days * k]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = ExponentialSmoothing(hist, seasonal="add", seasonal_periods=336).fit()
                fc = np.clip(np.asarray(res.forecast(len(test))), 0, None)
            rows.append(pd.DataFrame({"series_id": sid, "y": test, "yhat": fc}))
    return pd.concat(rows, ignore_index=True), time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", type=Path, default=Path("/tmp/fc_demo.duckdb"))
    ap.add_argument(
        "--synthetic", action="store_true", help="Synthetic series instead of a demo DB"
    )
    ap.add_argument(
        "--hw-series", type=int, default=10, help="Series for the Holt-Winters 336 race"
    )
    ap.add_argument("--hw-weeks", type=int, default=16, help="Weeks of history Holt-Winters gets")
    args = ap.parse_args()

    if args.synthetic or not args.db.exists():
        source = "synthetic (15 daily series, 2 years; 10 intraday series, 40 weeks)"
        daily = synthetic_daily(15, 730, seed=11, closed_sundays=3)
        holidays: object = "KR"
        events = None
        intraday = synthetic_intraday(10, 280, seed=12, open_hours=(8, 22))
    else:
        source = f"demo database {args.db}"
        daily, holidays, events, intraday = load_demo(args.db)
    print(f"# ccops forecasting benchmark — {source}")
    print(f"# {daily['series_id'].nunique()} daily series, {ORIGINS} origins x {HORIZON} days; "
          "timings are wall-clock on a shared 2-core machine\n")  # fmt: skip

    # --- daily: ccops auto (selection + final forecast), timed end to end ----------------------
    import statsmodels.tsa.holtwinters  # noqa: F401  (import cost is not forecasting time)
    import statsmodels.tsa.seasonal  # noqa: F401

    t0, c0 = time.perf_counter(), time.process_time()
    auto = DailyForecaster(
        "auto", holidays=holidays, events=events, n_origins=ORIGINS, backtest_horizon=HORIZON,
        step=STEP, last_gap=None,
    ).fit(daily)  # fmt: skip
    auto.predict(HORIZON)
    t_auto, c_auto = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    DailyForecaster(
        "ets", holidays=holidays, events=events, n_origins=ORIGINS, backtest_horizon=HORIZON,
        step=STEP, last_gap=None,
    ).fit(daily).predict(HORIZON)  # fmt: skip
    t_ets, c_ets = time.perf_counter() - t0, time.process_time() - c0
    bt = auto.backtest_
    bt28 = bt[bt["h"] <= 28]
    origins = {sid: sorted(g["origin"].unique()) for sid, g in bt.groupby("series_id")}
    sf_rows, t_sf, c_sf = autoets_backtest(daily, origins)
    sf28 = sf_rows[sf_rows["h"] <= 28]

    chosen = auto.selected_.set_index("series_id")["model"]
    rows = []
    for sid, g in bt28.groupby("series_id"):
        w = {m: wape(x["y"], x["yhat"]) for m, x in g.groupby("model")}
        s = sf28[sf28["series_id"] == sid]
        rows.append(
            {"series_id": sid, "model": chosen[sid], "auto": w[chosen[sid]], "ets": w.get("ets"),
             "snaive": w["snaive"], "wday4": w["weekday_mean"],
             "autoets": wape(s["y"], s["yhat"])}
        )  # fmt: skip
    t = pd.DataFrame(rows)
    t["vs_snaive"] = 1 - t["auto"] / t["snaive"]
    t["vs_wday4"] = 1 - t["auto"] / t["wday4"]
    t["ok"] = (t["vs_snaive"] >= 0.20) & (t["vs_wday4"] >= 0.10)
    pd.set_option("display.width", 200)
    print("Daily backtest WAPE at horizons 1-28 (per series; vs_* = how much lower ccops auto is)")
    print(t.round(3).to_string(index=False))

    def pooled(frame: pd.DataFrame, model: str | None = None) -> float:
        f = frame if model is None else frame[frame["model"] == model]
        return wape(f["y"], f["yhat"])

    sel = pd.concat([g[g["model"] == chosen[sid]] for sid, g in bt28.groupby("series_id")])
    print("\nPooled over all series, horizons 1-28:")
    print(
        f"  ccops auto (selected per series)  WAPE {pooled(sel):6.1%}   "
        f"{t_auto:6.1f} s wall {c_auto:6.1f} s CPU  (3-origin backtest of 4 models + selection + final forecast)"
    )
    print(
        f"  ccops ets (one model)             WAPE {pooled(bt28, 'ets'):6.1%}   "
        f"{t_ets:6.1f} s wall {c_ets:6.1f} s CPU  (3-origin backtest + final forecast)"
    )
    print(
        f"  statsforecast AutoETS (season 7)  WAPE {pooled(sf28):6.1%}   "
        f"{t_sf:6.1f} s wall {c_sf:6.1f} s CPU  (3 origins, after JIT warm-up)"
    )
    print(f"  seasonal naive                    WAPE {pooled(bt28, 'snaive'):6.1%}")
    print(f"  mean of last 4 same weekdays      WAPE {pooled(bt28, 'weekday_mean'):6.1%}")
    print(
        f"  series meeting both goals (>=20% below snaive, >=10% below 4-weekday mean): "
        f"{int(t['ok'].sum())}/{len(t)}"
    )
    print(
        f"  ets vs AutoETS per series: ets better or equal on "
        f"{int((t['ets'] <= t['autoets'] + 1e-12).sum())}/{len(t)}"
    )

    # --- intraday (30 min) -----------------------------------------------------------------------
    totals = intraday.groupby("series_id")["y"].sum().sort_values(ascending=False)
    ids = list(totals.index[: args.hw_series])
    sub = intraday[intraday["series_id"].isin(ids)]
    sub_h = {s: holidays.get(s) for s in ids} if isinstance(holidays, dict) else holidays
    print(f"\nIntraday 30-min, {len(ids)} largest series, 2 origins x 28 days, interval-level WAPE")
    t0, c0 = time.perf_counter(), time.process_time()
    ib = backtest_intraday(sub, "30min", horizon_days=28, n_origins=2, daily_model="ets",
                           holidays=sub_h, baselines=True)  # fmt: skip
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0
    hw, t_hw, c_hw = hw336_backtest(sub, 28, 2, args.hw_weeks)
    ours = ib[~ib["model"].isin(["snaive", "weekday_mean"])]
    print(
        f"  ccops daily ETS x profiles        WAPE {wape(ours['y'], ours['yhat']):6.1%}   "
        f"{t_ours:6.1f} s wall {c_ours:6.1f} s CPU (incl. the two baselines)"
    )
    print(
        f"  Holt-Winters, 336 season          WAPE {wape(hw['y'], hw['yhat']):6.1%}   "
        f"{t_hw:6.1f} s wall {c_hw:6.1f} s CPU ({args.hw_weeks} weeks of history)"
    )
    for m in ("snaive", "weekday_mean"):
        b = ib[ib["model"] == m]
        print(f"  {m:<32}  WAPE {wape(b['y'], b['yhat']):6.1%}")
    print(f"  time ratio ccops / Holt-Winters: {t_ours / t_hw:.2f} wall, {c_ours / c_hw:.2f} CPU")
    per = []
    for sid in ids:
        o = ours[ours["series_id"] == sid]
        per.append({"series_id": sid, "ccops": wape(o["y"], o["yhat"]),
                    "hw336": wape(*(hw[hw["series_id"] == sid][c] for c in ("y", "yhat"))),
                    "snaive": wape(*(ib[(ib["series_id"] == sid) & (ib["model"] == "snaive")][c] for c in ("y", "yhat"))),
                    "wday4": wape(*(ib[(ib["series_id"] == sid) & (ib["model"] == "weekday_mean")][c] for c in ("y", "yhat")))})  # fmt: skip
    print(pd.DataFrame(per).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
