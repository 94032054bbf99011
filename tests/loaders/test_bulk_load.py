"""The embedded engine's bulk path for a first load (loaders/bulk.py): the same graph, report and
rejects as a load batch by batch, all or nothing, and only for an empty store. Embedded only:
Neo4j's first-load counterpart is the neo4j-admin import (test_neo4j_import.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from creditgraph.graph.errors import StoreError
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store
from creditgraph.loaders.bulk import BulkWriter, bulk_possible
from creditgraph.loaders.pipeline import LoadOptions, load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.seed.generator import generate
from tests.loaders.test_faults import fingerprint, kill_under_way
from tests.shared import ID_KEY, SECRET

SEED = {"enterprises": 600, "seed": 5}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture(scope="module")
def folded_seed_dir(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's seed data with the cases where folding matters appended: a subject repeated
    with a blank and a changed field, one relation given dated then undated, another undated
    then (30 rows, more than a small batch, later) dated, a relation to no one."""
    out = tmp_path_factory.mktemp("seed-folded")  # a copy: seed_dir stays as made
    shutil.copytree(seed_dir, out, dirs_exist_ok=True)
    with (out / "enterprises.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    with (out / "relations.csv").open(encoding="utf-8", newline="") as handle:
        relations = list(csv.DictReader(handle))
    dated = next(r for r in relations if r["relation"] == "股东" and r["start_date"])
    other = next(r for r in relations if r["relation"] == "股东" and r["source_id"]
                 and r["target_id"] != dated["target_id"] and r["source_id"] != dated["source_id"])
    new_pair = dated | {"target_id": other["target_id"], "start_date": "", "ratio": "5.13%"}
    with (out / "enterprises.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(first))
        writer.writerow(first | {"name": "", "address": "杭州市上城区清泰街1号"})
    with (out / "relations.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(dated))
        writer.writerow(dated | {"start_date": "", "ratio": "12%"})
        writer.writerow(new_pair)
        writer.writerows([other] * 30)
        writer.writerow(new_pair | {"start_date": "2019-05-01", "ratio": "6.17%"})
        writer.writerow(dated | {"target_id": "91330106MA2XXXXXX0", "start_date": ""})
    return out


def _open(path: Path) -> GraphStore:
    store = open_store(Settings(backend="embedded", store_path=path))
    store.init_schema()
    return store


def _load(store: GraphStore, seed: Path, writer: StoreWriter, report_dir: Path):
    return load_directory(seed, writer, store.schema, load_spec(), SECRET, report_dir)


@pytest.mark.parametrize("batch_size", [5000, 25])
def test_a_bulk_first_load_equals_a_load_batch_by_batch(folded_seed_dir, tmp_path, batch_size):
    """Also in small batches, where one relation's dated and undated rows fall in different
    batches: its periods are settled across batches on both paths alike."""
    results = {}
    for name, writer_class in (("bulk", BulkWriter), ("batches", StoreWriter)):
        store = _open(tmp_path / name)
        try:
            assert bulk_possible(store)
            report = load_directory(folded_seed_dir, writer_class(store), store.schema, load_spec(),
                                    SECRET, tmp_path / f"report-{name}",
                                    LoadOptions(batch_size=batch_size))
            rejects = sorted((tmp_path / f"report-{name}" / "rejects.csv").read_text(
                encoding="utf-8").splitlines())
            results[name] = (fingerprint(store), report.totals(), rejects,
                             [vars(f) for f in report.end_checks])
            bulk_note = [n for n in report.notes if "bulk path" in n]
            assert bool(bulk_note) == (name == "bulk"), report.notes
        finally:
            store.close()
    graph, totals, _, _ = results["bulk"]
    assert graph["Enterprise"][0] > 600 and graph["SHAREHOLDER_OF"][0] > 0
    assert totals["rejected"] > 0 and totals["merged"] > 0  # the appended rows did their part
    assert results["bulk"] == results["batches"]
    store = _open(tmp_path / "bulk")
    try:  # the pair given undated, then dated in a later batch, is one relation: 2019-05-01
        periods = store.read(
            "MATCH ()-[r:SHAREHOLDER_OF]->() WHERE abs(r.ratio - $a) < 1e-9 "
            "OR abs(r.ratio - $b) < 1e-9 RETURN r.period AS period, r.ratio AS ratio",
            {"a": 0.0513, "b": 0.0617})
    finally:
        store.close()
    assert [(row["period"], round(row["ratio"], 4)) for row in periods] == [
        (dt.date(2019, 5, 1), 0.0617)]


def test_the_next_load_merges_into_what_the_bulk_path_wrote(folded_seed_dir, tmp_path):
    store = _open(tmp_path / "store")
    try:
        _load(store, folded_seed_dir, BulkWriter(store), tmp_path / "first")
        written = fingerprint(store)
        assert not bulk_possible(store)
        with pytest.raises(ValueError, match="empty store"):
            BulkWriter(store)
        again = _load(store, folded_seed_dir, StoreWriter(store), tmp_path / "again")
        assert again.totals()["loaded"] == 0
        assert fingerprint(store) == written
    finally:
        store.close()


def test_a_bulk_insert_the_engine_refuses_leaves_the_store_empty(tmp_path):
    """Nodes and relationships go in one transaction: a relationship to a node that is not
    there fails the whole insert, the nodes before it included."""
    store = _open(tmp_path / "store")
    try:
        now = dt.datetime.now(dt.UTC)
        nodes = {"Enterprise": {"uscc": ["91330106MA27XAAA1X"], "name": ["甲"],
                                "updated_at": [now]}}
        rels = {("BRANCH_OF", "Enterprise", "Enterprise"): {
            "src_key": ["91330106MA27XAAA1X"], "dst_key": ["no such firm"]}}
        with pytest.raises(StoreError):
            store.bulk_insert(nodes, rels)
        assert not any(store.node_counts().values())
        store.bulk_insert(nodes, {})
        assert store.node_counts()["Enterprise"] == 1
    finally:
        store.close()


def test_a_killed_first_load_leaves_the_store_empty_never_partial(tmp_path):
    """Killed while it checks and holds the rows (or, rarely, in its one write transaction):
    the store opens again with nothing of the load, or all of it, never a part; the load run
    again gives the graph a clean load gives."""
    seed = tmp_path / "seed"
    generate(seed, 3000, seed=8)
    clean_store = _open(tmp_path / "clean")
    try:
        _load(clean_store, seed, StoreWriter(clean_store), tmp_path / "clean-report")
        clean = fingerprint(clean_store)
    finally:
        clean_store.close()
    env = {**os.environ, "CREDITGRAPH_BACKEND": "embedded", "CREDITGRAPH_ID_KEY": ID_KEY,
           "CREDITGRAPH_STORE": str(tmp_path / "killed")}
    command = [str(Path(sys.executable).with_name("creditgraph")), "load", str(seed),
               "--no-propagate", "--no-alerts", "--report-dir", str(tmp_path / "killed-report")]
    kill_under_way(command, env, tmp_path / "killed-report", after=0.3)
    target = _open(tmp_path / "killed")
    try:
        after_kill = fingerprint(target)
    finally:
        target.close()
    nothing = {name: count for name, (count, _) in after_kill.items()
               if count and name != "WriteLock"}
    assert not nothing or after_kill == clean | {"WriteLock": after_kill["WriteLock"]}, nothing
    rerun = subprocess.run([*command, "--format", "json"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    notes = json.loads(rerun.stdout)["notes"]
    assert any("bulk path" in note for note in notes) == (not nothing), notes
    target = _open(tmp_path / "killed")
    try:
        assert fingerprint(target) == clean
    finally:
        target.close()
