"""Where a load's plans go: the store, nowhere (dry run), or CSV files for neo4j-admin import.
Each also answers the look-ups entity resolution and the loaded / merged count need."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from creditgraph.graph import cypher
from creditgraph.graph.cypher_files import read_cypher_file
from creditgraph.graph.schema import UNKNOWN_START, coerce_rows
from creditgraph.graph.store import GraphStore, checked_relationships

LOOKUP_CHUNK = 5000
REPAIR_TARGETS = {"Penalty": "repair-targets-penalty", "ListEntry": "repair-targets-entry",
                  "Repair": "repair-by-id"}
APPLY_REPAIRS = ("apply-repairs-penalty", "apply-repairs-entry")
HERE = Path(__file__).resolve().parent  # the writer's own statements (*.cypher)


class StoreWriter:
    """Writes through the store interface: batched UNWIND upserts, one transaction a batch."""

    dry_run = False

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.schema = store.schema
        # A first load into an empty store need not ask the store about anything: what it
        # could find there, this load put there and the registry already knows.
        self.empty_at_start = {label for label, n in store.node_counts().items() if not n} | {
            rel for rel, n in store.relationship_counts().items() if not n}
        # ... except the periods of a temporal relation, which this load may have written
        # in an earlier batch and a later undated row must join
        self.written_types: set[str] = set()

    def lookup(self, label: str, prop: str, values: list[str]) -> list[dict[str, Any]]:
        if label in self.empty_at_start:
            return []
        query = cypher.lookup(self.schema, label, prop)
        found: list[dict[str, Any]] = []
        for start in range(0, len(values), LOOKUP_CHUNK):
            found += self.store.read(query, {"values": values[start:start + LOOKUP_CHUNK]})
        return found

    def record_facts(self, label: str, keys: list[str]) -> list[dict[str, Any]]:
        """Penalties, list entries or repair decisions by key, as a repair decision must know
        them (loaders/registry.RecordFacts)."""
        if label in self.empty_at_start:
            return []
        query = read_cypher_file(HERE, REPAIR_TARGETS[label], self.store.backend).text
        return self.store.read(query, {"keys": keys})

    def existing_nodes(self, label: str, keys: Sequence[str]) -> set[str]:
        return {row["value"] for row in self.lookup(label, self.schema.node(label).key,
                                                    list(keys))}

    def existing_relationships(self, rel_type: str, source: str, target: str,
                               pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        if rel_type in self.empty_at_start:
            return set()
        return {(row["src_key"], row["dst_key"]) for row in
                self.store.relationships_between(rel_type, source, target, pairs)}

    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        self.store.merge_nodes(label, rows, batch_size=max(len(rows), 1))

    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        missing: list[Mapping[str, Any]] = []
        if self.schema.relationship(rel_type).temporal:
            rows = self._settle_periods(rel_type, source, target, rows)
        self.store.merge_relationships(rel_type, source, target, rows,
                                       batch_size=max(len(rows), 1), on_missing=missing.append,
                                       authoritative=authoritative)
        self.written_types.add(rel_type)
        return missing

    def _settle_periods(self, rel_type: str, source: str, target: str,
                        rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows settled against the periods the store holds for their pairs (settle_periods)."""
        pairs = sorted({(row["src_key"], row["dst_key"]) for row in rows})
        stored: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        if rel_type not in self.empty_at_start or rel_type in self.written_types:
            for found in self.store.relationships_between(rel_type, source, target, pairs,
                                                          ("period", "end_date")):
                stored[(found["src_key"], found["dst_key"])].append(found)
        settled, moves = settle_periods(rows, stored)
        if moves:
            self.store.write(cypher.move_periods(self.schema, rel_type, source, target),
                             {"rows": moves, "now": dt.datetime.now(dt.UTC)})
        return settled

    def rows_to_flush(self) -> int:
        return 0

    def flush(self) -> int:
        """Nothing is held back: every batch was written in its own transaction."""
        return 0

    def apply_repairs(self) -> int:
        """Every repair decision copied onto what it repairs, where it is not yet (this load's,
        and any an interrupted load left unapplied); returns how many records changed."""
        now, done = dt.datetime.now(dt.UTC), 0
        for name in APPLY_REPAIRS:
            rows = self.store.write(read_cypher_file(HERE, name, self.store.backend).text,
                                   {"now": now})
            done += int(rows[0]["applied"]) if rows else 0
        return done

    def supersede(self, rel_types: tuple[str, ...], pids: list[str]) -> int:
        """The relations of unresolved persons now resolved to a real one stop counting."""
        now, done = dt.datetime.now(dt.UTC), 0
        for rel_type in rel_types:
            query = cypher.supersede_relations(self.schema, rel_type, "Person")
            for start in range(0, len(pids), LOOKUP_CHUNK):
                rows = self.store.write(query, {"keys": pids[start:start + LOOKUP_CHUNK],
                                                "never": UNKNOWN_START, "now": now})
                done += int(rows[0]["superseded"]) if rows else 0
        return done

    def reopen_listed(self, rel_type: str, load_id: str) -> None:
        # stamped so that propagation sees the change
        self.store.write(cypher.reopen_confirmed(self.schema, rel_type),
                         {"load_id": load_id, "now": dt.datetime.now(dt.UTC)})

    def count_unlisted(self, rel_type: str, source: str, load_id: str) -> tuple[int, int]:
        rows = self.store.read(cypher.count_open(self.schema, rel_type),
                               {"source": source, "load_id": load_id})
        return (int(rows[0]["open"] or 0), int(rows[0]["unlisted"] or 0)) if rows else (0, 0)

    def end_unconfirmed(self, rel_type: str, source: str, load_id: str,
                        end_date: dt.date) -> int:
        now = dt.datetime.now(dt.UTC)  # stamped so that propagation sees the change
        rows = self.store.write(cypher.end_unconfirmed(self.schema, rel_type),
                                {"source": source, "load_id": load_id, "end_date": end_date,
                                 "now": now})
        return int(rows[0]["ended"]) if rows else 0


def settle_periods(rows: list[dict[str, Any]],
                   stored: Mapping[tuple[str, str], list[dict[str, Any]]],
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A source that gives no start date speaks of the period the graph already has for
    the pair, and one that dates a period stored without a start dates that period: in
    neither case may a second relationship appear beside the first and count twice.
    (Two dated periods stay two: 2015-2018 and from 2021.) ``stored``: the periods the graph
    holds per pair. Returns the rows with their period, and the stored undated periods to
    move to the start now given."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[(row["src_key"], row["dst_key"])].append(row)
    settled, moves = [], []
    for (src_key, dst_key), group in grouped.items():
        held = stored.get((src_key, dst_key), [])
        known = [p for p in held if p["period"] != UNKNOWN_START]
        undated_stored = len(known) < len(held)
        starts = sorted({row["start_date"] for row in group if row.get("start_date")})
        if starts and undated_stored and not known:
            moves.append({"src_key": src_key, "dst_key": dst_key, "old": UNKNOWN_START,
                          "new": starts[0]})
        current = _current_period(known, starts)
        for row in group:
            if current and not row.get("start_date") and row.get("period") is None:
                row = {**row, "period": current}
            settled.append(row)
    return settled, moves


def _current_period(stored: list[dict[str, Any]], starts: list[dt.date]) -> dt.date | None:
    """The period an undated row speaks of: the one still open in the graph, else the latest
    start this load or the graph knows."""
    open_ = [p["period"] for p in stored if p["end_date"] is None]
    if open_:
        return max(open_)
    candidates = starts + [p["period"] for p in stored]
    return max(candidates) if candidates else None


class DryRunWriter(StoreWriter):
    """Reads the store to resolve and count, writes nothing."""

    dry_run = True

    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        coerce_rows(self.schema.node(label).properties, rows, f"{label} batch")

    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        checked_relationships(self.schema.endpoint(rel_type, source, target), rel_type, rows)
        return []

    def apply_repairs(self) -> int:
        return 0  # nothing was written to apply them to

    def supersede(self, rel_types: tuple[str, ...], pids: list[str]) -> int:
        return 0

    def reopen_listed(self, rel_type: str, load_id: str) -> None:
        pass

    def count_unlisted(self, rel_type: str, source: str, load_id: str) -> tuple[int, int]:
        return 0, 0  # nothing was stamped as listed: a dry run cannot tell

    def end_unconfirmed(self, rel_type: str, source: str, load_id: str,
                        end_date: dt.date) -> int:
        return 0
