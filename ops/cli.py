"""The ``ccops`` command line.

Each domain adds its commands as a Typer sub-app (``ccops sla ...``, ``ccops staff ...``); this module
owns the top-level commands (``demo``, ``info``, ``dashboard``) and turns every :class:`CcopsError`
into a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ops.cli_common import DbOption, FormatOption, db_path
from ops.errors import CcopsError
from ops.output import Format, emit
from ops.store.importers.cli import register as _register_import

app = typer.Typer(
    name="ccops",
    help="Contact-center operations and SLA workbench.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# DbOption, FormatOption and db_path live in ops.cli_common (the domain CLIs use them and this
# module loads the domain CLIs); importing them from here keeps working.


@app.command()
def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 7,
    days: Annotated[int, typer.Option(help="Days of history.")] = 730,
    end: Annotated[
        str | None, typer.Option(help="Last day of history, YYYY-MM-DD (default: yesterday).")
    ] = None,
    scale: Annotated[float, typer.Option(help="Volume multiplier (5 gives ~10M contacts).")] = 1.0,
    force: Annotated[bool, typer.Option(help="Replace an existing database file.")] = False,
    forecasts: Annotated[
        bool, typer.Option(help="Also store forecast runs (8, 4, 2 weeks back and current).")
    ] = True,
) -> None:
    """Build the simulated demo center (two years, three centers, ~15 queues) into --db."""
    from ops.simulate import build_demo
    from ops.simulate.finish import finish_demo
    from ops.store import Store

    path = db_path(db)
    if path.exists():
        if not force:
            raise CcopsError(f"{path} already exists; pass --force to replace it.")
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    end_date = date.fromisoformat(end) if end else None
    t0 = time.perf_counter()
    with Store.open(path) as store:
        summary = build_demo(store, seed=seed, days=days, end=end_date, scale=scale, progress=True)
        sim_s = time.perf_counter() - t0
        typer.echo("Loading SLA contracts and storing forecast runs ...")
        extras = finish_demo(store, forecasts=forecasts)
    elapsed = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1e6 if path.exists() else 0.0
    typer.echo(
        f"Built {path}: {summary.contacts:,} contacts, {summary.agents} agents, "
        f"{summary.start} .. {summary.end} in {elapsed:.1f} s ({size_mb:.0f} MB): simulation "
        f"{sim_s:.1f} s, {extras.contracts} contracts, {len(extras.forecast_runs)} forecast runs."
    )


@app.command()
def info(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """Tables, row counts and date range per table."""
    from ops.store import Store

    with Store.open(db_path(db), read_only=True) as store:
        emit(store.table_summary(), format, title=str(db_path(db)))


@app.command()
def dashboard(
    db: DbOption = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
) -> None:
    """Start the Streamlit dashboard on --db."""
    path = db_path(db)
    if not path.exists():
        raise CcopsError(f"No database at {path}. Build one with `ccops demo --db {path}`.")
    # serve.py: the app of dashboard/app.py, with its caches warmed as the server starts
    app_py = Path(__file__).resolve().parent.parent / "dashboard" / "serve.py"
    env = dict(os.environ, CCOPS_DB_PATH=str(path.resolve()))
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_py),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    typer.echo(f"ccops dashboard on http://{address}:{port} (database {path})")
    serve(cmd, env)


def serve(cmd: list[str], env: dict[str, str]) -> None:
    """Run the server command ``cmd`` with ``env`` *as* this process (POSIX ``exec``).

    A process manager or a test harness stops ``ccops dashboard`` by signalling the pid it
    started. Run as a child, the server outlived a SIGTERM to that pid and kept its port; after
    ``exec`` that pid is Streamlit itself, whose own SIGTERM/SIGINT handler stops the server, and
    its exit code is the command's. Elsewhere (Windows has no ``exec``) the server runs as a child.
    """
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(cmd[0], cmd, env)  # does not return
    raise typer.Exit(subprocess.call(cmd, env=env))


_register_import(app)


def _register_subcommands() -> None:
    """Attach each domain's sub-app. Listed here so `ccops --help` shows them all."""
    import importlib

    for module, name in _SUBAPPS:
        mod = importlib.import_module(module)
        app.add_typer(mod.app, name=name)


# (module, command name): each module defines a Typer `app`.
_SUBAPPS: list[tuple[str, str]] = [
    ("ops.qa.cli", "qa"),
    ("ops.voc.cli", "voc"),
    ("ops.sla.cli", "sla"),
    ("ops.reports.cli", "report"),
    ("ops.staffing.cli", "staff"),
    ("ops.forecasting.cli", "forecast"),
]


def main() -> None:
    """Console entry point: run the app, print CcopsErrors as one line, exit 1."""
    _register_subcommands()
    try:
        # without standalone mode, click returns (not raises) the code of a `typer.Exit(n)`
        code = app(standalone_mode=False)
    except CcopsError as e:
        typer.secho(f"Error: {e}", err=True, fg=typer.colors.RED)
        sys.exit(1)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as e:
        # Usage errors (unknown command, bad option): Typer raises its bundled click's
        # ClickException, which is not `click.ClickException`, so recognise it by its interface.
        show, code = getattr(e, "show", None), getattr(e, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            sys.exit(code)
        raise
    if isinstance(code, int) and code != 0:
        sys.exit(code)


if __name__ == "__main__":
    main()
