"""Load throughput: ``creditgraph load`` end to end (read, validate, resolve, write) on synthetic
registry exports, against a per-row MERGE baseline measured in the same run.

Scale: N enterprises (each with a legal representative), N/2 persons, 3N relation rows
(shareholders person→enterprise and enterprise→enterprise, executives).
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from creditgraph.graph import cypher
from creditgraph.graph.divisions import hangzhou_2016
from creditgraph.graph.identifiers import (
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)
from creditgraph.graph.store import GraphStore
from creditgraph.loaders.bulk import BulkWriter
from creditgraph.loaders.pipeline import LoadOptions, load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter

SECRET = b"bench-secret-key-0123456789"
DIVISIONS = sorted(hangzhou_2016())


def uscc(i: int) -> str:
    body = f"{i:08d}"
    org = body + org_code_check_char(body)
    head = "91" + DIVISIONS[i % len(DIVISIONS)] + org
    return head + uscc_check_char(head)


def resident_id(i: int) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=i % 20000)
    body = f"{DIVISIONS[i % len(DIVISIONS)]}{birth:%Y%m%d}{i % 1000:03d}"
    return body + resident_id_check_char(body)


def write_inputs(directory: Path, enterprises: int) -> dict[str, int]:
    """Synthetic exports; returns rows per file."""
    directory.mkdir(parents=True, exist_ok=True)
    people = max(enterprises // 2, 1)
    counts = {}
    with (directory / "persons.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id_number", "name", "phone"])
        for i in range(people):
            out.writerow([resident_id(i), f"人员{i}", f"139{i:08d}"])
    counts["persons.csv"] = people
    with (directory / "enterprises.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["uscc", "name", "established", "registered_capital", "legal_rep_id",
                      "legal_rep_name"])
        for i in range(enterprises):
            established = f"{2000 + i % 20}-0{1 + i % 9}-1{i % 10}"
            out.writerow([uscc(i), f"杭州测试{i}有限公司", established, 100 + i % 900,
                          resident_id(i % people), f"人员{i % people}"])
    counts["enterprises.csv"] = enterprises
    with (directory / "relations.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["source_id", "relation", "target_id", "ratio", "role", "start_date"])
        for i in range(enterprises):
            target = uscc(i)
            out.writerow([resident_id((i * 7 + 1) % people), "股东", target, "35%", "",
                          "2010-01-01"])
            out.writerow([uscc((i * 13 + 5) % enterprises), "股东", target, "0.2", "",
                          "2012/3/4"])
            out.writerow([resident_id((i * 11 + 3) % people), "监事", target, "", "监事",
                          "20150601"])
    counts["relations.csv"] = 3 * enterprises
    return counts


@dataclass
class FileTiming:
    name: str
    rows: int
    seconds: float


class TimedWriter(StoreWriter):
    """Counts the time spent writing relationships into the store (the write phase alone)."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store)
        self.relationship_rows = 0
        self.relationship_seconds = 0.0

    def merge_relationships(self, rel_type, source, target, rows,  # type: ignore[no-untyped-def]
                            authoritative=()):
        start = time.perf_counter()
        missing = super().merge_relationships(rel_type, source, target, rows, authoritative)
        self.relationship_seconds += time.perf_counter() - start
        self.relationship_rows += len(rows)
        return missing


class _Timer:
    """A load progress hook that records how long each file took."""

    def __init__(self) -> None:
        self.timings: list[FileTiming] = []
        self._name = ""
        self._rows = 0
        self._start = 0.0

    def start(self, name: str) -> None:
        self._name, self._rows, self._start = name, 0, time.perf_counter()

    def advance(self, rows: int) -> None:
        self._rows += rows

    def finish(self) -> None:
        self.timings.append(FileTiming(self._name, self._rows, time.perf_counter() - self._start))


def per_row_baseline(store: GraphStore, rows: int) -> float:
    """Rows per second of the naive loader: one MERGE statement and transaction per relation."""
    query = cypher.merge_relationships(store.schema, "SHAREHOLDER_OF", "Enterprise",
                                       "Enterprise", ["ratio", "period"])
    sample = [{"src_key": uscc(i + 1), "dst_key": uscc(i), "ratio": 0.5,
               "period": dt.date(2010, 1, 1)} for i in range(rows)]
    start = time.perf_counter()
    for row in sample:
        store.write(query, {"rows": [row]})
    return rows / (time.perf_counter() - start)


def run(store: GraphStore, directory: Path, report_dir: Path, baseline_rows: int,
        warm_up: Path | None = None,
        ) -> tuple[list[FileTiming], float, FileTiming, FileTiming | None]:
    """Load ``directory`` into the emptied store and time each file. ``warm_up``, a smaller
    input loaded first and wiped, lets a server compile its query plans and the JVM its code,
    as a long-running production server has. Where the engine has a bulk path, the same first
    load through it is timed too (all files, end to end)."""
    store.init_schema()
    if warm_up is not None:
        store.wipe()
        load_directory(warm_up, StoreWriter(store), store.schema, load_spec(), SECRET,
                       report_dir / "warm-up", LoadOptions(batch_size=store.settings.batch_size))
    store.wipe()
    timer = _Timer()
    writer = TimedWriter(store)
    report = load_directory(directory, writer, store.schema, load_spec(), SECRET,
                            report_dir / "load", LoadOptions(batch_size=store.settings.batch_size),
                            timer)
    assert all(f.balanced() and f.rejected == 0 for f in report.files), report.files
    baseline = per_row_baseline(store, baseline_rows)
    store.wipe()
    writes = FileTiming("relationship writes", writer.relationship_rows,
                        writer.relationship_seconds)
    bulk = None
    if store.bulk_insert_path:
        start = time.perf_counter()
        report = load_directory(directory, BulkWriter(store), store.schema, load_spec(), SECRET,
                                report_dir / "bulk",
                                LoadOptions(batch_size=store.settings.batch_size))
        bulk = FileTiming("first load, bulk path", report.totals()["rows"],
                          time.perf_counter() - start)
        assert all(f.balanced() and f.rejected == 0 for f in report.files), report.files
        store.wipe()
    return timer.timings, baseline, writes, bulk


def offline(store: GraphStore, directory: Path, out: Path) -> tuple[float, float, int]:
    """The offline first-load path: export the import files, then run neo4j-admin import
    (Neo4j's own tool from the test server's jars). Returns export and import seconds and the
    relationship rows imported."""
    from creditgraph.loaders.neo4j_import import ImportCsvWriter
    from tests.neo4j_server import launcher

    writer = ImportCsvWriter(store.schema, out)
    start = time.perf_counter()
    load_directory(directory, writer, store.schema, load_spec(), SECRET, out / "report",
                   LoadOptions(batch_size=store.settings.batch_size))
    files = writer.write()
    exported = time.perf_counter() - start
    start = time.perf_counter()
    home = launcher.import_database(out, writer.arguments)
    imported = time.perf_counter() - start
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    relationships = sum(n for name, n in files.items() if name.startswith("relationships-"))
    return exported, imported, relationships
