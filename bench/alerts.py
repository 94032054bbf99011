"""Alert rules (alerts/): a full evaluation of every rule on seed data with W watched firms, the
raising of its hits into cases, and a second run that raises nothing (fingerprints), each rule
timed apart.

Baseline in the same run: one linked-party search (`query linked-dishonesty`, the watch rule's
work for one subject), median of 20 random firms; the near-black figure is compared with
W × that median (× baseline > 1: cheaper than asking W times)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from alerts import cases as case_store
from alerts.evaluate import Watched, evaluate
from alerts.rules import load_alert_rules
from graph import cypher
from graph.store import GraphStore
from queries.linked import linked_rows
from queries.subjects import Subject

AS_OF = dt.date(2026, 11, 1)


def run(store: GraphStore, enterprises: int, watches: int, reuse: bool) -> list[dict]:
    from bench.queries import prepare

    have = store.node_counts().get("Enterprise", 0) if reuse else 0
    if have < enterprises:
        prepare(store, enterprises)
    for label in ("Alert", "CaseEvent", "InvestigationCase", "Watch"):  # a run from nothing
        store.write(cypher.delete_label(store.schema, label))
    firms = [r["key"] for r in store.read("MATCH (e:Enterprise) RETURN e.uscc AS key")]
    rng = random.Random(11)
    watched = [Watched("Enterprise", key, "", None)
               for key in rng.sample(firms, min(watches, len(firms)))]
    one = []
    for key in rng.sample(firms, 20):
        start = time.perf_counter()
        linked_rows(store, Subject("Enterprise", key, ""), 2, AS_OF)
        one.append(time.perf_counter() - start)
    baseline = statistics.median(one)
    rules = load_alert_rules()
    rows, hits = [], []
    for rule in rules.rules:
        start = time.perf_counter()
        found = evaluate(store, rules, watched, AS_OF, only=[rule.name])
        seconds = time.perf_counter() - start
        hits += found
        ratio = baseline * len(watched) / seconds if rule.kind == "near_black" else None
        rows.append(_row(store, f"rule {rule.name}: {len(found):,} hits (s)", seconds, ratio))
    start = time.perf_counter()
    first = case_store.record_hits(store, rules, hits, AS_OF)
    rows.append(_row(store, f"raise {first.new_alerts:,} alerts into {first.opened:,} cases (s)",
                     time.perf_counter() - start, None))
    start = time.perf_counter()
    again = case_store.record_hits(store, rules, hits, AS_OF)
    assert again.new_alerts == 0
    rows.append(_row(store, f"second run, {again.unchanged:,} unchanged (s)",
                     time.perf_counter() - start, None))
    rows.append(_row(store, f"baseline: one linked-party search, median of 20 (ms), "
                            f"{len(watched):,} watched", baseline * 1000, None))
    return rows


def _row(store: GraphStore, what: str, value: float, ratio: float | None) -> dict:
    return {"backend": store.backend, "what": what, "value": value, "ratio": ratio}
