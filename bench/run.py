"""``make bench``: every benchmark on both backends, in one run, with a printed report.

    python -m bench.run [--scale N] [--baseline-rows N] [--backend embedded|neo4j|both]

Neo4j is the private server from tests/neo4j_server unless NEO4J_URI is set. Results are also
written to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import store_writes
from graph.settings import Settings
from graph.store import open_store

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20_000, help="nodes per label")
    parser.add_argument("--baseline-rows", type=int, default=1_000,
                        help="rows written one by one for the per-row baseline")
    parser.add_argument("--backend", choices=["embedded", "neo4j", "both"], default="both")
    args = parser.parse_args()
    console = Console()
    figures = []
    with ExitStack() as stack:
        backends = ["embedded", "neo4j"] if args.backend == "both" else [args.backend]
        for backend in backends:
            if backend == "neo4j":
                env = dict(os.environ)
                if not env.get("NEO4J_URI"):
                    from tests.neo4j_server import launcher

                    server = stack.enter_context(launcher.running(heap="2g", pagecache="1g"))
                    env.update(server.env())
                settings = Settings.from_env({**env, "CREDITGRAPH_BACKEND": "neo4j"})
            else:
                directory = stack.enter_context(tempfile.TemporaryDirectory())
                settings = Settings(store_path=Path(directory) / "store")
            with open_store(settings) as store:
                console.print(f"[bold]{backend}[/]: {store.version()}")
                figures += store_writes.run(store, args.scale, args.baseline_rows)

    table = Table(title=f"store writes · scale {args.scale:,} nodes per label, "
                        f"{3 * args.scale:,} relationships · {os.cpu_count()} cores")
    for column in ("backend", "what", "rows", "seconds", "rows/s", "× baseline"):
        table.add_column(column, justify="right" if column != "what" else "left")
    baselines: dict[tuple[str, str], float] = {}
    for f in figures:
        kind = f.what.split(",")[0]
        if "baseline" in f.what:
            baselines[(f.backend, kind)] = f.rate
        ratio = f.rate / baselines[(f.backend, kind)] if (f.backend, kind) in baselines else None
        table.add_row(f.backend, f.what, f"{f.rows:,}", f"{f.seconds:.2f}", f"{f.rate:,.0f}",
                      "1.0" if "baseline" in f.what else f"{ratio:.1f}" if ratio else "")
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"store_writes-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "scale": args.scale, "baseline_rows": args.baseline_rows,
        "figures": [f.__dict__ | {"rate": f.rate} for f in figures],
    }, indent=2, ensure_ascii=False))
    console.print(f"written {out}")


if __name__ == "__main__":
    main()
