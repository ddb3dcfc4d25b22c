"""Closed days, holidays and weekends from the data, with hand-computed values.

Real centers close on public holidays and weekends, and an export of open hours only, zero-filled,
puts a zero on each of those days. These tests pin what the forecaster does with them: a closure
is not a collapse of demand (it moves neither the planners' mean nor the models' level), a
Fri/Sat weekend or a Mon-Sat week needs no configuration, the days after a closure carry their
rebound, and a holiday the center was never seen closed on is forecast open.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ops.forecasting import DailyForecaster, fit_series
from ops.forecasting.daily import select_by_bucket
from ops.forecasting.intraday import IntradayForecaster
from ops.forecasting.metrics import horizon_bucket, wape
from ops.forecasting.models import closed_weekdays, closure_days, post_closure_types
from ops.forecasting.specialdays import SpecialDayCalendar, holiday_key

# Mon..Sun of a weekday-only center
WEEKDAYS_ONLY = np.array([120.0, 100.0, 90.0, 90.0, 100.0, 0.0, 0.0])


def _frame(ds: pd.DatetimeIndex, y: np.ndarray, sid: str = "Q") -> pd.DataFrame:
    return pd.DataFrame({"series_id": sid, "ds": ds, "y": np.asarray(y, dtype=float)})


def test_a_holiday_zero_does_not_move_the_weekday_mean() -> None:
    # 10 weeks from Monday 2026-06-01; the last six Mondays carry 80, 90, 100, 110, 0, 120
    # (the 0 is a public holiday: the center was closed).
    ds = pd.date_range("2026-06-01", periods=70, freq="D")
    y = WEEKDAYS_ONLY[ds.weekday].copy()
    mondays = np.flatnonzero(ds.weekday == 0)
    y[mondays[-6:]] = [80, 90, 100, 110, 0, 120]
    fit = fit_series(ds, y, "weekday_mean")
    # The next day is Monday 2026-08-10. Last four open Mondays: (90 + 100 + 110 + 120) / 4 = 105.
    # The spreadsheet mean with the holiday in it would be (100 + 110 + 0 + 120) / 4 = 82.5.
    assert fit.future_dates(1)[0] == pd.Timestamp("2026-08-10")
    assert fit.forecast(1)[0] == pytest.approx(105.0)
    # Seasonal naive skips it too: the last open Monday is 120 (last Monday itself).
    assert fit_series(ds, y, "snaive").forecast(1)[0] == pytest.approx(120.0)
    # The closure is found from the data (a zero where the neighbouring Mondays carry >= 5).
    closures = closure_days(ds, y)
    assert closures.sum() == 1 and ds[closures][0] == ds[mondays[-2]]
    # The weekend is not a closure: it is the center's closed weekdays.
    assert closed_weekdays(ds, y) == frozenset({5, 6})


@pytest.mark.parametrize("model", ["adjusted_mean", "ets", "ensemble"])
def test_a_closure_moves_neither_level_nor_season(model: str) -> None:
    # A noise-free weekday-only week for 20 weeks with three closures on open weekdays (a Monday,
    # a Wednesday, a Friday): the structural models replace them (and the open days after them)
    # by their normal, so the forecast is the weekly pattern exactly.
    ds = pd.date_range("2026-01-05", periods=140, freq="D")  # a Monday
    y = WEEKDAYS_ONLY[ds.weekday].copy()
    for d in ("2026-03-02", "2026-04-08", "2026-05-08"):
        y[ds == pd.Timestamp(d)] = 0.0
    fit = fit_series(ds, y, model)
    assert fit.closures == 3
    np.testing.assert_allclose(fit.forecast(14), np.tile(WEEKDAYS_ONLY, 2), rtol=1e-3)


def test_fri_sat_weekend_gets_zeros_on_friday_and_saturday_without_configuration() -> None:
    # An Israeli-style center open Sunday-Thursday: Fri (4) and Sat (5) are closed.
    week = np.array([100.0, 95.0, 95.0, 90.0, 0.0, 0.0, 120.0])  # Mon..Sun
    ds = pd.date_range("2026-01-04", periods=20 * 7, freq="D")  # a Sunday
    rng = np.random.default_rng(4)
    y = rng.poisson(week[ds.weekday] * 10).astype(float)
    f = DailyForecaster("auto").fit(_frame(ds, y))
    p = f.predict(7)
    fit = f.fits_["Q"]
    assert fit.main.closed == frozenset({4, 5})
    assert f.params()["Q"]["closed_weekdays"] == [4, 5]
    # 7 days ahead: exactly 0 (and a zero interval) on Friday and Saturday, open days near the
    # weekly pattern × 10 (Poisson noise: within 15 %).
    wd = p["ds"].dt.weekday.to_numpy()
    closed = np.isin(wd, [4, 5])
    assert closed.sum() == 2
    assert (p.loc[closed, ["yhat", "yhat_lo", "yhat_hi"]].to_numpy() == 0).all()
    np.testing.assert_allclose(p.loc[~closed, "yhat"], week[wd[~closed]] * 10, rtol=0.15)


def test_post_closure_days_by_hand() -> None:
    # Mon 2026-05-25 (Memorial Day) closed; Sat/Sun closed weekdays. The first three open days
    # after it are Tue, Wed, Thu; Friday is ordinary again. A Friday closure carries over the
    # weekend: the next Monday is post_closure:1.
    ds = pd.date_range("2026-05-25", periods=14, freq="D")
    closures = np.zeros(14, dtype=bool)
    closures[0] = True  # Mon 05-25
    closures[11] = True  # Fri 06-05
    types = post_closure_types(ds, closures, frozenset({5, 6}))
    assert types[1:5] == ["post_closure:1", "post_closure:2", "post_closure:3", None]
    assert types[12:14] == [None, None]  # Sat, Sun
    later = post_closure_types(
        pd.date_range("2026-06-08", periods=3, freq="D"), np.zeros(3, bool), frozenset({5, 6}),
        gap=0,
    )  # fmt: skip
    assert later == ["post_closure:1", "post_closure:2", "post_closure:3"]


def _us_center(rebound: float = 1.25) -> pd.DataFrame:
    """A noise-free US weekday center closed on Memorial Day, Independence Day and Labor Day,
    with ``rebound`` × normal on the first open day after each closure."""
    ds = pd.date_range("2025-01-06", "2026-10-02", freq="D")
    y = WEEKDAYS_ONLY[ds.weekday].copy()
    closed = pd.to_datetime(
        ["2025-05-26", "2025-07-04", "2025-09-01", "2026-05-25", "2026-07-03", "2026-09-07"]
    )  # 2026-07-03 is Independence Day observed (the 4th is a Saturday)
    for d in closed:
        i = int(np.flatnonzero(ds == d)[0])
        y[i] = 0.0
        j = i + 1
        while ds[j].weekday() >= 5:
            j += 1
        y[j] *= rebound
    return _frame(ds, y)


def test_the_rebound_after_a_closure_is_learned_and_applied_after_the_next_one() -> None:
    df = _us_center(1.25)
    f = DailyForecaster("adjusted_mean", holidays="US", n_origins=0).fit(df)
    fit = f.fits_["Q"].main
    # Six closures (Mon, Fri, Mon, Mon, Fri, Mon), each followed by 1.25 × normal. Factors are
    # Σy ÷ Σnormal over the type's days, shrunk toward the parent with one mean normal day of
    # prior weight: f = (Σy + n̄·f_parent) ÷ (Σn + n̄).
    # post_closure:1 days: Tue, Mon, Tue, Tue, Mon, Tue -> Σn = 4·100 + 2·120 = 640, Σy = 800.
    # post_closure:2: Wed, Tue, Wed, Wed, Tue, Wed -> Σn = Σy = 4·90 + 2·100 = 560.
    # post_closure:3: Thu, Wed, Thu, Thu, Wed, Thu -> Σn = Σy = 6·90 = 540.
    # Parent post_closure (root, prior 1): Σy = 1900, Σn = 1740, n̄ = 1740/18 = 96.667
    #   -> (1900 + 96.667) / (1740 + 96.667) = 1.087114.
    # post_closure:1: n̄ = 640/6 = 106.667 -> (800 + 106.667 × 1.087114) / (640 + 106.667)
    #   = 915.959 / 746.667 = 1.226731.
    assert fit.day_factors["post_closure"] == pytest.approx(1996.667 / 1836.667, rel=1e-4)
    assert fit.day_factors["post_closure:1"] == pytest.approx(1.226731, rel=1e-4)
    # Columbus Day 2025 was open in the history (its own leaf, factor 1): open again in 2026.
    p = f.predict(70).set_index("ds")
    assert p.at[pd.Timestamp("2026-10-12"), "yhat"] == pytest.approx(120.0, rel=1e-3)


def test_a_holiday_never_seen_is_forecast_open_and_named() -> None:
    # History from 2025-11-12: closed on Thanksgiving, Christmas, New Year, Memorial Day,
    # Independence Day (observed) and Labor Day; open on MLK Day, Presidents' Day, Juneteenth.
    ds = pd.date_range("2025-11-12", "2026-10-02", freq="D")
    y = WEEKDAYS_ONLY[ds.weekday].copy()
    for d in ("2025-11-27", "2025-12-25", "2026-01-01", "2026-05-25", "2026-07-03", "2026-09-07"):
        y[ds == pd.Timestamp(d)] = 0.0
    f = DailyForecaster("adjusted_mean", holidays="US", n_origins=0).fit(_frame(ds, y))
    p = f.predict(56).set_index("ds")
    # Columbus Day (Mon 10-12) and Veterans Day (Wed 11-11) were never seen: a center closed on
    # six holidays may still open on these, so they are forecast open with the open factor of
    # the holidays it did open on (MLK, Presidents', Juneteenth: all at 1.0), and named.
    assert p.at[pd.Timestamp("2026-10-12"), "yhat"] == pytest.approx(120.0, rel=1e-3)
    assert p.at[pd.Timestamp("2026-11-11"), "yhat"] == pytest.approx(90.0, rel=1e-3)
    note = f.selected_["note"].iloc[0]
    assert "Columbus Day 2026-10-12" in note and "Veterans Day 2026-11-11" in note
    # Thanksgiving was seen closed: closed again (Thu 11-26), and a zero interval.
    assert p.at[pd.Timestamp("2026-11-26"), "yhat"] == 0.0
    assert p.at[pd.Timestamp("2026-11-26"), "yhat_hi"] == 0.0


def test_a_holiday_seen_closed_is_forecast_closed_with_its_rebound() -> None:
    df = _us_center(1.25)
    df = df[df["ds"] <= "2026-05-15"]  # Memorial Day 2026 (05-25) ahead; 2025's was closed
    f = DailyForecaster("adjusted_mean", holidays="US", n_origins=0).fit(df)
    p = f.predict(14).set_index("ds")
    assert p.at[pd.Timestamp("2026-05-25"), "yhat"] == 0.0
    assert p.at[pd.Timestamp("2026-05-25"), "yhat_hi"] == 0.0
    # Tuesday after it: 100 × post_closure:1, learned from 2025's three closures (Mon, Fri, Mon):
    # :1 days Tue, Mon, Tue: Σn = 320, Σy = 400; :2 Wed, Tue, Wed: Σn = Σy = 280; :3 Thu, Wed,
    # Thu: Σn = Σy = 270. Parent: (950 + 96.667) / (870 + 96.667) = 1.082759.
    # :1 = (400 + 106.667 × 1.082759) / (320 + 106.667) = 1.208190;
    # :2 = (280 + 93.333 × 1.082759) / (280 + 93.333) = 1.020690.
    assert p.at[pd.Timestamp("2026-05-26"), "yhat"] == pytest.approx(100 * 1.208190, rel=1e-4)
    assert p.at[pd.Timestamp("2026-05-27"), "yhat"] == pytest.approx(90 * 1.020690, rel=1e-4)


def test_holiday_names_share_a_leaf_with_their_substitute_days() -> None:
    assert holiday_key("Independence Day (observed)") == "Independence Day"
    assert holiday_key("Alternative holiday for Children's Day") == "Children's Day"
    t = SpecialDayCalendar("US").day_types(pd.DatetimeIndex(["2026-07-03", "2026-10-12"]))
    assert t.tolist() == ["holiday:Independence Day", "holiday:Columbus Day"]


@pytest.mark.parametrize("spec", ["US-CA", "us:ca", "DE-BY", "JP", "PH", "IL", "KR"])
def test_any_country_and_subdivision(spec: str) -> None:
    cal = SpecialDayCalendar(spec)
    assert cal.country is not None and cal.country.split("-")[0] == spec[:2].upper()
    # Every one of these calendars has New Year's Day, or a holiday in its first week (IL: none
    # in January; it has Passover in spring).
    days = cal.day_types(pd.date_range("2026-01-01", "2026-12-31"))
    assert days.notna().sum() >= 5


def test_california_has_cesar_chavez_day_and_the_federal_calendar_does_not() -> None:
    d = pd.DatetimeIndex(["2026-03-31"])
    assert SpecialDayCalendar("US-CA").day_types(d).iloc[0] == "holiday:Cesar Chavez Day"
    assert SpecialDayCalendar("US").day_types(d).iloc[0] is None


def test_unknown_subdivision_is_a_clear_error() -> None:
    from ops.errors import ValidationError

    with pytest.raises(ValidationError, match=r"subdivision 'XX'.*US"):
        SpecialDayCalendar("US-XX")


def test_selection_never_loses_to_a_baseline_in_its_own_backtest() -> None:
    # Pure noise around a weekly pattern: the four-weekday mean is hard to beat here. Whatever
    # each bucket chose, its backtest WAPE there is at most every baseline's.
    ds = pd.date_range("2026-01-05", periods=40 * 7, freq="D")
    rng = np.random.default_rng(9)
    y = rng.poisson(WEEKDAYS_ONLY[ds.weekday] * 5).astype(float)
    f = DailyForecaster("auto").fit(_frame(ds, y))
    bt = f.backtest_.assign(bucket=lambda d: horizon_bucket(d["h"]).to_numpy())
    chosen = f.fits_["Q"].by_bucket
    for bucket, g in bt.groupby("bucket"):
        scores = {m: wape(x["y"], x["yhat"]) for m, x in g.groupby("model")}
        if bucket in chosen and chosen[bucket] in scores:
            assert scores[chosen[bucket]] <= min(scores["snaive"], scores["weekday_mean"])
    assert f.selected_["reason"].iloc[0].startswith("1-7: ")
    assert "8 origins" in f.selected_["reason"].iloc[0]


def test_select_by_bucket_by_hand() -> None:
    # Two models, 10 days in each of buckets 1-7 and 8-14 (y = 100): A misses by 10 then 30,
    # B by 20 then 20. Bucket 1-7: A (10 %) beats B (20 %); 8-14: B (20 %) beats A (30 %).
    rows = []
    for m, (e1, e2) in {"A": (10, 30), "B": (20, 20)}.items():
        for h in range(1, 21):
            rows.append({"model": m, "h": 1 + (h - 1) % 7 if h <= 10 else 8 + (h - 1) % 7,
                         "y": 100.0, "yhat": 100.0 + (e1 if h <= 10 else e2)})  # fmt: skip
    choice, scores = select_by_bucket(pd.DataFrame(rows), ["A", "B"], preference=("A", "B"))
    assert choice["1-7"] == "A" and choice["8-14"] == "B"
    assert scores["1-7"]["A"] == pytest.approx(0.10) and scores["8-14"]["A"] == pytest.approx(0.30)
    assert choice["15-28"] == "B"  # no data there: the previous bucket's choice


def test_intervals_never_open_stay_zero_and_the_day_total_is_kept(tmp_path: Path) -> None:
    # An export with rows for open hours only (weekdays 07:00-20:30 in 30-minute intervals),
    # zero-filled by --fill-missing zero, as a telephony report gives it.
    ds = pd.date_range("2026-06-01", periods=12 * 7, freq="D")
    rng = np.random.default_rng(2)
    rows = []
    for d in ds:
        if d.weekday() >= 5:
            continue
        for i in range(14, 42):  # 07:00 .. 20:30
            lam = 8 + 6 * np.sin(np.pi * (i - 14) / 28)
            rows.append((d + pd.Timedelta(minutes=30 * i), rng.poisson(lam)))
    csv = tmp_path / "calls.csv"
    pd.DataFrame(rows, columns=["start", "calls"]).to_csv(csv, index=False)
    from ops.cli import _register_subcommands, app

    if not any(g.name == "forecast" for g in app.registered_groups):
        _register_subcommands()
    res = CliRunner().invoke(
        app,
        ["forecast", "--input", str(csv), "--time-col", "start", "--value-col", "calls",
         "--freq", "30min", "--horizon", "336", "--fill-missing", "zero", "--format", "csv"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    from io import StringIO

    p = pd.read_csv(StringIO(res.output), parse_dates=["ds"])
    assert len(p) == 336 and p["ds"].iloc[0] == pd.Timestamp(
        "2026-08-22 00:00"
    )  # Saturday after the last Friday
    t = p["ds"].dt.hour * 60 + p["ds"].dt.minute
    never_open = (t < 7 * 60) | (t > 20 * 60 + 30) | (p["ds"].dt.weekday >= 5)
    assert (p.loc[never_open, ["yhat", "yhat_lo", "yhat_hi"]].to_numpy() == 0).all()
    assert (p.loc[~never_open, "yhat"] > 0).all()
    # The interval forecasts add up to the daily forecast of the same history.
    hist = pd.read_csv(csv, parse_dates=["start"])
    f = IntradayForecaster("30min", fill="zero").fit(
        hist.rename(columns={"start": "ds", "calls": "y"}).assign(series_id="calls")
    )
    day = f.daily.predict(7).set_index("ds")["yhat"]
    per_day = p.groupby(p["ds"].dt.normalize())["yhat"].sum()
    np.testing.assert_allclose(per_day.to_numpy(), day.to_numpy(), rtol=1e-3, atol=1e-2)


def test_a_center_closed_on_every_holiday_seen_closes_on_an_unseen_one() -> None:
    # A Korean in-house center closed on every public holiday from 2024-11-04 to 2026-05-20:
    # far more than 8 distinct holidays seen, all closed, so P(closed) = (c + 1) / (c + 2) >= 0.9
    # and the Local Election Day of 2026-06-03 (Wed), never seen, is forecast closed too.
    ds = pd.date_range("2024-11-04", "2026-05-20", freq="D")
    types = SpecialDayCalendar("KR").day_types(ds).to_numpy()
    from ops.forecasting.specialdays import is_holiday_type

    y = WEEKDAYS_ONLY[ds.weekday].copy()
    y[[is_holiday_type(t) for t in types]] = 0.0
    seen = {t for t, v, w in zip(types, y, ds.weekday, strict=True) if is_holiday_type(t) and w < 5}
    assert len(seen) >= 8
    f = DailyForecaster("adjusted_mean", holidays="KR", n_origins=0).fit(_frame(ds, y))
    p = f.predict(21).set_index("ds")
    assert SpecialDayCalendar("KR").day_types(pd.DatetimeIndex(["2026-06-03"])).iloc[0] == (
        "holiday:Local Election Day"
    )
    assert p.at[pd.Timestamp("2026-06-03"), "yhat"] == 0.0
    assert f.fits_["Q"].main.closes_unseen_holidays()
    assert p.at[pd.Timestamp("2026-06-02"), "yhat"] > 0  # the Tuesday before is open
