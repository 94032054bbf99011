"""City scale (Hangzhou: about two million market subjects), measured end to end on Neo4j:
seed N enterprises with their persons and relations, the offline first load
(``export-neo4j-import``, then ``neo4j-admin database import full``), the server started on it,
then the figures of the query, propagation and dashboard benches, risk rank, store size and
memory. ``make bench SCALE=city`` (``python -m bench.run --only city``); about an hour and
14 GB of memory at 2,000,000 on two cores, most of it the build: ``--city-keep DIR`` keeps the
imported store, ``--city-store DIR`` measures a kept one again without rebuilding it.

Baselines: the key look-up of the query bench (in the same run), the seed generator's rows a
second for the load figures."""

from __future__ import annotations

import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import dashboard, propagation, queries
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.queries.risk import risk_rank
from creditgraph.seed.generator import generate

SECRET = queries.SECRET


def _size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _peak_rss_mib(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(enterprises: int, heap: str = "4g", pagecache: str = "6g", keep: Path | None = None,
        store: Path | None = None) -> list[dict]:
    """Build (seed, export, import) and measure; ``store``: measure a Neo4j home an earlier
    run kept (``keep``: where to keep this run's home, which the ``store`` of a later one
    names) instead of building one: the build alone is most of the hour."""
    rows: list[dict] = []

    def figure(what: str, value: float, unit: str, ratio: float | None = None) -> None:
        rows.append({"backend": "neo4j", "what": what, "value": value, "unit": unit,
                     "ratio": ratio})
        print(f"city · {what}: {value:,.2f} {unit}", flush=True)

    if store is not None and keep is not None:
        raise ValueError("--city-keep keeps a store this run builds; --city-store builds none")
    if keep is not None and keep.exists():
        raise ValueError(f"{keep} exists: --city-keep names a new folder")
    home = store if store is not None else _build(enterprises, figure)
    try:
        _measure(home, enterprises, heap, pagecache, figure)
    finally:
        if store is None and keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(home), str(keep))
            print(f"city · the imported store is kept in {keep} (--city-store {keep})")
        elif store is None:
            shutil.rmtree(home, ignore_errors=True)
    return rows


def _build(enterprises: int, figure) -> Path:  # type: ignore[no-untyped-def]
    """Seed, check and resolve every row (``export-neo4j-import``), ``neo4j-admin import``:
    the new Neo4j home."""
    from tests.neo4j_server import launcher

    root = Path(tempfile.mkdtemp(prefix="creditgraph-city-"))
    try:
        start = time.perf_counter()
        generate(root / "seed", enterprises, seed=5, dirty_rate=0.0)
        seeded = time.perf_counter() - start
        input_rows = sum(max(sum(1 for _ in f.open(encoding="utf-8")) - 1, 0)
                         for f in (root / "seed").glob("*.csv"))
        figure(f"seed {enterprises:,} enterprises: {input_rows:,} input rows", seeded, "s")

        # the CLI in its own process, as an operator runs it: its peak memory is its own and
        # is given back before the server starts
        start = time.perf_counter()
        exported = subprocess.run(
            [str(Path(sys.executable).with_name("creditgraph")), "export-neo4j-import",
             str(root / "seed"), str(root / "import"), "--report-dir", str(root / "report"),
             "--format", "json"],
            env={**os.environ, "CREDITGRAPH_ID_KEY": SECRET.decode()}, capture_output=True,
            text=True, check=True)
        seconds = time.perf_counter() - start
        answer = json.loads(exported.stdout)
        shutil.rmtree(root / "seed")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        figure(f"export-neo4j-import: check and resolve every row ({answer['totals']['rejected']}"
               f" rejected), peak {peak:,.0f} MiB", seconds, "s",
               input_rows / seconds / (input_rows / seeded))
        start = time.perf_counter()
        arguments = (root / "import" / "import.sh").read_text(encoding="utf-8")
        home = launcher.import_database(root / "import", _import_arguments(arguments))
        imported = time.perf_counter() - start
        written = sum(answer["import_files"].values())
        figure(f"neo4j-admin import: {written:,} nodes and relationships", imported, "s")
        figure("store size on disk after import", _size_mib(home), "MiB")
        return home
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _measure(home: Path, enterprises: int, heap: str, pagecache: str,
             figure) -> None:  # type: ignore[no-untyped-def]
    """The server on ``home``: indexes, the query and propagation benches, risk rank, the
    dashboard's first render, the server's memory."""
    from tests.neo4j_server import launcher

    server = launcher.start(heap=heap, pagecache=pagecache, home=home)
    try:
        env = {**os.environ, **server.env(), "CREDITGRAPH_BACKEND": "neo4j"}
        settings = Settings.from_env(env)
        with open_store(settings) as store:
            start = time.perf_counter()
            store.init_schema()  # constraints and indexes, populated before it returns
            figure("creditgraph init: constraints and indexes (built unless the store has them)",
                   time.perf_counter() - start, "s")
            figure("store size on disk with indexes", _size_mib(home), "MiB")
            have = store.node_counts()["Enterprise"]
            if not queries.loaded_already(have, enterprises):  # never wiped and loaded here
                raise RuntimeError(f"{home} holds {have:,} enterprises, not the {enterprises:,} "
                                   "of the seed it should: build it again (no --city-store)")
            for row in queries.run(store, enterprises, reuse=True):
                figure(row["what"], row["value"], row["unit"], row["ratio"])
            for row in propagation.run(store, enterprises, reuse=True):
                figure(row["what"], row["value"], row["unit"], row["ratio"])
            start = time.perf_counter()
            top = risk_rank(store, top=20, max_hops=3)
            figure(f"risk-rank, top {len(top)} (PageRank in rustworkx, then linked parties "
                   "of the top)", time.perf_counter() - start, "s")
        os.environ.update({k: v for k, v in env.items()
                           if k.startswith(("NEO4J_", "CREDITGRAPH_BACKEND"))})
        os.environ["CREDITGRAPH_ID_KEY"] = SECRET.decode()
        figure("dashboard overview page, first render (caches empty)",
               dashboard.render("overview", repeat=1), "s")
        figure("Neo4j server peak resident memory", _peak_rss_mib(server.process.pid), "MiB")
    finally:
        launcher.stop(server, keep_home=True)


def _import_arguments(script: str) -> list[str]:
    """The arguments import.sh gives neo4j-admin (after the database name and its options)."""
    line = next(x for x in script.splitlines() if x.startswith("neo4j-admin "))
    return [a for a in shlex.split(line) if a.startswith("--") and a != "--overwrite-destination"]
