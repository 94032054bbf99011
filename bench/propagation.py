"""Joint-punishment propagation on seed data topped up to 1% of enterprises black-listed: a full
run from nothing, a second run that changes nothing, and incremental runs for one new entry.

Baseline in the same run: the same walk fed one entry at a time (one store round trip per hop
per entry, no batching across entries), on a sample, scaled to all entries; it is compared with
the reading-and-walk phase of the full run (writing is reported apart)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from creditgraph.graph.store import GraphStore
from creditgraph.propagation.engine import compute
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import _entries, propagate
from creditgraph.queries.library import run as run_query

AS_OF = dt.date(2026, 11, 1)
LISTED_SHARE = 0.01
TYPES = ("失信被执行人", "严重违法失信企业", "重大税收违法", "安全生产")


def top_up(store: GraphStore, enterprises: int) -> int:
    """Add black entries on random firms until 1% of enterprises have one in force."""
    active = len(run_query(store, "list-entries-all", kind="black", as_of=AS_OF))
    wanted = int(enterprises * LISTED_SHARE) - active
    if wanted <= 0:
        return 0
    firms = [r["key"] for r in store.read("MATCH (e:Enterprise) RETURN e.uscc AS key")]
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    chosen = rng.sample(firms, wanted)
    store.merge_nodes("ListEntry", [
        {"entry_id": f"BENCH-B-{i:07d}", "list_kind": "black", "list_type": TYPES[i % 4],
         "authority": "基准测试", "start_date": dt.date(2025, 1, 1), "status": "active",
         "source": "bench", "updated_at": now} for i in range(wanted)])
    store.merge_relationships("LISTED", "ListEntry", "Enterprise", [
        {"src_key": f"BENCH-B-{i:07d}", "dst_key": key} for i, key in enumerate(chosen)])
    return wanted


def clear_sanctions(store: GraphStore, batch: int = 20_000) -> None:
    """Every Sanction gone, a batch a transaction: a kept city store holds hundreds of
    thousands from its last run, more than one transaction may hold in Neo4j's memory."""
    while store.write("MATCH (s:Sanction) WITH s LIMIT $batch DETACH DELETE s "
                      "RETURN count(*) AS gone", {"batch": batch})[0]["gone"]:
        pass


def run(store: GraphStore, enterprises: int, reuse: bool, samples: int = 20) -> list[dict]:
    from bench.queries import loaded_already, prepare

    store.init_schema()  # a reused store gains the indexes the incremental path needs
    have = store.node_counts().get("Enterprise", 0)
    load_seconds = None
    if not reuse or not loaded_already(have, enterprises):
        load_seconds = prepare(store, enterprises)
    added = top_up(store, enterprises)
    clear_sanctions(store)
    rules = load_rules()

    black = _entries(run_query(store, "list-entries-all", kind="black", as_of=AS_OF), "black")
    size = 200 if store.backend == "neo4j" else 40  # the embedded walk is slow one at a time
    sample = random.Random(3).sample(black, min(size, len(black)))
    start = time.perf_counter()
    for entry in sample:
        compute(store, rules, [entry], [], AS_OF, {entry.node: entry.name})
    per_entry = (time.perf_counter() - start) / len(sample)
    baseline = per_entry * len(black)

    start = time.perf_counter()
    full = propagate(store, rules, AS_OF)
    full_seconds = time.perf_counter() - start
    start = time.perf_counter()
    again = propagate(store, rules, AS_OF)
    again_seconds = time.perf_counter() - start

    # a one-entry load runs in its own process (`creditgraph load`): the store as it opens
    # there, not as this one left it after the seed load (graph/backends/embedded_store.py)
    store.reopen()
    firms = [r["key"] for r in store.read(
        "MATCH (p:Person)-[:LEGAL_REP_OF]->(e:Enterprise) RETURN e.uscc AS key LIMIT 5000")]
    rng = random.Random(11)
    increments = []
    for i in range(samples + 2):
        since = dt.datetime.now(dt.UTC)
        entry_id = f"BENCH-INC-{time.time_ns()}"
        store.merge_nodes("ListEntry", [{
            "entry_id": entry_id, "list_kind": "black", "list_type": "失信被执行人",
            "authority": "基准测试", "start_date": dt.date(2026, 1, 1), "status": "active",
            "source": "bench", "updated_at": dt.datetime.now(dt.UTC)}])
        store.merge_relationships("LISTED", "ListEntry", "Enterprise",
                                  [{"src_key": entry_id, "dst_key": rng.choice(firms)}])
        start = time.perf_counter()
        report = propagate(store, rules, AS_OF, changed_since=since)
        if i >= 2:  # the first two warm the plans
            increments.append(time.perf_counter() - start)
        assert report.created >= 6, report  # the unit's own measures at least
    p95 = statistics.quantiles(increments, n=20)[-1]
    rows = []
    if load_seconds is not None:
        rows.append({"what": f"load {enterprises:,} enterprises (seed data)", "value":
                     load_seconds, "unit": "s", "ratio": None})
    rows += [
        {"what": f"baseline: the walk one entry at a time, {len(sample)} sampled, scaled to "
                 f"{len(black):,} entries", "value": baseline, "unit": "s", "ratio": 1.0},
        {"what": f"full propagation: {len(black):,} entries ({added:,} added to reach 1%) → "
                 f"{full.sanctions:,} sanctions on {full.subjects:,} subjects",
         "value": full_seconds, "unit": "s", "ratio": None},
        {"what": "  of which reading and the walk, all entries level by level",
         "value": full.compute_seconds, "unit": "s", "ratio": baseline / full.compute_seconds},
        {"what": "  of which writing the sanctions and their relations",
         "value": full.write_seconds, "unit": "s", "ratio": None},
        {"what": "second run, nothing changed (0 written)", "value": again_seconds, "unit": "s",
         "ratio": None},
        {"what": f"incremental, one new entry, median of {samples}",
         "value": statistics.median(increments) * 1000, "unit": "ms", "ratio": None},
        {"what": f"incremental, one new entry, p95 of {samples}", "value": p95 * 1000,
         "unit": "ms", "ratio": None},
    ]
    assert again.created == again.updated == again.removed == 0
    for row in rows:
        row["backend"] = store.backend
    return rows
