"""Commands about the store itself: init, status, wipe, unlock; starting the dashboard; where
the bundled sample data lives."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from creditgraph.cli.app import FormatOption, app, handles_errors, open_from, settings_of
from creditgraph.cli.output import OutputFormat, console, fail, print_json, print_rows
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import child_environment
from creditgraph.graph.write_lock import force_unlock


@app.command()
@handles_errors
def init(ctx: typer.Context) -> None:
    """Create the constraints, indexes (Neo4j) or tables (embedded) from graph/schema.yaml.
    Safe to run again."""
    with open_from(ctx) as store:
        statements = store.init_schema()
        console.print(
            f"schema ready on {store.backend} at {store.location()} "
            f"({len(statements)} idempotent statements)"
        )


@app.command()
@handles_errors
def status(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Backend, engine version, and node / relationship counts by label and type."""
    with open_from(ctx, read_only=True) as store:
        report = store.status()
    if fmt is OutputFormat.json:
        print_json(report.as_dict())
        return
    rows = [{"kind": "node", "name": k, "count": v} for k, v in report.nodes.items()] + [
        {"kind": "relationship", "name": k, "count": v} for k, v in report.relationships.items()
    ]
    if fmt is OutputFormat.table:
        console.print(f"backend: {report.backend}  ·  {report.version}  ·  {report.location}")
    print_rows(rows, ["kind", "name", "count"], fmt, title="图谱统计 graph counts")


@app.command()
@handles_errors
def wipe(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="confirm: delete every node and relationship")]
    = False,
) -> None:
    """Empty the store (every node and relationship; the schema stays). Needs --yes."""
    if not yes:
        fail("wipe deletes every node and relationship; run again with --yes to confirm")
        raise typer.Exit(2)
    with open_from(ctx) as store:
        store.wipe()
        console.print(f"wiped {store.backend} store at {store.location()}")


@app.command()
@handles_errors
def dashboard(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="port to serve on")] = 8501,
    address: Annotated[str, typer.Option(help="address to listen on")] = "localhost",
) -> None:
    """Start the investigation dashboard (Streamlit) on http://ADDRESS:PORT.

    This process becomes Streamlit (exec), so SIGTERM or Ctrl-C to it stops the server and
    frees the port. The store, users, audit log and key file paths are handed on as absolute
    paths (relative ones are taken from the current directory)."""
    settings = settings_of(ctx)
    env = {**os.environ, **child_environment(settings)}
    command = [sys.executable, "-m", "streamlit", "run", str(dashboard_app_file()),
               "--server.port", str(port), "--server.address", address,
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    console.print(f"dashboard on http://{address}:{port} ({settings.backend} backend)")
    sys.stdout.flush()
    sys.stderr.flush()
    # exec, not a child process: a supervisor's signal reaches Streamlit itself, and no
    # orphaned server is left holding the port when this process is stopped.
    os.execve(sys.executable, command, env)


def dashboard_app_file() -> Path:
    """The Streamlit entry point of the installed ``creditgraph.dashboard`` (checkout or wheel)."""
    spec = importlib.util.find_spec("creditgraph.dashboard")
    if spec is None or spec.origin is None:
        raise CreditGraphError("the dashboard package is not installed")
    app_file = Path(spec.origin).resolve().parent / "app.py"
    if not app_file.is_file():
        raise CreditGraphError(f"the dashboard app is missing: {app_file}")
    return app_file


@app.command("sample-path")
@handles_errors
def sample_path() -> None:
    """Print the directory of the small sample data set shipped with CreditGraph (12 CSV files:
    enterprises, persons, relations, list entries, …), for example:
    creditgraph load "$(creditgraph sample-path)"."""
    print(bundled_sample())


def bundled_sample() -> Path:
    """seed/sample inside the installed ``seed`` package (checkout or wheel)."""
    spec = importlib.util.find_spec("creditgraph.seed")
    if spec is None or spec.origin is None:
        raise CreditGraphError("the seed package is not installed")
    sample = Path(spec.origin).resolve().parent / "sample"
    if not any(sample.glob("*.csv")):
        raise CreditGraphError(f"the bundled sample is missing: {sample}")
    return sample


@app.command()
@handles_errors
def unlock(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="confirm: no load or propagation is "
                                                    "running anywhere")] = False,
) -> None:
    """Release the graph's write lock left by a load or propagation that died on another
    machine (one that died on this machine is recognised by itself)."""
    if not yes:
        raise CreditGraphError("unlock releases the write lock even if its holder is alive; "
                               "add --yes once you are sure no load or propagation is running")
    with open_from(ctx) as store:
        force_unlock(store)
    console.print("write lock released")
