"""``propagate``: read the entries in force, compute the sanctions, write back the difference.

Full: every black and red entry in force. Incremental (``changed_since``): the entries written
since then, and the entries in force near any subject or relation written since then — the only
ones whose sanctions can have changed — plus any stored sanction whose own term has ended.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field

from creditgraph.graph.gc_pause import collection_paused
from creditgraph.graph.store import GraphStore, Row
from creditgraph.graph.traversal import Listed, shortest_distances_from
from creditgraph.propagation import sync
from creditgraph.propagation.engine import ListedEntry, compute
from creditgraph.propagation.rules import RuleSet
from creditgraph.queries import subject_reads
from creditgraph.queries.library import run
from creditgraph.queries.linked import entries_in_force
from creditgraph.queries.network import node_id, split_id
from creditgraph.queries.subjects import Subject


@dataclass
class PropagationReport:
    mode: str  # full | incremental
    as_of: str
    rules: str
    entries: int = 0  # black entries recomputed
    red_entries: int = 0
    sanctions: int = 0  # sanctions derived from them
    subjects: int = 0  # subjects they restrict
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    compute_seconds: float = 0.0  # reading entries and neighbourhoods, walking the rules
    write_seconds: float = 0.0  # comparing with the stored sanctions and writing the difference
    by_measure: dict[str, int] = field(default_factory=dict)
    # subjects whose measures were written or removed ("Label:key"): what an alert run after
    # the propagation asks about (alerts/service.py); not part of the printed report
    touched: set[str] = field(default_factory=set)

    def as_dict(self) -> Row:
        return {k: v for k, v in asdict(self).items() if k != "touched"}


def propagate(store: GraphStore, rules: RuleSet, as_of: dt.date,
              changed_since: dt.datetime | None = None,
              progress: Callable[[int], None] | None = None) -> PropagationReport:
    """In full, or (``changed_since``) for what changed since then. An incremental run holds
    the cyclic collector off (graph/gc_pause.py): it is the one a load waits for, and its
    garbage is rows and measures, not cycles; a full run, long and large, leaves it on."""
    with collection_paused() if changed_since is not None else nullcontext():
        return _propagate(store, rules, as_of, changed_since, progress)


def _propagate(store: GraphStore, rules: RuleSet, as_of: dt.date,
               changed_since: dt.datetime | None,
               progress: Callable[[int], None] | None) -> PropagationReport:
    started = time.perf_counter()
    report = PropagationReport("incremental" if changed_since else "full", as_of.isoformat(),
                               str(rules.path))
    if changed_since is None:
        black = _entries(run(store, "list-entries-all", kind="black", as_of=as_of), "black")
        red = _entries(run(store, "list-entries-all", kind="red", as_of=as_of), "red")
        existing = sync.stored(store)
        scope = None
    else:
        scope, black, red = _changed_scope(store, rules, as_of, changed_since)
        existing = sync.stored(store, scope)
    names = {e.node: e.name for e in (*black, *red)}
    barred = _barred_outside(store, red, scope, as_of) if scope is not None else frozenset()
    desired = compute(store, rules, black, red, as_of, names, barred)
    if scope is not None:
        desired = [s for s in desired if s.entry_id in scope]
    computed = time.perf_counter()
    report.compute_seconds = round(computed - started, 3)
    counts = sync.apply(store, desired, existing, as_of, sync.expired(store, as_of), progress)
    report.entries, report.red_entries = len(black), len(red)
    report.sanctions, report.subjects = len(desired), len({s.subject_id for s in desired})
    report.created, report.updated = counts.created, counts.updated
    report.removed, report.unchanged = counts.removed, counts.unchanged
    report.touched = counts.subjects
    for s in desired:
        report.by_measure[s.measure] = report.by_measure.get(s.measure, 0) + 1
    report.by_measure = dict(sorted(report.by_measure.items()))
    report.seconds = round(time.perf_counter() - started, 3)
    report.write_seconds = round(time.perf_counter() - computed, 3)
    return report


def _entries(rows: Iterable[Row], kind: str) -> list[ListedEntry]:
    return [ListedEntry(row["entry_id"], node_id(row["label"], row["key"]), row.get("name") or "",
                        kind, row["list_type"], row["start_date"], row.get("end_date"))
            for row in rows]


def _changed_scope(store: GraphStore, rules: RuleSet, as_of: dt.date, since: dt.datetime
                   ) -> tuple[set[str], list[ListedEntry], list[ListedEntry]]:
    """The black entries to recompute (their ids, including those no longer in force, whose
    sanctions must go), the black entries in force among them, and the red entries in force
    near them.

    A changed black entry changes only what derives from it. A changed relation, or a changed
    red entry (whose withheld incentives derive from the black entries near it), changes what
    derives from every black entry within the rules' reach of it. The red entries near any of
    those, and the changed ones, are recomputed too: their granted incentives (whose entry is
    the red entry) come or go with the black entries near them."""
    changed = run(store, "changed-entries", since=since)
    scope = {row["entry_id"] for row in changed if row["list_kind"] == "black"}
    listed = {node_id(row["label"], row["key"]) for row in changed if row["list_kind"] == "black"}
    black = [e for e in _in_force(store, listed, "black", as_of) if e.entry_id in scope]
    touched = {node_id(row["label"], row["key"]) for row in changed if row["list_kind"] == "red"}
    for row in run(store, "changed-relations", since=since):
        touched.add(node_id(row["a_label"], row["a"]))
        touched.add(node_id(row["b_label"], row["b"]))
    if touched:
        near = _listed_within(store, touched, rules, as_of, "black")
        known = {e.entry_id for e in black}
        black += [e for e in _in_force(store, near, "black", as_of) if e.entry_id not in known]
        scope |= {e.entry_id for e in black}
    changed_red = {node_id(row["label"], row["key"]) for row in changed
                   if row["list_kind"] == "red"}
    causes = {e.node for e in black} | listed  # a black entry ended since frees its neighbours
    near_red = _listed_within(store, causes, rules, as_of, "red") if causes else set()
    red = _in_force(store, near_red | changed_red, "red", as_of)
    # their granted incentives are recomputed too (a changed red entry's own grant; a black
    # entry coming near a red-listed subject takes its grant away)
    scope |= {e.entry_id for e in red}
    scope |= {row["entry_id"] for row in changed if row["list_kind"] == "red"}
    return scope, black, red


def _barred_outside(store: GraphStore, red: list[ListedEntry], scope: set[str],
                    as_of: dt.date) -> frozenset[str]:
    """Red-listed subjects under a stored punishment or withheld incentive that an incremental
    run leaves as it is (its entry is outside the scope): no incentive may be granted them."""
    subjects = [Subject(*split_id(node), "") for node in sorted({e.node for e in red})]
    stored = subject_reads.sanctions(store, subjects, as_of)
    return frozenset(node for node, rows in stored.items()
                     if any(r["kind"] in ("punishment", "withheld")
                            and r["entry_id"] not in scope for r in rows))


def _listed_within(store: GraphStore, nodes: set[str], rules: RuleSet, as_of: dt.date,
                   kind: str) -> set[str]:
    """The nodes and every subject listed as ``kind`` within the rules' reach of them: one
    native search per thousand nodes (graph/traversal.py), not one query per hop."""
    found = shortest_distances_from(store, [split_id(n) for n in sorted(nodes)],
                                    rules.relation_types, rules.reach, as_of, Listed(kind))
    return nodes | {node_id(f.label, f.key) for parties in found.values() for f in parties}


def _in_force(store: GraphStore, nodes: Iterable[str], kind: str, as_of: dt.date
              ) -> list[ListedEntry]:
    found = entries_in_force(store, nodes, kind, as_of)
    return [entry for node in sorted(found) for entry in _entries(found[node], kind)]
