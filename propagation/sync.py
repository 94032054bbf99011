"""Write a recomputed set of sanctions back to the store: new and changed sanctions are written
in batches, sanctions that no longer follow are removed, unchanged ones are left alone — so a
second run with nothing changed writes nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from creditgraph.graph.store import GraphStore, Row
from creditgraph.propagation.engine import Sanction
from creditgraph.queries.library import cypher_file, run
from creditgraph.queries.network import split_id

DELETE_BATCH = 5000


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    subjects: set[str] = field(default_factory=set)  # whose measures were written or removed


def stored(store: GraphStore, entries: Iterable[str] | None = None) -> dict[str, str]:
    """sanction id -> fingerprint, of every stored sanction or those of some entries."""
    if entries is None:
        rows = run(store, "sanction-ids")
    else:
        listed = sorted(set(entries))
        rows = [row for start in range(0, len(listed), DELETE_BATCH)
                for row in run(store, "sanction-ids-of-entries",
                               entries=listed[start:start + DELETE_BATCH])]
    return {row["sanction_id"]: row["fingerprint"] for row in rows}


def expired(store: GraphStore, as_of: dt.date) -> set[str]:
    return {row["sanction_id"] for row in run(store, "sanction-expired", as_of=as_of)}


def apply(store: GraphStore, desired: list[Sanction], existing: dict[str, str],
          as_of: dt.date, also_remove: Iterable[str] = (),
          progress: Callable[[int], None] | None = None) -> SyncCounts:
    counts = SyncCounts()
    wanted = {s.sanction_id: s for s in desired}
    changed = [s for s in desired if s.sanction_id in existing
               and existing[s.sanction_id] != s.fingerprint]
    new = [s for s in desired if s.sanction_id not in existing]
    gone = sorted((set(existing) - set(wanted)) | (set(also_remove) - set(wanted)))
    counts.created, counts.updated, counts.removed = len(new), len(changed), len(gone)
    counts.unchanged = len(desired) - len(new) - len(changed)
    # A changed sanction is removed and written afresh: a merge would keep a property the
    # recomputation no longer sets (a term that ended, say).
    remove = gone + [s.sanction_id for s in changed]
    counts.subjects = {s.subject_id for s in (*new, *changed)}
    delete = cypher_file("sanction-delete", store.backend).text
    for start in range(0, len(remove), DELETE_BATCH):
        batch = remove[start:start + DELETE_BATCH]
        counts.subjects |= {row["subject_id"] for row in run(store, "sanction-subjects",
                                                              ids=batch)}
        store.write(delete, {"ids": batch})
    write(store, new + changed, as_of, progress)
    return counts


def write(store: GraphStore, sanctions: list[Sanction], as_of: dt.date,
          progress: Callable[[int], None] | None = None) -> None:
    if not sanctions:
        return
    now = dt.datetime.now(dt.UTC)
    # The fingerprint is written last: a run that dies before the relationships are in leaves
    # sanctions without one, which the next run sees as changed and writes again whole.
    store.merge_nodes("Sanction", (_node(s, as_of, now) for s in sanctions), progress=progress)
    by_label: dict[str, list[Row]] = defaultdict(list)
    for s in sanctions:
        label, key = split_id(s.subject_id)
        by_label[label].append({"src_key": s.sanction_id, "dst_key": key})
    for label, rows in sorted(by_label.items()):
        store.merge_relationships("APPLIES_TO", "Sanction", label, rows)
    store.merge_relationships("DERIVED_FROM", "Sanction", "ListEntry",
                              [{"src_key": s.sanction_id, "dst_key": s.entry_id}
                               for s in sanctions])
    finish = cypher_file("sanction-fingerprints", store.backend).text
    for start in range(0, len(sanctions), DELETE_BATCH):
        store.write(finish, {"rows": [{"id": s.sanction_id, "fingerprint": s.fingerprint}
                                      for s in sanctions[start:start + DELETE_BATCH]]})


def _node(s: Sanction, as_of: dt.date, now: dt.datetime) -> Row:
    return {
        "sanction_id": s.sanction_id, "kind": s.kind, "measure": s.measure,
        "subject_id": s.subject_id, "entry_id": s.entry_id, "rule": s.rule,
        "list_type": s.list_type, "departments": list(s.departments), "basis": s.basis,
        "hops": s.hops, "weight": s.weight, "valid_from": s.valid_from, "valid_to": s.valid_to,
        "path": list(s.path), "path_types": list(s.path_types), "path_text": s.path_text,
        "as_of": as_of, "computed_at": now,
        "source": "propagation", "updated_at": now,
    }
