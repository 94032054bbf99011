"""A first load held in memory: the rows of a load into an empty graph, folded exactly as the
store's upserts would fold them, for the writers that write everything at the end (the
embedded engine's bulk path, loaders/bulk.py; the neo4j-admin import files,
loaders/neo4j_import.py).

Folding as the store does: a node's later non-null values win; a relationship's rows are
settled to their periods (loaders/writers.settle_periods) and folded per call as one batch of
the store's upsert, then merged into what earlier calls held, an ``authoritative`` property
taking the row's value even when null; a relationship whose endpoint no earlier row wrote is
refused, as the store refuses it. Rows are held as tuples (``Packed``): memory grows with the
data, about 0.5 KB a node or relationship."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from creditgraph.graph.errors import SchemaError
from creditgraph.graph.schema import PERIOD_PROPERTY, Schema, coerce_rows
from creditgraph.graph.store import ENDPOINT_FIELDS, Row, checked_relationships, combine_rows
from creditgraph.loaders.writers import settle_periods

RelTable = tuple[str, str, str]  # relationship type, source label, target label


class Packed:
    """One label's or relationship table's rows by key, each a tuple of its columns in a fixed
    order (a dict a row would take three times the memory: city scale is 14 million rows)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.position = {name: i for i, name in enumerate(columns)}
        self.rows: dict[Any, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, key: Any) -> bool:
        return key in self.rows

    def fold(self, key: Any, row: Row, authoritative: tuple[str, ...] = ()) -> None:
        """Add the row, or merge it into the one held: its non-null values win, and its value
        of an ``authoritative`` property even when null."""
        held = self.rows.get(key)
        values = list(held) if held is not None else [None] * len(self.columns)
        for name, value in row.items():
            if value is not None or name in authoritative:
                values[self.position[name]] = value
        for name in authoritative:
            if name not in row:
                values[self.position[name]] = None
        self.rows[key] = tuple(values)

    def value(self, key: Any, name: str) -> Any:
        return self.rows[key][self.position[name]]

    def rekey(self, old: Any, new: Any, **changes: Any) -> None:
        values = list(self.rows.pop(old))
        for name, value in changes.items():
            values[self.position[name]] = value
        self.rows[new] = tuple(values)

    def by_column(self) -> dict[str, list[Any]]:
        """The rows by column (what a bulk insert takes)."""
        by_column = zip(*self.rows.values(), strict=True) if self.rows else [()] * len(
            self.columns)
        return {name: list(values) for name, values in zip(self.columns, by_column,
                                                            strict=True)}

    def dicts(self) -> Iterator[tuple[Any, Row]]:
        """Each key with its row as a dict of the columns that have a value."""
        for key, values in self.rows.items():
            yield key, {name: value for name, value in zip(self.columns, values, strict=True)
                        if value is not None}


class FirstLoad:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.nodes: dict[str, Packed] = {}  # label → key → properties
        # (type, source, target) → (src_key, dst_key, *identity) → both keys and properties
        self.relationships: dict[RelTable, Packed] = {}
        # a temporal type's periods per pair, as the store's period look-up would find them
        self._periods: dict[RelTable, dict[tuple[str, str], list[tuple[Any, ...]]]] = (
            defaultdict(lambda: defaultdict(list)))

    def rows_to_flush(self) -> int:
        return (sum(map(len, self.nodes.values()))
                + sum(map(len, self.relationships.values())))

    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        node = self.schema.node(label)
        held = self.nodes.get(label) or Packed(tuple(node.properties))
        for row in coerce_rows(node.properties, rows, f"{label} batch"):
            held.fold(row[node.key], row)
        if held:
            self.nodes[label] = held

    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        """Returns the rows refused for a missing endpoint (nothing of them is held)."""
        rel = self.schema.endpoint(rel_type, source, target)
        unknown = sorted(set(authoritative) - set(rel.properties))
        if unknown:
            raise SchemaError(f"{rel_type}: unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                              f"{', '.join(map(repr, unknown))}")
        table = (rel_type, source, target)
        held = self.relationships.get(table) or Packed((*ENDPOINT_FIELDS, *rel.properties))
        if rel.temporal:
            rows = self._settle(table, held, rows)
        identity = (*ENDPOINT_FIELDS, *rel.identity)
        checked = checked_relationships(rel, rel_type, rows)
        empty = Packed(())
        sources, targets = self.nodes.get(source, empty), self.nodes.get(target, empty)
        missing: list[Mapping[str, Any]] = [
            original for row, original in zip(checked, rows, strict=True)
            if row["src_key"] not in sources or row["dst_key"] not in targets]
        for row in combine_rows(checked, identity):
            if row["src_key"] not in sources or row["dst_key"] not in targets:
                continue
            key = tuple(row[k] for k in identity)
            if rel.temporal and key not in held:
                self._periods[table][key[:2]].append(key)
            held.fold(key, row, authoritative)
        if held:
            self.relationships[table] = held
        return missing

    def _settle(self, table: RelTable, held: Packed,
                rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Periods settled against what earlier calls of this load hold, as the store settles
        them against what it holds (StoreWriter._settle_periods), an undated period moved to
        the start a row now gives."""
        periods = self._periods[table]
        stored = {}
        for pair in {(row["src_key"], row["dst_key"]) for row in rows}:
            if pair in periods:
                stored[pair] = [{"period": key[2], "end_date": held.value(key, "end_date")}
                                for key in periods[pair]]
        settled, moves = settle_periods(rows, stored)
        for move in moves:
            pair = (move["src_key"], move["dst_key"])
            old, new = (*pair, move["old"]), (*pair, move["new"])
            held.rekey(old, new, **{PERIOD_PROPERTY: move["new"]})
            periods[pair] = [new if key == old else key for key in periods[pair]]
        return settled

    def apply_repairs(self) -> int:
        """Each held repair decision copied onto what it repairs — a list entry, or the
        repaired subject's PENALIZED link — as StoreWriter.apply_repairs does in the store."""
        repairs, done = self.nodes.get("Repair"), 0
        if repairs is None:
            return 0
        for (rel_type, _, target), table in list(self.relationships.items()):
            if rel_type != "REPAIRS":
                continue
            for repair_id, key, *_ in table.rows:
                change = {"repaired_on": repairs.value(repair_id, "decision_date"),
                          "repair_id": repair_id}
                if target == "ListEntry" and key in self.nodes.get(target, ()):
                    self.nodes[target].fold(key, change)
                    done += 1
                    continue
                subject = repairs.value(repair_id, "subject_key")
                for (link, _, _), links in self.relationships.items():
                    if link == "PENALIZED" and (key, subject) in links:
                        links.fold((key, subject), change)
                        done += 1
        return done

    def clear(self) -> None:
        self.nodes.clear()
        self.relationships.clear()
        self._periods.clear()
