"""``creditgraph``: the command line of CreditGraph 信用图谱."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from cli.output import OutputFormat, console, fail, print_json, print_rows
from graph.errors import CreditGraphError
from graph.settings import BACKENDS, Settings
from graph.store import GraphStore, open_store

app = typer.Typer(
    name="creditgraph",
    help="信用图谱 CreditGraph — graph-based credit relationship knowledge base for social-credit "
    "regulators. The embedded store is the default; --backend neo4j uses NEO4J_URI, NEO4J_USER, "
    "NEO4J_PASSWORD and NEO4J_DATABASE.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv for machines")
]


def handles_errors(command: F) -> F:
    """Errors a user can act on become one line on stderr and exit status 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CreditGraphError as exc:
            fail(str(exc))
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def options(
    ctx: typer.Context,
    backend: Annotated[
        str | None,
        typer.Option(
            help=f"graph backend: {' or '.join(BACKENDS)} "
            "(env CREDITGRAPH_BACKEND; default embedded)",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="embedded store directory (env CREDITGRAPH_STORE; default ./data/creditgraph)",
            show_default=False,
        ),
    ] = None,
) -> None:
    ctx.obj = {"backend": backend, "store": store}


def _settings(ctx: typer.Context) -> Settings:
    given = ctx.obj or {}
    return Settings.from_env().with_overrides(backend=given.get("backend"),
                                              store_path=given.get("store"))


def _open(ctx: typer.Context) -> GraphStore:
    return open_store(_settings(ctx))


@app.command()
@handles_errors
def init(ctx: typer.Context) -> None:
    """Create the constraints, indexes (Neo4j) or tables (embedded) from graph/schema.yaml.
    Safe to run again."""
    with _open(ctx) as store:
        statements = store.init_schema()
        console.print(
            f"schema ready on {store.backend} at {store.location()} "
            f"({len(statements)} idempotent statements)"
        )


@app.command()
@handles_errors
def status(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Backend, engine version, and node / relationship counts by label and type."""
    with _open(ctx) as store:
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
    with _open(ctx) as store:
        store.wipe()
        console.print(f"wiped {store.backend} store at {store.location()}")


@app.command()
@handles_errors
def dashboard(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="port to serve on")] = 8501,
    address: Annotated[str, typer.Option(help="address to listen on")] = "localhost",
) -> None:
    """Start the investigation dashboard (Streamlit) on http://ADDRESS:PORT."""
    settings = _settings(ctx)
    app_file = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    env = {**os.environ, "CREDITGRAPH_BACKEND": settings.backend,
           "CREDITGRAPH_STORE": str(Path(settings.store_path).absolute())}
    command = [sys.executable, "-m", "streamlit", "run", str(app_file),
               "--server.port", str(port), "--server.address", address,
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    console.print(f"dashboard on http://{address}:{port} ({settings.backend} backend)")
    raise typer.Exit(subprocess.call(command, env=env))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
