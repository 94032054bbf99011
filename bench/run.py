"""``make bench``: the benchmarks on both backends in one run, each against a baseline measured
in the same run, with a printed report.

    python -m bench.run [--only store_writes|loads|seed|algorithms|queries|propagation|
                                alerts|dashboard|api|city] [--city-enterprises N]
                        [--city-keep DIR | --city-store DIR]
                        [--scale N] [--enterprises N] [--baseline-rows N] [--reuse]
                        [--backend embedded|neo4j|both]

Neo4j is the private server from tests/neo4j_server unless NEO4J_URI is set. Results are also
written to bench/results/ as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import (
    alerts,
    algorithms,
    api,
    city,
    dashboard,
    loads,
    propagation,
    queries,
    seed_gen,
    store_writes,
)
from creditgraph.access import audit
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store

RESULTS = Path(__file__).resolve().parent / "results"
console = Console(width=120)


@contextmanager
def stores(backends: list[str], stack: ExitStack) -> Iterator[list[GraphStore]]:
    opened = []
    for backend in backends:
        if backend == "neo4j":
            env = dict(os.environ)
            if not env.get("NEO4J_URI"):
                from tests.neo4j_server import launcher

                server = stack.enter_context(launcher.running(heap="3g", pagecache="2g"))
                env.update(server.env())
            settings = Settings.from_env({**env, "CREDITGRAPH_BACKEND": "neo4j"})
        else:
            directory = stack.enter_context(tempfile.TemporaryDirectory())
            settings = Settings.from_env().with_overrides(backend="embedded",
                                                          store_path=Path(directory) / "store")
        opened.append(stack.enter_context(open_store(settings)))
    yield opened


def bench_store_writes(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    figures = store_writes.run(store, args.scale, args.baseline_rows)
    rows, baselines = [], {}
    for f in figures:
        kind = f.what.split(",")[0]
        if "baseline" in f.what:
            baselines[kind] = f.rate
        rows.append({"backend": f.backend, "what": f.what, "rows": f.rows,
                     "seconds": f.seconds, "rate": f.rate,
                     "ratio": f.rate / baselines[kind] if kind in baselines else None})
    return rows


def bench_loads(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    directory = Path(tempfile.mkdtemp(prefix="creditgraph-bench-"))
    try:
        loads.write_inputs(directory / "input", args.enterprises)
        loads.write_inputs(directory / "warm-up", max(args.enterprises // 20, 1000))
        timings, baseline, writes, bulk = loads.run(store, directory / "input",
                                                    directory / "report", args.baseline_rows,
                                                    directory / "warm-up")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    rows = [{"backend": store.backend, "what": "relations, per-row MERGE (baseline)",
             "rows": args.baseline_rows, "seconds": args.baseline_rows / baseline,
             "rate": baseline, "ratio": 1.0}]
    for timing in timings:
        rate = timing.rows / timing.seconds
        rows.append({"backend": store.backend, "what": f"load {timing.name} end to end",
                     "rows": timing.rows, "seconds": timing.seconds, "rate": rate,
                     "ratio": rate / baseline if timing.name == "relations.csv" else None})
    rows_all = sum(t.rows for t in timings)
    seconds_all = sum(t.seconds for t in timings)
    rows.append({"backend": store.backend, "what": "first load, all files end to end, batch by "
                 "batch (baseline of the bulk path)", "rows": rows_all, "seconds": seconds_all,
                 "rate": rows_all / seconds_all, "ratio": 1.0})
    if bulk is not None:
        rows.append({"backend": store.backend, "what": "first load, all files end to end, bulk "
                     "path (COPY FROM, one transaction)", "rows": bulk.rows,
                     "seconds": bulk.seconds, "rate": bulk.rows / bulk.seconds,
                     "ratio": bulk.rows / bulk.seconds / (rows_all / seconds_all)})
    if store.backend == "neo4j":
        exported, imported, relationships = loads.offline(store, directory / "input",
                                                          directory / "import")
        total = exported + imported
        rows.append({"backend": "neo4j-admin", "what": "offline first load: export-neo4j-import "
                     f"{exported:.0f} s + neo4j-admin import {imported:.0f} s (relationships)",
                     "rows": relationships, "seconds": total, "rate": relationships / total,
                     "ratio": relationships / total / baseline})
    rate = writes.rows / writes.seconds
    rows.append({"backend": store.backend,
                 "what": "relationship rows written into the store (write phase, all files)",
                 "rows": writes.rows, "seconds": writes.seconds, "rate": rate,
                 "ratio": rate / baseline})
    return rows


def bench_seed(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    if store.backend != "embedded":  # the generator touches no store: run it once
        return []
    rows = []
    for enterprises in args.seed_scales:
        figure = seed_gen.run(enterprises)
        rows.append({"backend": "-", "what": f"seed {enterprises:,} enterprises "
                     f"(peak {figure['peak_mib']:,.0f} MiB; baseline: plain csv rows)",
                     "rows": figure["rows"], "seconds": figure["seconds"],
                     "rate": figure["rows"] / figure["seconds"],
                     "ratio": figure["seconds"] / figure["floor_seconds"]})
    return rows


def bench_algorithms(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    if store.backend != "embedded":  # in memory, no store: run it once
        return []
    return [{"backend": "-", "what": r["what"], "rows": 0, "seconds": r["seconds"], "rate": 0.0,
             "ratio": r["ratio"]} for r in algorithms.run(args.algorithm_scales)]


def bench_queries(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    size = args.query_enterprises_neo4j if store.backend == "neo4j" else args.query_enterprises
    return [{"backend": r["backend"], "what": f"{r['what']} ({r['unit']})", "rows": size,
             "seconds": r["value"], "rate": 0.0, "ratio": r["ratio"]}
            for r in queries.run(store, size, reuse=args.reuse)]


def bench_propagation(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    size = args.query_enterprises_neo4j if store.backend == "neo4j" else args.query_enterprises
    return [{"backend": r["backend"], "what": f"{r['what']} ({r['unit']})", "rows": size,
             "seconds": r["value"], "rate": 0.0, "ratio": r["ratio"]}
            for r in propagation.run(store, size, args.reuse)]


def bench_dashboard(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    if store.backend != "embedded":  # the demo runs on the embedded store
        return []
    return [{"backend": r["backend"], "what": f"{r['what']} (s)", "rows": 2000,
             "seconds": r["value"], "rate": 0.0, "ratio": r["ratio"]}
            for r in dashboard.run()]


def bench_api(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    """Last of all: on the embedded store it hands the store over to the server's workers."""
    size = args.query_enterprises_neo4j if store.backend == "neo4j" else args.query_enterprises
    return [{"backend": r["backend"], "what": f"{r['what']} ({r['unit']})", "rows": size,
             "seconds": r["value"], "rate": 0.0, "ratio": r["ratio"]}
            for r in api.run(store, size, reuse=True, workers=args.api_workers)]


def bench_alerts(store: GraphStore, args: argparse.Namespace) -> list[dict]:
    size = args.query_enterprises_neo4j if store.backend == "neo4j" else args.query_enterprises
    return [{"backend": r["backend"], "what": r["what"], "rows": size, "seconds": r["value"],
             "rate": 0.0, "ratio": r["ratio"]}
            for r in alerts.run(store, size, args.watches, args.reuse)]


def bench_city(args: argparse.Namespace) -> list[dict]:
    """Not in a plain ``make bench``: about an hour (``make bench SCALE=city``)."""
    return [{"backend": r["backend"], "what": f"{r['what']} ({r['unit']})",
             "rows": args.city_enterprises, "seconds": r["value"], "rate": 0.0,
             "ratio": r["ratio"]} for r in city.run(args.city_enterprises, keep=args.city_keep,
                                                    store=args.city_store)]


BENCHMARKS = {"store_writes": bench_store_writes, "loads": bench_loads, "seed": bench_seed,
              "algorithms": bench_algorithms,
              "queries": bench_queries, "propagation": bench_propagation,
              "alerts": bench_alerts, "dashboard": bench_dashboard, "api": bench_api}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted([*BENCHMARKS, "city"]), action="append")
    parser.add_argument("--city-enterprises", type=int, default=2_000_000,
                        help="city: enterprises seeded and loaded into Neo4j")
    parser.add_argument("--city-keep", type=Path, default=None,
                        help="city: keep the imported Neo4j home here for a later --city-store")
    parser.add_argument("--city-store", type=Path, default=None,
                        help="city: measure the Neo4j home an earlier run kept (--city-keep) "
                             "instead of seeding, exporting and importing again")
    parser.add_argument("--scale", type=int, default=20_000,
                        help="store_writes: nodes per label (relationships: 3×)")
    parser.add_argument("--enterprises", type=int, default=100_000,
                        help="loads: enterprises (relations: 3×, persons: ½×)")
    parser.add_argument("--baseline-rows", type=int, default=1_000,
                        help="rows written one by one for the per-row baselines")
    parser.add_argument("--seed-scales", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="seed: enterprise counts to generate")
    parser.add_argument("--algorithm-scales", type=int, nargs="+", default=[100_000, 2_000_000],
                        help="algorithms: enterprise counts of the in-memory control graph")
    parser.add_argument("--query-enterprises", type=int, default=100_000,
                        help="queries: seed size on the embedded backend")
    parser.add_argument("--query-enterprises-neo4j", type=int, default=1_000_000,
                        help="queries: seed size on Neo4j")
    parser.add_argument("--watches", type=int, default=10_000,
                        help="alerts: watched firms")
    parser.add_argument("--api-workers", type=int, default=2,
                        help="api: uvicorn worker processes")
    parser.add_argument("--backend", choices=["embedded", "neo4j", "both"], default="both")
    parser.add_argument("--reuse", action="store_true",
                        help="queries, propagation: keep the data already loaded if large enough "
                             "(with NEO4J_URI pointing at a server the queries bench filled)")
    args = parser.parse_args()
    if not os.environ.get("CREDITGRAPH_AUDIT_KEY"):  # a throw-away audit log for this run
        os.environ["CREDITGRAPH_AUDIT_KEY"] = secrets.token_hex(32)
        os.environ["CREDITGRAPH_AUDIT_LOG"] = str(Path(tempfile.mkdtemp()) / "audit.log")
        audit.init()
    chosen = args.only or list(BENCHMARKS)
    backends = ["embedded", "neo4j"] if args.backend == "both" else [args.backend]
    results: dict[str, list[dict]] = {}
    if "city" in chosen:  # starts its own server on the imported store
        results["city"] = bench_city(args)
        chosen = [name for name in chosen if name != "city"]
        backends = backends if chosen else []
    with ExitStack() as stack, stores(backends, stack) as opened:
        for store in opened:
            console.print(f"[bold]{store.backend}[/]: {store.version()}")
            for name in chosen:
                rows = BENCHMARKS[name](store, args)
                results.setdefault(name, []).extend(rows)
                for row in rows:  # as soon as measured: a later failure loses nothing
                    console.print(f"{name} · {row['backend']} · {row['what']}: "
                                  f"{row['seconds']:.2f} (× baseline "
                                  f"{row['ratio'] if row['ratio'] is not None else '-'})")
    for name, rows in results.items():
        scale = {"store_writes": f"{args.scale:,} nodes per label",
                 "loads": f"{args.enterprises:,} enterprises, {3 * args.enterprises:,} relations",
                 "seed": "× baseline = generator time ÷ time to write as many plain csv rows",
                 "algorithms": "× baseline = speed-up over networkx in the same run",
                 "queries": "rows = enterprises; 'seconds' column holds the value in the "
                            "unit named",
                 "propagation": "rows = enterprises; 'seconds' column holds the value in the "
                                "unit named; × baseline = speed-up",
                 "alerts": "rows = enterprises; 'seconds' column holds the value in the unit "
                           "named; × baseline = W linked-party searches ÷ the near-black rule",
                 "dashboard": "demo data, AppTest, caches emptied; × baseline = times a "
                              "one-line page",
                 "city": "rows = enterprises; 'seconds' column holds the value in the unit "
                         "named; Neo4j loaded offline",
                 "api": "rows = enterprises; 'seconds' column holds the value in the unit "
                        "named; × baseline = against GET /healthz at the same concurrency"}[name]
        table = Table(title=f"{name} · {scale} · {os.cpu_count()} cores")
        for column in ("backend", "what", "rows", "seconds", "rows/s", "× baseline"):
            table.add_column(column, justify="left" if column == "what" else "right")
        for row in rows:
            table.add_row(row["backend"], row["what"], f"{row['rows']:,}", f"{row['seconds']:.2f}",
                          f"{row['rate']:,.0f}",
                          f"{row['ratio']:.1f}" if row["ratio"] is not None else "")
        console.print(table)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "arguments": vars(args), "results": results,
    }, indent=2, ensure_ascii=False, default=str))  # paths (--city-store) as text
    console.print(f"written {out}")


if __name__ == "__main__":
    main()
