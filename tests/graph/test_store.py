"""The store interface on both real backends: round trips, merging, atomic batches, counts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from creditgraph.graph import ddl
from creditgraph.graph.errors import SchemaError, StoreError
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, Merge, open_store

USCC_A = "91330100799655058B"
USCC_B = "91110000600037341L"
HOSTILE = "测试'}) MATCH (n) DETACH DELETE n // `x` {y} \"z\" <script>alert(1)</script>"


def enterprises(store: GraphStore) -> dict[str, dict]:
    rows = store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS uscc, e.name AS name, e.established AS est, "
        "e.registered_capital AS capital, e.updated_at AS updated ORDER BY uscc"
    )
    return {row["uscc"]: row for row in rows}


def test_nodes_and_relationships_round_trip_with_chinese_text_and_dates(store: GraphStore):
    loaded_at = dt.datetime(2016, 3, 28, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    store.merge_nodes("Enterprise", [
        {"uscc": USCC_A, "name": "杭州西湖龙井茶业有限公司", "established": dt.date(1998, 2, 28),
         "registered_capital": 500, "updated_at": loaded_at},
    ])
    store.merge_nodes("Person", [
        {"pid": "p-zhang", "name": "张三", "birth_year": 1975, "sex": "男",
         "is_civil_servant": False},
    ])
    store.merge_nodes("Sanction", [
        {"sanction_id": "s1", "measure": "限制高消费", "departments": ["市法院", "市发改委"],
         "path": ["p-zhang", USCC_A]},
    ])
    written = store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
        {"src_key": "p-zhang", "dst_key": USCC_A, "ratio": 0.35,
         "start_date": dt.date(2010, 1, 4), "source": "股东名册.xlsx"},
    ])
    assert written == 1

    got = enterprises(store)[USCC_A]
    assert got["name"] == "杭州西湖龙井茶业有限公司"
    assert got["est"] == dt.date(1998, 2, 28)
    assert got["capital"] == 500.0
    assert got["updated"] == loaded_at  # same instant, returned in UTC
    assert got["updated"].utcoffset() == dt.timedelta(0)

    rel = store.read(
        "MATCH (p:Person {pid: $pid})-[r:SHAREHOLDER_OF]->(e:Enterprise) "
        "RETURN p.name AS person, r.ratio AS ratio, r.start_date AS since, r.end_date AS until, "
        "r.source AS source, e.uscc AS uscc",
        {"pid": "p-zhang"},
    )
    assert rel == [{"person": "张三", "ratio": 0.35, "since": dt.date(2010, 1, 4), "until": None,
                    "source": "股东名册.xlsx", "uscc": USCC_A}]
    sanction = store.read("MATCH (s:Sanction) RETURN s.departments AS d, s.path AS p")
    assert sanction == [{"d": ["市法院", "市发改委"], "p": ["p-zhang", USCC_A]}]
    node = store.read("MATCH (p:Person) RETURN p")[0]["p"]
    assert node == {"pid": "p-zhang", "name": "张三", "birth_year": 1975, "sex": "男",
                    "is_civil_servant": False}


def test_a_duplicate_key_merges_instead_of_duplicating(store: GraphStore):
    store.merge_nodes("Enterprise", [{"uscc": USCC_A, "name": "旧名称", "phone": "0571-1"}])
    store.merge_nodes("Enterprise", [
        {"uscc": USCC_A, "name": "新名称"},            # phone absent: kept as it was
        {"uscc": USCC_B, "name": "北京某公司"},
        {"uscc": USCC_B, "name": "北京某公司（更正）"},  # repeated in one batch: later wins
    ])
    rows = store.read("MATCH (e:Enterprise) RETURN e.uscc AS u, e.name AS n, e.phone AS p "
                      "ORDER BY u")
    assert rows == [
        {"u": USCC_B, "n": "北京某公司（更正）", "p": None},
        {"u": USCC_A, "n": "新名称", "p": "0571-1"},
    ]
    store.merge_nodes("Person", [{"pid": "p1", "name": "李四"}])
    for ratio in (0.2, 0.4):
        store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise",
                                  [{"src_key": "p1", "dst_key": USCC_A, "ratio": ratio}])
    assert store.relationship_counts()["SHAREHOLDER_OF"] == 1
    assert store.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN r.ratio AS r") == [{"r": 0.4}]


def test_relationship_rows_without_both_endpoints_write_nothing_and_are_counted(store):
    store.merge_nodes("Person", [{"pid": "p1", "name": "王五"}])
    store.merge_nodes("Enterprise", [{"uscc": USCC_A, "name": "甲公司"}])
    written = store.merge_relationships("LEGAL_REP_OF", "Person", "Enterprise", [
        {"src_key": "p1", "dst_key": USCC_A},
        {"src_key": "p-missing", "dst_key": USCC_A},
        {"src_key": "p1", "dst_key": USCC_B},
    ])
    assert written == 1
    assert store.relationship_counts()["LEGAL_REP_OF"] == 1


def test_a_failing_write_group_leaves_nothing_behind(store: GraphStore):
    with pytest.raises(StoreError):
        store.write_all([
            ("CREATE (e:Enterprise {uscc: $u, name: $n})", {"u": USCC_A, "n": "先写入的"}),
            ("CREATE (e:Enterprise {uscc: $u, name: $n})", {"u": USCC_A, "n": "违反唯一键"}),
        ])
    assert store.node_counts()["Enterprise"] == 0
    with pytest.raises(StoreError):
        store.write("UNWIND $rows AS row CREATE (:Person {pid: row.pid, name: row.name})",
                    {"rows": [{"pid": "a", "name": "甲"}, {"pid": "b", "name": "乙"},
                              {"pid": "a", "name": "重复"}]})
    assert store.node_counts()["Person"] == 0
    # the store is still usable afterwards
    store.merge_nodes("Person", [{"pid": "a", "name": "甲"}])
    assert store.node_counts()["Person"] == 1


def test_a_batch_with_a_bad_row_is_refused_before_anything_is_written(store: GraphStore):
    rows = [{"uscc": USCC_A, "name": "好的"}, {"uscc": USCC_B, "name": "坏的",
                                               "established": "2016-03-28"}]
    with pytest.raises(SchemaError, match=r"Enterprise batch row 2: property 'established' "
                                          r"must be date"):
        store.merge_nodes("Enterprise", rows)
    with pytest.raises(SchemaError, match="required property 'name' is missing"):
        store.merge_nodes("Enterprise", [{"uscc": USCC_A}])
    with pytest.raises(SchemaError, match="unknown property 'colour'"):
        store.merge_nodes("Enterprise", [{"uscc": USCC_A, "name": "x", "colour": "red"}])
    assert store.node_counts()["Enterprise"] == 0


def test_merges_together_are_written_in_order_and_refused_whole_on_a_bad_row(
        store: GraphStore, monkeypatch: pytest.MonkeyPatch):
    """merge_together: what an earlier merge wrote is there for the later ones; a bad row in
    any merge is refused before anything is written; Neo4j writes them all in one
    transaction, and merges larger than a batch one after the other."""
    transactions: list[int] = []
    write_all = store.write_all
    monkeypatch.setattr(store, "write_all",
                        lambda statements: transactions.append(len(statements))
                        or write_all(statements))
    store.merge_together([
        Merge.nodes("Person", [{"pid": "p1", "name": "王五"}]),
        Merge.nodes("Enterprise", [{"uscc": USCC_A, "name": "甲公司"}]),
        Merge.relationships("LEGAL_REP_OF", "Person", "Enterprise", [
            {"src_key": "p1", "dst_key": USCC_A}, {"src_key": "p-missing", "dst_key": USCC_A}]),
        Merge.nodes("Person", []),
        Merge.nodes("Person", [{"pid": "p1", "name": "王五（更名）"}]),
    ])
    assert store.relationship_counts()["LEGAL_REP_OF"] == 1
    assert store.read("MATCH (p:Person) RETURN p.name AS name") == [{"name": "王五（更名）"}]
    if store.backend == "neo4j":  # the embedded store writes a node batch in its own way
        assert transactions == [4]
    with pytest.raises(SchemaError, match="Enterprise batch row 1: property 'established'"):
        store.merge_together([
            Merge.nodes("Person", [{"pid": "p2", "name": "赵六"}]),
            Merge.nodes("Enterprise", [{"uscc": USCC_B, "name": "乙",
                                        "established": "2016-03-28"}])])
    with pytest.raises(SchemaError, match="unknown relationship type"):
        store.merge_together([Merge.nodes("Person", [{"pid": "p3", "name": "钱七"}]),
                              Merge.relationships("KNOWS", "Person", "Person", [])])
    counts = store.node_counts()
    assert (counts["Person"], counts["Enterprise"]) == (1, 1)
    monkeypatch.setattr(store, "settings", dataclasses.replace(store.settings, batch_size=5))
    with pytest.raises(SchemaError, match="required property 'name' is missing"):
        store.merge_together([Merge.nodes("Person", [{"pid": f"r{i:02}", "name": "甲"}
                                                     for i in range(12)]),
                              Merge.nodes("Enterprise", [{"uscc": USCC_B}])])
    assert store.node_counts()["Person"] == 1
    transactions.clear()
    store.merge_together([Merge.nodes("Person", [{"pid": f"q{i:02}", "name": f"人员{i}"}
                                                 for i in range(12)])])
    assert store.node_counts()["Person"] == 13
    if store.backend == "neo4j":
        assert transactions == [1, 1, 1]


def test_batches_are_written_in_order_and_progress_is_reported(store: GraphStore):
    done: list[int] = []
    rows = [{"pid": f"p{i:03}", "name": f"人员{i}"} for i in range(25)]
    assert store.merge_nodes("Person", rows, batch_size=10, progress=done.append) == 25
    assert done == [10, 10, 5]
    assert store.node_counts()["Person"] == 25


def test_names_only_come_from_the_schema_and_values_stay_data(store: GraphStore):
    with pytest.raises(SchemaError, match="unknown node label"):
        store.merge_nodes("Enterprise`) DETACH DELETE n //", [{"uscc": USCC_A, "name": "x"}])
    with pytest.raises(SchemaError, match="unknown relationship type"):
        store.merge_relationships("KNOWS", "Person", "Person", [])
    with pytest.raises(SchemaError, match="does not connect Enterprise to Person"):
        store.merge_relationships("LEGAL_REP_OF", "Enterprise", "Person", [])
    store.merge_nodes("Enterprise", [{"uscc": USCC_A, "name": HOSTILE, "address": "{{7*7}}"}])
    assert enterprises(store)[USCC_A]["name"] == HOSTILE
    assert store.node_counts()["Enterprise"] == 1


def test_init_twice_is_harmless_and_keeps_data(store: GraphStore):
    store.merge_nodes("Department", [{"code": "11330100002482125A", "name": "杭州市发改委"}])
    first = store.init_schema()
    second = store.init_schema()
    assert first and second
    assert store.node_counts()["Department"] == 1


def test_status_counts_every_label_and_type(store: GraphStore):
    store.merge_nodes("Person", [{"pid": f"p{i}", "name": f"人{i}"} for i in range(3)])
    store.merge_nodes("Enterprise", [{"uscc": USCC_A, "name": "甲"},
                                     {"uscc": USCC_B, "name": "乙"}])
    store.merge_relationships("EXECUTIVE_OF", "Person", "Enterprise", [
        {"src_key": "p0", "dst_key": USCC_A, "role": "监事"},
        {"src_key": "p1", "dst_key": USCC_A, "role": "总经理"},
    ])
    store.merge_relationships("BRANCH_OF", "Enterprise", "Enterprise",
                              [{"src_key": USCC_B, "dst_key": USCC_A}])
    status = store.status()
    assert status.backend == store.backend
    assert set(status.nodes) == set(store.schema.labels)
    assert set(status.relationships) == set(store.schema.relationship_types)
    assert {k: v for k, v in status.nodes.items() if v} == {"Person": 3, "Enterprise": 2}
    assert {k: v for k, v in status.relationships.items() if v} == {"EXECUTIVE_OF": 2,
                                                                    "BRANCH_OF": 1}
    assert status.version


def test_wipe_empties_the_store_but_keeps_the_schema(store: GraphStore):
    store.merge_nodes("Person", [{"pid": "p1", "name": "甲"}, {"pid": "p2", "name": "乙"}])
    store.merge_relationships("RELATIVE_OF", "Person", "Person",
                              [{"src_key": "p1", "dst_key": "p2", "kind": "配偶"}])
    store.wipe()
    assert sum(store.node_counts().values()) == 0
    assert sum(store.relationship_counts().values()) == 0
    store.merge_nodes("Person", [{"pid": "p1", "name": "甲"}])  # tables / constraints remain
    assert store.node_counts()["Person"] == 1


def test_a_reopened_store_keeps_its_data_and_goes_on_writing(store: GraphStore):
    store.merge_nodes("Person", [{"pid": "p1", "name": "甲"}])
    store.reopen()
    store.merge_nodes("Person", [{"pid": "p2", "name": "乙"}])
    store.merge_relationships("RELATIVE_OF", "Person", "Person",
                              [{"src_key": "p1", "dst_key": "p2", "kind": "配偶"}])
    assert store.node_counts()["Person"] == 2
    assert store.relationship_counts()["RELATIVE_OF"] == 1


def test_query_errors_name_the_problem(store: GraphStore):
    with pytest.raises(StoreError, match="refused the statement"):
        store.read("MATCH (n:Enterprise RETURN n")


def test_schema_problems_name_what_init_has_not_made(store, tmp_path):
    """/readyz rests on this: empty on an initialised store; otherwise one line per missing
    table (embedded) or constraint and index (Neo4j), naming it."""
    assert store.schema_problems() == []
    if store.backend == "neo4j":
        name, what = next((n, w) for n, w in ddl.neo4j_names(store.schema).items()
                          if w.startswith("index"))
        store.write(f"DROP INDEX {name}")  # a name from graph/schema.yaml, not user input
        try:
            assert store.schema_problems() == [f"{what} missing ({name}): run `creditgraph init`"]
        finally:
            store.init_schema()
        assert store.schema_problems() == []
    else:
        with open_store(Settings(backend="embedded", store_path=tmp_path / "bare")) as bare:
            problems = bare.schema_problems()
        assert "label Enterprise missing: run `creditgraph init`" in problems
        assert len(problems) == len(store.schema.labels) + len(store.schema.relationship_types)


@pytest.mark.parametrize("one_end", [False, True])
def test_relationships_between_pairs_answer_the_pairs_asked_and_nothing_else(
        store: GraphStore, monkeypatch: pytest.MonkeyPatch, one_end: bool):
    """Both ways of reading pairs (each pair keyed at both ends; one end keyed and the pairs
    kept in Python) give the same rows on both engines: a pair held in two periods twice, a
    pair not joined never, another relation of an asked node never."""
    monkeypatch.setattr(store.dialect, "pairs_from_one_end", one_end)
    store.merge_nodes("Person", [{"pid": f"p{i}", "name": f"人{i}"} for i in range(3)])
    store.merge_nodes("Enterprise", [{"uscc": f"E{i}", "name": f"企{i}"} for i in range(3)])
    early, late = dt.date(2015, 1, 1), dt.date(2021, 1, 1)
    store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
        {"src_key": "p0", "dst_key": "E0", "period": early, "end_date": dt.date(2018, 1, 1)},
        {"src_key": "p0", "dst_key": "E0", "period": late},
        {"src_key": "p0", "dst_key": "E1", "period": early},  # p0's, not asked
        {"src_key": "p1", "dst_key": "E0", "period": early},  # E0's, not asked
        {"src_key": "p2", "dst_key": "E2", "period": late},
    ])
    asked = [("p0", "E0"), ("p2", "E2"), ("p1", "E2"), ("p9", "E0"), ("p2", "E2")]
    rows = store.relationships_between("SHAREHOLDER_OF", "Person", "Enterprise", asked,
                                       ("period", "end_date"))
    assert sorted((r["src_key"], r["dst_key"], r["period"], r["end_date"]) for r in rows) == [
        ("p0", "E0", early, dt.date(2018, 1, 1)), ("p0", "E0", late, None),
        ("p2", "E2", late, None)]
    # fewer sources than targets: read from the sources' end on the embedded engine
    rows = store.relationships_between("SHAREHOLDER_OF", "Person", "Enterprise",
                                       [("p0", "E0"), ("p0", "E2")], ("period",))
    assert sorted((r["dst_key"], r["period"]) for r in rows) == [("E0", early), ("E0", late)]
    assert store.relationships_between("SHAREHOLDER_OF", "Person", "Enterprise", []) == []
    with pytest.raises(SchemaError):
        store.relationships_between("SHAREHOLDER_OF", "Person", "Enterprise", asked,
                                    ("name) RETURN 1 //",))
