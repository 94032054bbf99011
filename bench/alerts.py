"""Alert rules (alerts/): a full evaluation of every rule on seed data with W watched firms, the
raising of its hits into cases, and a second run that raises nothing (fingerprints), each rule
timed apart; then new black-list entries written as a load writes them (entry and link, stamped
now) — 1,000 at a million enterprises, the same share at other scales (at least 20) — the
incremental propagation, and the incremental alert run on what changed (`alerts run --since`,
what `load` runs when it finishes).

Baselines in the same run: one linked-party search (`query linked-dishonesty`, the watch rule's
work for one subject), median of 20 random firms — the near-black figure is compared with W ×
that median (× baseline > 1: cheaper than asking W times); and the full evaluation, which the
incremental run is compared with."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from creditgraph.alerts import cases as case_store
from creditgraph.alerts.evaluate import Watched, evaluate
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.alerts.service import AlertRun, run_alerts
from creditgraph.graph import cypher
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries.linked import linked_rows
from creditgraph.queries.subjects import Subject

AS_OF = dt.date(2026, 11, 1)
NEW_ENTRIES = 1000  # the incremental load at a million enterprises: 1 in 1,000
WARM_LOADS = 10  # loads after the first, on cached plans (a query first read is asked packed
# from its second read, whose form is planned then): their median is reported


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
    now = dt.datetime.now(dt.UTC)
    store.merge_nodes("Watch", [{"watch_id": f"Enterprise:{w.key}", "subject_label": w.label,
                                 "subject_key": w.key, "owner": "bench", "created_at": now}
                                for w in watched])
    one = []
    for key in rng.sample(firms, 20):
        start = time.perf_counter()
        linked_rows(store, Subject("Enterprise", key, ""), 2, AS_OF)
        one.append(time.perf_counter() - start)
    baseline = statistics.median(one)
    rules = load_alert_rules()
    rows, hits = [], []
    full = 0.0
    for rule in rules.rules:
        start = time.perf_counter()
        found = evaluate(store, rules, watched, AS_OF, only=[rule.name]).hits
        seconds = time.perf_counter() - start
        full += seconds
        hits += found
        ratio = baseline * len(watched) / seconds if rule.kind == "near_black" else None
        rows.append(_row(store, f"rule {rule.name}: {len(found):,} hits (s)", seconds, ratio))
    rows.append(_row(store, "full evaluation, every rule (s) (baseline of the incremental "
                            "run)", full, 1.0))
    start = time.perf_counter()
    first = case_store.record_hits(store, rules, hits, AS_OF)
    rows.append(_row(store, f"raise {first.new_alerts:,} alerts into {first.opened:,} cases (s)",
                     time.perf_counter() - start, None))
    start = time.perf_counter()
    again = run_alerts(store, AS_OF)  # a complete run: evaluation, nothing new; recorded
    assert again.report.new_alerts == 0
    rows.append(_row(store, f"a complete run again (every rule evaluated, "
                            f"{again.report.unchanged:,} unchanged, nothing raised) (s)",
                     time.perf_counter() - start, None))
    rows.append(_row(store, f"baseline: one linked-party search, median of 20 (ms), "
                            f"{len(watched):,} watched", baseline * 1000, None))
    loads = 1 + WARM_LOADS
    # 1,000 at 1M: the same share at any scale (at least 20, while there are firms enough)
    new = min(max(NEW_ENTRIES * len(firms) // 1_000_000, 20), len(firms) // loads)
    chosen = rng.sample(firms, min(loads * new, len(firms)))
    first = _incremental(store, chosen[:new])
    rows += _rows(store, [first], new, full, "")
    # the engine plans each new query text once: the loads after the first meet cached
    # plans, as every load on a server that keeps running does; one load's time varies
    # with what else the machine does, so the median of several is reported, and the range
    warm = [_incremental(store, chosen[new * n:new * (n + 1)]) for n in range(1, loads)]
    rows += _rows(store, warm, new, full,
                  f", loads 2-{loads} (query plans cached), median of {WARM_LOADS}")
    return rows


def _incremental(store: GraphStore, firms: list[str]) -> tuple[float, float, AlertRun]:
    """New black entries on ``firms``, written as a load writes them: (seconds of the
    incremental propagation, seconds of the incremental alert run, the run)."""
    since = dt.datetime.now(dt.UTC)
    stamp = {"updated_at": since}
    store.merge_nodes("ListEntry", [{
        "entry_id": f"BENCH-B-{firm}", "list_kind": "black", "list_type": "失信被执行人",
        "authority": "杭州市中级人民法院", "start_date": dt.date(2026, 10, 1), "status": "active",
        **stamp} for firm in firms])
    store.merge_relationships("LISTED", "ListEntry", "Enterprise", [
        {"src_key": f"BENCH-B-{firm}", "dst_key": firm, **stamp} for firm in firms])
    start = time.perf_counter()
    moved = propagate(store, load_rules(), AS_OF, changed_since=since)
    propagated = time.perf_counter() - start
    start = time.perf_counter()
    done = run_alerts(store, AS_OF, since, moved.touched)
    return propagated, time.perf_counter() - start, done


def _rows(store: GraphStore, loads: list[tuple[float, float, AlertRun]], entries: int,
          full: float, which: str) -> list[dict]:
    """The median load's figures (and the range where there are several)."""
    by_time = sorted(loads, key=lambda load: load[1])
    _, seconds, done = by_time[len(by_time) // 2]
    spread = (f" (range {by_time[0][1]:.2f}-{by_time[-1][1]:.2f} s; in order "
              f"{', '.join(f'{load[1]:.2f}' for load in loads)})" if len(loads) > 1 else "")
    asked = ", ".join(f"{rule} {n:,}" for rule, n in done.asked.items())
    return [
        _row(store, f"incremental propagation after {entries:,} new black entries{which} (s)",
             statistics.median(p for p, _, _ in loads), None),
        _row(store, f"incremental alert run after them{which}{spread}: {done.changed:,} "
                    f"subjects changed, asked {asked}; {done.report.new_alerts:,} new alerts "
                    "(s)", seconds, full / seconds),
    ]


def _row(store: GraphStore, what: str, value: float, ratio: float | None) -> dict:
    return {"backend": store.backend, "what": what, "value": value, "ratio": ratio}
