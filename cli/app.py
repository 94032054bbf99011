"""The typer application, its global options, and the helpers every command shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from creditgraph.cli.output import OutputFormat, fail
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import BACKENDS, Settings
from creditgraph.graph.store import GraphStore, open_store

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


def settings_of(ctx: typer.Context) -> Settings:
    given = ctx.obj or {}
    return Settings.from_env().with_overrides(backend=given.get("backend"),
                                              store_path=given.get("store"))


def open_from(ctx: typer.Context, read_only: bool = False) -> GraphStore:
    """``read_only`` for commands that only read: on the embedded store they run beside the
    API and the dashboard; a writer waits for them (graph/backends/access_lock.py)."""
    return open_store(settings_of(ctx), read_only=read_only)
