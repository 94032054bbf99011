"""``creditgraph serve``: the credit-check HTTP API (api/, docs/api.md) under uvicorn."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from creditgraph.access.api_keys import keys_file
from creditgraph.cli.app import app, handles_errors, settings_of
from creditgraph.cli.output import console
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import ApiSettings, child_environment


@app.command()
@handles_errors
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="port to serve on", min=1, max=65535)] = 8000,
    address: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    workers: Annotated[int, typer.Option(help="worker processes", min=1, max=64)] = 1,
) -> None:
    """Start the credit-check API on http://ADDRESS:PORT (OpenAPI at /openapi.json, docs at
    /docs). Callers need a key from `creditgraph api-keys add`.

    With one worker this process becomes uvicorn (exec); with more it supervises them, each
    listening on the port itself so that the kernel spreads connections (api/workers.py).
    Either way SIGTERM or Ctrl-C stops every worker and frees the port. Its access log is
    off: a URL may hold what callers must not send in one, and every call is in the audit log
    instead. Store, key, audit and check paths are handed on as absolute paths."""
    from creditgraph.api.app import create_app

    settings = settings_of(ctx)
    api = ApiSettings.from_env()  # a malformed setting stops here, in one line
    create_app(api)  # the purpose file must match the rule file
    settings.id_secret()  # no ID key: no key could be checked, so do not start
    if not keys_file().exists():
        raise CreditGraphError(f"no API key store at {keys_file()}: create a key with "
                               "`creditgraph api-keys add NAME --role viewer`")
    env = {**os.environ, **child_environment(settings, api.checks_dir)}
    if workers > 1:
        from creditgraph.api.workers import listening_sockets, serve_workers

        sockets = listening_sockets(address, port, workers)
    console.print(f"credit-check API on http://{address}:{port} ({settings.backend} backend, "
                  f"{workers} worker(s))")
    sys.stdout.flush()
    sys.stderr.flush()
    if workers > 1:  # one socket per worker, connections spread by the kernel (api/workers.py)
        os.environ.update(env)
        raise typer.Exit(serve_workers(sockets))
    command = [sys.executable, "-m", "uvicorn", "creditgraph.api.app:create_app", "--factory",
               "--host", address, "--port", str(port), "--no-access-log",
               "--timeout-graceful-shutdown", "10"]
    # exec, not a child process: a supervisor's signal reaches uvicorn itself, and no orphaned
    # server is left holding the port.
    os.execve(sys.executable, command, env)
