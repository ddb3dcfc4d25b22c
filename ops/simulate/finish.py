"""The parts of the demo that other modules own: SLA contracts and stored forecast runs.

`build_demo` simulates the operation; a believable demo also has the contracts the centers are held
to (``data/contracts/``) and forecasts made before the data ended, so that "SLA vs contract",
penalty statements and "forecast vs actual" have something true to show on day one.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ops.store import Store

DEMO_CONTRACTS_DIR = Path(__file__).resolve().parents[2] / "data" / "contracts"


class DemoExtras(BaseModel):
    """What :func:`finish_demo` added."""

    contracts: int
    forecast_runs: list[str]


def finish_demo(
    store: Store,
    *,
    contracts_dir: Path = DEMO_CONTRACTS_DIR,
    forecasts: bool = True,
    backfill_weeks: tuple[int, ...] = (8, 4, 2),
    horizon: int = 56,
) -> DemoExtras:
    """Load the demo contracts, then store forecast runs made 8, 4 and 2 weeks before the data end
    (cheap candidate models, one backtest origin) and one current run (``auto`` selection)."""
    from ops.forecasting import backfill_runs, run_store_forecast
    from ops.sla.contracts import load_contracts

    loaded = load_contracts(store, contracts_dir)
    runs: list[str] = []
    if forecasts:
        runs = backfill_runs(store, backfill_weeks, horizon=horizon)
        runs.append(run_store_forecast(store, horizon, notes="demo: current forecast"))
    return DemoExtras(contracts=len(loaded), forecast_runs=runs)
