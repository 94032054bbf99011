"""Faults: a loader killed with SIGKILL in the middle of a load, then run again, leaves the same
graph as a clean load (same counts, same property checksums, nothing duplicated or lost) on both
backends; the embedded store opens again after the kill; two loads at once into Neo4j both
finish and leave the same graph."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from tests.shared import ID_KEY, SECRET

PROVENANCE = {"updated_at", "load_id",  # differ between any two loads by design
              "resolved_at", "resolved_by"}  # when and by which load a person was resolved


def fingerprint(store: GraphStore) -> dict[str, tuple[int, str]]:
    """Per label and relationship type: (count, SHA-256 of every row's properties, sorted),
    provenance stamps left out."""
    schema = store.schema
    result = {}
    for label, node in schema.nodes.items():
        props = [p for p in node.properties if p not in PROVENANCE]
        query = f"MATCH (n:`{label}`) RETURN " + ", ".join(f"n.`{p}` AS `{p}`" for p in props)
        result[label] = _digest(store.read(query))
    for rel_type, rel in schema.relationships.items():
        rows = []
        props = [p for p in rel.properties if p not in PROVENANCE]
        for source, target in rel.endpoints:
            a_key, b_key = schema.node(source).key, schema.node(target).key
            columns = [f"a.`{a_key}` AS a", f"b.`{b_key}` AS b"] + [
                f"r.`{p}` AS `{p}`" for p in props]
            rows += store.read(f"MATCH (a:`{source}`)-[r:`{rel_type}`]->(b:`{target}`) "
                               f"RETURN {', '.join(columns)}")
        result[rel_type] = _digest(rows)
    return result


def _digest(rows: list[dict]) -> tuple[int, str]:
    lines = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


SEED = {"enterprises": 2500, "seed": 9}  # the module's data set (conftest.py: seed_dir)


def kill_under_way(command: list[str], env: dict[str, str], report_dir: Path,
                   after: float) -> None:
    """Start a load and SIGKILL it ``after`` seconds past the moment it began reading (its
    report files exist). Small write batches make a load long enough to be killed in the middle
    of its writes."""
    loader = subprocess.Popen(command, env={**env, "CREDITGRAPH_BATCH_SIZE": "25"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while loader.poll() is None and time.monotonic() < deadline:
        if (report_dir / "warnings.csv").exists():
            time.sleep(after)
            break
        time.sleep(0.05)
    assert loader.poll() is None, "the load finished before it could be killed"
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()


def cli(env: dict[str, str], *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("creditgraph")), *args]


def test_a_killed_load_rerun_equals_a_clean_load(store, seed_dir, tmp_path):
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "clean")
    clean = fingerprint(store)
    assert clean["Enterprise"][0] > 2500
    if store.backend == "neo4j":
        store.wipe()
        env = {**os.environ, "CREDITGRAPH_BACKEND": "neo4j",
               "NEO4J_URI": store.settings.neo4j_uri, "NEO4J_USER": store.settings.neo4j_user,
               "NEO4J_PASSWORD": store.settings.neo4j_password or "",
               "NEO4J_DATABASE": store.settings.neo4j_database}
        target = store
    else:
        store.close()  # the CLI needs the embedded store to itself
        env = {**os.environ, "CREDITGRAPH_BACKEND": "embedded",
               "CREDITGRAPH_STORE": str(tmp_path / "killed")}
    env["CREDITGRAPH_ID_KEY"] = ID_KEY
    # batch by batch: a first load through the bulk path is all or nothing (test_bulk_load)
    command = cli(env, "load", str(seed_dir), "--no-propagate", "--no-alerts", "--no-bulk", "--report-dir",
                  str(tmp_path / "killed-report"))
    kill_under_way(command, env, tmp_path / "killed-report", after=2.0)
    if store.backend == "embedded":
        target = open_store(Settings(store_path=tmp_path / "killed"))
        partial = target.node_counts()  # the store opens again after the kill
        target.close()
    else:
        partial = target.node_counts()
    written = sum(n for label, n in partial.items() if label != "WriteLock")
    assert 0 < written < sum(count for label, (count, _) in clean.items()
                             if label in store.schema.nodes), partial  # killed mid-load
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    if store.backend == "embedded":
        target = open_store(Settings(store_path=tmp_path / "killed"))
    try:
        assert fingerprint(target) == clean
    finally:
        if store.backend == "embedded":
            target.close()


def test_a_second_load_is_refused_while_one_writes(store, seed_dir, tmp_path):
    """Two loads of the same feed at once would end each other's relations. A load is refused
    with a clear message while another writer holds the write lock (on the embedded store its
    file lock refuses it even earlier); once the lock is free the load runs and the graph is the
    clean one, the lock released."""
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "clean")
    clean = fingerprint(store)
    store.wipe()
    env = {**os.environ, "CREDITGRAPH_ID_KEY": ID_KEY}
    if store.backend == "neo4j":
        env.update({"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": store.settings.neo4j_uri,
                    "NEO4J_USER": store.settings.neo4j_user,
                    "NEO4J_PASSWORD": store.settings.neo4j_password or "",
                    "NEO4J_DATABASE": store.settings.neo4j_database})
    else:
        store.close()
        env.update({"CREDITGRAPH_BACKEND": "embedded",
                    "CREDITGRAPH_STORE": str(tmp_path / "shared"),
                    "CREDITGRAPH_STORE_WAIT": "2"})  # refused after 2 s, not the default 30
    command = cli(env, "load", str(seed_dir), "--no-propagate", "--no-alerts")
    # a first writer, holding the lock as a load does for its whole run
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from graph.settings import Settings; from graph.store import open_store;"
         "from graph.write_lock import write_lock; s = open_store(Settings.from_env());"
         "s.init_schema(); l = write_lock(s, 'load'); l.__enter__(); print('held', flush=True);"
         "sys.stdin.read(); l.__exit__(None, None, None); s.close()"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        second = subprocess.run([*command, "--report-dir", str(tmp_path / "r2")], env=env,
                                capture_output=True, text=True, timeout=300)
    finally:
        holder.communicate(timeout=60)
    assert second.returncode == 2
    assert "is writing to the graph" in second.stderr or "in use" in second.stderr
    again = subprocess.run([*command, "--report-dir", str(tmp_path / "r3")], env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    target = store if store.backend == "neo4j" else open_store(
        Settings(store_path=tmp_path / "shared"))
    try:
        assert fingerprint(target) == clean
        assert target.node_counts().get("WriteLock", 0) == 0  # released
    finally:
        if store.backend == "embedded":
            target.close()


def test_a_dead_holder_on_this_machine_is_recognised(store):
    """A lock left by a process that no longer exists is taken over; a live holder's is not."""
    from creditgraph.graph.write_lock import LockedError, write_lock

    store.write("CREATE (l:WriteLock {name: 'write', holder: 'x:1:dead', host: $host, "
                "pid: $pid, action: 'load'})", {"host": __import__("socket").gethostname(),
                                                "pid": 2_000_000_000})
    refused = r"another propagate is writing"
    with (write_lock(store, "propagate"), pytest.raises(LockedError, match=refused),
          write_lock(store, "load")):
        pass
    assert store.node_counts().get("WriteLock", 0) == 0
