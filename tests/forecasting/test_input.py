"""The CSV path with bad input: each error names the row and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ops.errors import ValidationError
from ops.forecasting import read_long_csv, validate_long_frame


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "volume.csv"
    p.write_text(text, encoding="utf-8")
    return p


def _read(p: Path, **kw: object) -> pd.DataFrame:
    return read_long_csv(p, time_col="date", value_col="calls", series_col="queue", **kw)  # type: ignore[arg-type]


def test_missing_date_names_the_rows(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-02,A,6\n2026-01-04,A,7\n")
    with pytest.raises(ValidationError) as e:
        _read(p)
    msg = str(e.value)
    assert "2026-01-03" in msg and "row 2" in msg and "row 3" in msg
    assert e.value.row == 3 and e.value.column == "date" and e.value.file == "volume.csv"
    # The caller may say missing days were closed: then they are zeros.
    df = _read(p, fill="zero")
    assert df["y"].tolist() == [5, 6, 0, 7]


def test_duplicate_timestamp(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-02,A,6\n2026-01-02,A,7\n")
    with pytest.raises(ValidationError, match=r"duplicate timestamp 2026-01-02 .*rows 2 and 3"):
        _read(p)


def test_same_timestamp_in_two_series_is_fine(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-01,B,6\n")
    assert len(_read(p)) == 2


def test_negative_value(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-02,A,-1\n")
    with pytest.raises(ValidationError) as e:
        _read(p)
    assert e.value.row == 2 and e.value.column == "calls" and "negative" in str(e.value)


def test_non_numeric_cell(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-02,A,12a\n2026-01-03,A,4\n")
    with pytest.raises(ValidationError) as e:
        _read(p)
    assert (
        e.value.row == 2 and e.value.column == "calls" and "'12a' is not a number" in str(e.value)
    )


def test_bad_date_and_off_grid_time(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\nnot a date,A,6\n")
    with pytest.raises(ValidationError) as e:
        _read(p)
    assert e.value.row == 2 and e.value.column == "date"
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01 09:10,A,5\n")
    with pytest.raises(ValidationError, match="30min grid"):
        _read(p, freq="30min")


def test_empty_cell_and_missing_column(tmp_path: Path) -> None:
    p = _csv(tmp_path, "date,queue,calls\n2026-01-01,A,5\n2026-01-02,A,\n")
    with pytest.raises(ValidationError) as e:
        _read(p)
    assert e.value.row == 2 and "empty" in str(e.value)
    p = _csv(tmp_path, "day,queue,calls\n2026-01-01,A,5\n")
    with pytest.raises(ValidationError, match="column 'date' not found"):
        _read(p)


def test_validate_long_frame_normalises() -> None:
    df = pd.DataFrame({"series_id": [1, 1], "ds": ["2026-01-02", "2026-01-01"], "y": ["3", 4]})
    out = validate_long_frame(df, "D")
    assert out["series_id"].tolist() == ["1", "1"]
    assert out["y"].tolist() == [4.0, 3.0]
    with pytest.raises(ValidationError, match="freq must be one of"):
        validate_long_frame(df, "W")


def _cli(args: list[str]):
    from ops.cli import _register_subcommands, app

    if not any(g.name == "forecast" for g in app.registered_groups):
        _register_subcommands()
    return CliRunner().invoke(app, args)


def test_cli_forecast_csv_contract(tmp_path: Path) -> None:
    rows = ["date,calls"] + [
        f"{d.date()},{v}"
        for d, v in zip(
            pd.date_range("2026-01-05", periods=70), [10, 9, 8, 8, 7, 3, 0] * 10, strict=True
        )
    ]
    p = _csv(tmp_path, "\n".join(rows) + "\n")
    r = _cli(["forecast", "--input", str(p), "--time-col", "date", "--value-col", "calls",
              "--freq", "D", "--horizon", "7", "--model", "snaive", "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert lines[0] == "ds,series_id,yhat,yhat_lo,yhat_hi,model"
    assert lines[1].startswith("2026-03-16,calls,10.0,")
    assert len(lines) == 8
    bad = _csv(tmp_path, "date,calls\n2026-01-01,5\n2026-01-02,x\n")
    r = _cli(["forecast", "--input", str(bad), "--time-col", "date", "--value-col", "calls"])
    assert r.exit_code != 0
    assert isinstance(r.exception, ValidationError) and "row 2" in str(r.exception)
