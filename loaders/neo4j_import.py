"""The offline path for first loads of millions of rows: the same validation and resolution as
``creditgraph load``, written as CSV files for ``neo4j-admin database import full`` instead of
through transactions.

Nodes and relationships are held in memory, folded as a load folds them
(loaders/first_load.py), and written at the end, so the import tool sees each node and
relationship once.
"""

from __future__ import annotations

import csv
import datetime as dt
import shlex
from pathlib import Path
from typing import Any

from creditgraph.graph.schema import UNKNOWN_START, PropertySpec, Schema
from creditgraph.loaders.first_load import FirstLoad

IMPORT_TYPES = {"string": "string", "integer": "long", "float": "double", "boolean": "boolean",
                "date": "date", "datetime": "datetime", "string_list": "string[]"}
ARRAY_DELIMITER = ";"


class ImportCsvWriter:
    """A load writer with no store behind it: nothing exists before, everything goes to files."""

    dry_run = False

    def __init__(self, schema: Schema, out: Path) -> None:
        self.schema = schema
        self.out = out
        self.held = FirstLoad(schema)
        self.arguments: list[str] = []  # for neo4j-admin database import full, once written

    def lookup(self, label: str, prop: str, values: list[str]) -> list[dict[str, Any]]:
        return []

    def record_facts(self, label: str, keys: list[str]) -> list[dict[str, Any]]:
        return []

    def existing_nodes(self, label: str, keys: list[str]) -> set[str]:
        return set()

    def existing_relationships(self, rel_type: str, source: str, target: str,
                               pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        return set()

    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        self.held.merge_nodes(label, rows)

    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Any]:
        return self.held.merge_relationships(rel_type, source, target, rows, authoritative)

    def rows_to_flush(self) -> int:
        return 0  # no store to flush to: write() puts the rows in files

    def flush(self) -> int:
        return 0

    def apply_repairs(self) -> int:
        return self.held.apply_repairs()

    def supersede(self, rel_types: tuple[str, ...], pids: list[str]) -> int:
        """Unresolved persons resolved within the same first load: their relations never
        counted (the import writes what the table holds, so end them in it)."""
        done, wanted = 0, set(pids)
        for (rel_type, source, _), table in self.held.relationships.items():
            if rel_type not in rel_types or source != "Person":
                continue
            for key in list(table.rows):
                if key[0] in wanted and table.value(key, "ended_by") != "resolved":
                    table.fold(key, {"end_date": UNKNOWN_START, "ended_by": "resolved"})
                    done += 1
        return done

    def reopen_listed(self, rel_type: str, load_id: str) -> None:
        pass  # a first load: nothing earlier to reopen or end

    def count_unlisted(self, rel_type: str, source: str, load_id: str) -> tuple[int, int]:
        return 0, 0

    def end_unconfirmed(self, rel_type: str, source: str, load_id: str,
                        end_date: dt.date) -> int:
        return 0

    def write(self) -> dict[str, int]:
        """Write the CSV files and import.sh; returns rows per file."""
        self.out.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {}
        arguments: list[str] = []
        for label, table in self.held.nodes.items():
            node = self.schema.node(label)
            name = f"nodes-{label}.csv"
            header = [f"{node.key}:ID({label})"] + [
                _column(spec) for spec in node.properties.values() if spec.name != node.key
            ] + [":LABEL"]
            names = [p for p in node.properties if p != node.key]
            with (self.out / name).open("w", encoding="utf-8", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(header)
                for key, row in table.dicts():
                    out.writerow([key, *(_cell(row.get(p)) for p in names), label])
            counts[name] = len(table)
            arguments.append(f"--nodes={label}={name}")
        for (rel_type, source, target), table in self.held.relationships.items():
            rel = self.schema.relationship(rel_type)
            name = f"relationships-{rel_type}-{source}-{target}.csv"
            names = list(rel.properties)
            with (self.out / name).open("w", encoding="utf-8", newline="") as handle:
                out = csv.writer(handle)
                out.writerow([f":START_ID({source})", f":END_ID({target})",
                              *(_column(rel.properties[p]) for p in names), ":TYPE"])
                for (src, dst, *_), row in table.dicts():
                    out.writerow([src, dst, *(_cell(row.get(p)) for p in names), rel_type])
            counts[name] = len(table)
            arguments.append(f"--relationships={rel_type}={name}")
        script = [
            "#!/usr/bin/env bash",
            "# Import these files into an empty, stopped Neo4j 5 database, then create the",
            "# constraints and indexes with `creditgraph --backend neo4j init`.",
            'set -euo pipefail',
            'cd "$(dirname "$0")"',
            "neo4j-admin database import full ${1:-neo4j} --overwrite-destination "
            f"--array-delimiter={shlex.quote(ARRAY_DELIMITER)} " + " ".join(
                shlex.quote(a) for a in arguments),
        ]
        (self.out / "import.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
        (self.out / "import.sh").chmod(0o755)
        self.arguments = [f"--array-delimiter={ARRAY_DELIMITER}", *arguments]
        return counts


def _column(spec: PropertySpec) -> str:
    return spec.name if spec.type == "string" else f"{spec.name}:{IMPORT_TYPES[spec.type]}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(value)
    return str(value)
