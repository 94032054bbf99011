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

from graph.settings import Settings
from graph.store import GraphStore, open_store
from loaders.pipeline import load_directory
from loaders.spec import load_spec
from loaders.writers import StoreWriter
from seed.generator import generate

SECRET = "test-secret-key-0123456789"
PROVENANCE = {"updated_at", "load_id"}  # differ between any two loads by design


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


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-faults")
    generate(out, 2500, seed=9)
    return out


def cli(env: dict[str, str], *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("creditgraph")), *args]


def test_a_killed_load_rerun_equals_a_clean_load(store, seed_dir, tmp_path):
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET.encode(),
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
    env["CREDITGRAPH_ID_KEY"] = SECRET
    command = cli(env, "load", str(seed_dir), "--no-propagate", "--report-dir",
                  str(tmp_path / "killed-report"))
    loader = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    # kill it once it is writing: the persons file comes after enterprises
    deadline = time.monotonic() + 120
    report = tmp_path / "killed-report" / "warnings.csv"
    while loader.poll() is None and time.monotonic() < deadline:
        if report.exists():
            time.sleep(1.5)
            break
        time.sleep(0.1)
    assert loader.poll() is None, "the load finished before it could be killed"
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    if store.backend == "embedded":
        target = open_store(Settings(store_path=tmp_path / "killed"))
        partial = target.node_counts()  # the store opens again after the kill
        target.close()
        assert partial.get("Enterprise", 0) < clean["Enterprise"][0] or partial
    else:
        partial = target.node_counts()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    if store.backend == "embedded":
        target = open_store(Settings(store_path=tmp_path / "killed"))
    try:
        assert fingerprint(target) == clean
    finally:
        if store.backend == "embedded":
            target.close()


@pytest.mark.neo4j
def test_two_loads_at_once_into_neo4j_leave_a_clean_graph(neo4j_schema_ready, seed_dir,
                                                          tmp_path):
    settings = Settings.from_env({**neo4j_schema_ready, "CREDITGRAPH_BACKEND": "neo4j"})
    with open_store(settings) as store:
        store.wipe()
        load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(),
                       SECRET.encode(), tmp_path / "clean")
        clean = fingerprint(store)
        store.wipe()
    env = {**os.environ, **neo4j_schema_ready, "CREDITGRAPH_BACKEND": "neo4j",
           "CREDITGRAPH_ID_KEY": SECRET}
    loaders = [subprocess.Popen(cli(env, "load", str(seed_dir), "--no-propagate",
                                    "--report-dir", str(tmp_path / f"r{i}")),
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True) for i in range(2)]
    for loader in loaders:
        _, err = loader.communicate(timeout=600)
        assert loader.returncode == 0, err
    with open_store(settings) as store:
        assert fingerprint(store) == clean


@pytest.mark.embedded
def test_a_second_writer_on_the_embedded_store_gets_a_clear_message(seed_dir, tmp_path):
    env = {**os.environ, "CREDITGRAPH_BACKEND": "embedded",
           "CREDITGRAPH_STORE": str(tmp_path / "s"), "CREDITGRAPH_ID_KEY": SECRET}
    first = subprocess.Popen(cli(env, "load", str(seed_dir), "--no-propagate", "--report-dir",
                                 str(tmp_path / "r1")), env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    time.sleep(3)
    assert first.poll() is None
    second = subprocess.run(cli(env, "load", str(seed_dir), "--report-dir",
                                str(tmp_path / "r2")), env=env, capture_output=True,
                            text=True, timeout=120)
    first.wait(timeout=300)
    assert second.returncode == 2 and "in use" in second.stderr
    assert first.returncode == 0
