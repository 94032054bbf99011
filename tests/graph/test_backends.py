"""What is particular to each backend: connection settings, routing URIs, store files, locks."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from creditgraph.graph.errors import SettingsError, StoreError, StoreUnavailableError
from creditgraph.graph.schema import load_schema, parse_schema
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store


def neo4j_settings(env: dict[str, str], **changes: str) -> Settings:
    return Settings.from_env({**env, "CREDITGRAPH_BACKEND": "neo4j", **changes})


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.neo4j
def test_routing_uri_works_against_the_server(neo4j_env):
    routed = neo4j_env["NEO4J_URI"].replace("bolt://", "neo4j://")
    with open_store(neo4j_settings(neo4j_env, NEO4J_URI=routed)) as store:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
        assert store.version().startswith("Neo4j Kernel 5.26")


@pytest.mark.neo4j
def test_a_read_asked_again_comes_back_packed_with_the_same_rows(neo4j_schema_ready,
                                                                 monkeypatch):
    """A query read before, with a modest answer, is asked again as one record holding its
    rows (``CALL () { ... } RETURN collect(...)``): the same rows in the same order, values
    converted as before; a query that cannot be wrapped (tried so once), one whose answer grew
    past the bound, and one that fails of itself answer (or fail) as they would unwrapped."""
    import datetime as dt

    from creditgraph.graph.backends import neo4j_store

    with open_store(neo4j_settings(neo4j_schema_ready)) as store:
        store.wipe()
        store.write("UNWIND range(1, 7) AS i CREATE (:Enterprise {uscc: 'P' + toString(i), "
                    "name: '企业' + toString(i), established: date('2020-01-0' + toString(i))})")
        query = ("// purpose: a file's header comment\n"
                 "MATCH (e:Enterprise) WHERE e.uscc STARTS WITH $p\n"
                 "RETURN e.uscc AS key, e.established AS day, e {.name} AS node, "
                 "[e.uscc, 1] AS pair ORDER BY key DESC // trailing comment")
        first = store.read(query, {"p": "P"})
        assert store._shapes[query].packed is not None  # learned: asked packed next time
        again = store.read(query, {"p": "P"})
        assert again == first and [row["key"] for row in again] == [f"P{i}" for i in
                                                                    range(7, 0, -1)]
        assert again[0]["day"] == dt.date(2020, 1, 7) and again[0]["node"] == {"name": "企业7"}
        assert store.read(query, {"p": "none"}) == []  # an empty answer, packed
        # an unnamed column cannot be returned from a subquery: read as it is from then on
        unnamed = "MATCH (e:Enterprise) RETURN count(e)"
        assert store.read(unnamed) == [{"count(e)": 7}]
        for _ in range(3):  # tried wrapped once (the first of these), then never again
            assert store.read(unnamed) == [{"count(e)": 7}]
            assert store._shapes[unnamed].packed is None
        # a command is never wrapped; a query that fails fails the same way, packed or not
        assert store.read("SHOW INDEXES YIELD name RETURN name")
        assert store._shapes["SHOW INDEXES YIELD name RETURN name"].packed is None
        broken = "MATCH (e:Enterprise) RETURN e.uscc AS key, 1 / $d AS x"
        assert len(store.read(broken, {"d": 1})) == 7
        with pytest.raises(StoreError, match=r"ArithmeticError|/ by zero|Division"):
            store.read(broken, {"d": 0})
        assert store._shapes[broken].packed is not None  # its own fault, not the wrapping's
        # an answer that grew past the bound is cut on the server, then read streamed
        monkeypatch.setattr(neo4j_store, "PACK_ROWS", 3)
        store._shapes.clear()
        assert [row["key"] for row in store.read(query, {"p": "P1"})] == ["P1"]
        assert "LIMIT 4" in store._shapes[query].packed
        assert store.read(query, {"p": "P"}) == first  # all seven, in order
        assert store._shapes[query].packed is None
        assert store.read(query, {"p": "P"}) == first
        store.wipe()


@pytest.mark.neo4j
def test_wrong_password_is_one_clear_error(neo4j_env):
    with pytest.raises(StoreError, match="refused the credentials of user 'neo4j'"):
        open_store(neo4j_settings(neo4j_env, NEO4J_PASSWORD="not-the-password"))


@pytest.mark.neo4j
def test_unknown_database_is_one_clear_error(neo4j_env):
    with pytest.raises(StoreError, match="has no database 'nosuchdb'"):
        open_store(neo4j_settings(neo4j_env, NEO4J_DATABASE="nosuchdb"))


@pytest.mark.neo4j
def test_unreachable_server_fails_fast():
    settings = Settings.from_env({"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_PASSWORD": "x" * 12,
                                  "NEO4J_URI": f"bolt://127.0.0.1:{closed_port()}"})
    with pytest.raises(StoreUnavailableError, match="cannot reach Neo4j"):
        open_store(settings)


def test_neo4j_settings_are_checked_before_connecting():
    with pytest.raises(SettingsError, match="NEO4J_PASSWORD is not set"):
        open_store(Settings.from_env({"CREDITGRAPH_BACKEND": "neo4j"}))
    with pytest.raises(SettingsError, match="scheme 'http'"):
        Settings.from_env({"CREDITGRAPH_BACKEND": "neo4j", "NEO4J_URI": "http://localhost:7474"})


@pytest.mark.embedded
def test_embedded_store_is_created_and_reopened_with_its_data(tmp_path: Path):
    settings = Settings(store_path=tmp_path / "nested" / "store")
    with open_store(settings) as store:
        store.init_schema()
        store.merge_nodes("Person", [{"pid": "p1", "name": "赵六"}])
    with open_store(settings) as store:
        assert store.read("MATCH (p:Person) RETURN p.name AS n") == [{"n": "赵六"}]


@pytest.mark.embedded
def test_embedded_store_path_that_cannot_be_a_directory(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot use embedded store directory"):
        open_store(Settings(store_path=blocker / "store"))


@pytest.mark.embedded
def test_embedded_store_held_by_another_process_is_reported(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CREDITGRAPH_STORE_WAIT", "1")
    settings = Settings(store_path=tmp_path / "store")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from graph.settings import Settings; from graph.store import open_store;"
         f"s = open_store(Settings(store_path={str(settings.store_path)!r})); s.init_schema();"
         "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailableError, match="in use by another process writing"):
            open_store(settings)
        with pytest.raises(StoreUnavailableError, match="in use by another process writing"):
            open_store(settings, read_only=True)
    finally:
        holder.communicate(timeout=60)


@pytest.mark.embedded
def test_an_older_embedded_store_gains_what_the_schema_added(tmp_path: Path):
    old_raw = {
        "version": 1,
        "nodes": {"Person": {"key": "pid", "properties": {
            "pid": {"type": "string", "required": True}, "name": {"type": "string"}}}},
        "relationships": {"RELATIVE_OF": {"endpoints": [["Person", "Person"]]}},
    }
    settings = Settings(store_path=tmp_path / "store")
    with open_store(settings, parse_schema(old_raw, Path("old.yaml"))) as store:
        store.init_schema()
        store.merge_nodes("Person", [{"pid": "p1", "name": "钱七"}, {"pid": "p2"}])
        store.merge_relationships("RELATIVE_OF", "Person", "Person",
                                  [{"src_key": "p1", "dst_key": "p2"}])
    with open_store(settings, load_schema()) as store:
        applied = store.init_schema()
        assert any("ALTER TABLE `Person` ADD `id_masked`" in s for s in applied)
        assert any("SET r.`period`" in s for s in applied)  # the relation got its period
        store.merge_nodes("Person", [{"pid": "p1", "name": "钱七", "sex": "女"}])
        store.merge_relationships("RELATIVE_OF", "Person", "Person",
                                  [{"src_key": "p1", "dst_key": "p2", "kind": "配偶"},
                                   {"src_key": "p1", "dst_key": "p1", "kind": "本人"}])
        assert store.read("MATCH (p:Person {pid: 'p1'}) RETURN p.name AS n, p.sex AS s") == [
            {"n": "钱七", "s": "女"}]
        assert store.read("MATCH (:Person {pid: 'p1'})-[r:RELATIVE_OF]->(:Person {pid: 'p2'}) "
                          "RETURN r.kind AS k") == [{"k": "配偶"}]  # merged, not doubled
        assert store.init_schema()[-1].startswith("CREATE REL TABLE")  # nothing left to migrate
