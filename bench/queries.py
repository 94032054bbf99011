"""Query latency on seed data: linked-dishonesty for one subject (3 hops, warm), the whole-graph
scan, ownership for one enterprise. Baseline in the same run: the round trip of the cheapest
query there is (one subject by key), so figures read as "so many key look-ups"."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from creditgraph.graph.store import GraphStore
from creditgraph.loaders.bulk import writer_for
from creditgraph.loaders.pipeline import LoadOptions, load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.queries.library import run as run_query
from creditgraph.queries.linked import (
    linked_dishonesty,
    linked_dishonesty_level_by_level,
    linked_dishonesty_scan,
)
from creditgraph.queries.ownership import ownership
from creditgraph.queries.subjects import Subject
from creditgraph.seed.generator import generate

SECRET = b"bench-secret-key-0123456789"
AS_OF = dt.date(2026, 11, 1)
STEPWISE_SAMPLES = 20  # the former search takes seconds a subject on the embedded store


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def loaded_already(have: int, enterprises: int) -> bool:
    """A store holding the seed of ``enterprises``: the generator's random codes collide now
    and then (a 2M seed loaded one firm fewer), and a store taken for too small is wiped."""
    return have >= enterprises * 0.999


def prepare(store: GraphStore, enterprises: int) -> float:
    """Seed and load; returns the load's seconds."""
    directory = Path(tempfile.mkdtemp(prefix="creditgraph-qbench-"))
    try:  # the seed is gone with the run (at 2M, gigabytes)
        generate(directory / "seed", enterprises, seed=5, dirty_rate=0.0)
        store.wipe()
        store.init_schema()
        start = time.perf_counter()
        load_directory(directory / "seed", writer_for(store), store.schema, load_spec(),
                       SECRET, directory / "report",
                       LoadOptions(batch_size=store.settings.batch_size))
        return time.perf_counter() - start
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run(store: GraphStore, enterprises: int, samples: int = 100, reuse: bool = False
        ) -> list[dict]:
    have = store.node_counts().get("Enterprise", 0) if reuse else 0
    load_seconds = None if loaded_already(have, enterprises) else prepare(store, enterprises)
    rng = random.Random(1)
    firms = [r["key"] for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key LIMIT $n", {"n": 200_000})]
    chosen = rng.sample(firms, min(samples, len(firms)))
    subjects = [Subject("Enterprise", key, "") for key in chosen]

    def timed(work, sample=subjects) -> list[float]:  # type: ignore[no-untyped-def]
        for subject in sample[:5]:  # warm-up: plans compiled, caches filled
            work(subject)
        out = []
        for subject in sample:
            start = time.perf_counter()
            work(subject)
            out.append(time.perf_counter() - start)
        return out

    lookups = timed(lambda s: run_query(store, "subject-enterprise", value=s.key))
    linked = timed(lambda s: linked_dishonesty(store, s, 3, AS_OF))
    # the same subjects again: what a server that has run a while answers (each first pass
    # above touches its subject's neighbourhood for the first time since the start or load)
    again = timed(lambda s: linked_dishonesty(store, s, 3, AS_OF))
    stepwise = timed(lambda s: linked_dishonesty_level_by_level(store, s, 3, AS_OF),
                     subjects[:STEPWISE_SAMPLES])
    owners = timed(lambda s: ownership(store, s, AS_OF))
    start = time.perf_counter()
    scan = linked_dishonesty_scan(store, 2, AS_OF)
    scan_seconds = time.perf_counter() - start
    base = statistics.median(lookups)
    rows = [] if load_seconds is None else [
        {"what": f"load {enterprises:,} enterprises (seed data)", "value": load_seconds,
         "unit": "s", "ratio": None}]
    rows += [
        {"what": "key look-up (baseline), median", "value": base * 1000, "unit": "ms",
         "ratio": 1.0},
        {"what": "linked-dishonesty, 3 hops, p95", "value": p95(linked) * 1000, "unit": "ms",
         "ratio": p95(linked) / base},
        {"what": "linked-dishonesty, 3 hops, median", "value": statistics.median(linked) * 1000,
         "unit": "ms", "ratio": statistics.median(linked) / base},
        {"what": "linked-dishonesty, 3 hops, p95, the same subjects again",
         "value": p95(again) * 1000, "unit": "ms", "ratio": p95(again) / base},
        {"what": f"linked-dishonesty, 3 hops, level by level (the former search, "
                 f"{len(stepwise)} subjects), p95", "value": p95(stepwise) * 1000, "unit": "ms",
         "ratio": p95(stepwise) / base},
        {"what": "ownership, p95", "value": p95(owners) * 1000, "unit": "ms",
         "ratio": p95(owners) / base},
        {"what": f"linked-dishonesty-scan, 2 hops ({len(scan):,} subjects found)",
         "value": scan_seconds, "unit": "s", "ratio": scan_seconds / base},
    ]
    for row in rows:
        row["backend"] = store.backend
    return rows
