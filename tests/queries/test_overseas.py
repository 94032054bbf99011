"""Overseas entities (境外主体) and persons of any document in the queries, joint punishment and
case bags, on both backends. One small hand-built graph, loaded through the real loader:

- 杭州甲 (A, black-listed 失信被执行人) and 杭州乙 (B) share a legal representative, John Smith,
  who holds a US passport: a linked search from B finds A through him;
- 马明 (M, resident ID) holds 60% of Golden Bridge Holdings Ltd (O, Hong Kong), which holds 50%
  of 杭州丙 (C, black-listed 重大税收违法): M owns 30% of C through O, a beneficial owner; the
  tax rule reaching shareholders ≥ 25% reaches O and, through it, M;
- 赵六 and 王五 are named in C's shareholder list without a number (unresolved persons);
- 杭州丁 (D) is the branch of Atlantic Parent Inc. (US).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from creditgraph.casefile.export import export_case
from creditgraph.graph import predicates
from creditgraph.graph.documents import document_key
from creditgraph.graph.identifiers import person_key, resident_id_check_char, uscc_check_char
from creditgraph.graph.store import GraphStore
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.propagation import sanctions
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries import linked, network, ownership, paths, profile, risk
from creditgraph.queries.subjects import Subject, overseas_subject
from tests.shared import SECRET

AS_OF = dt.date(2020, 1, 1)
A, B, C, D = (body + uscc_check_char(body) for body in (
    "91330106MA2QW0001", "91330106MA2QW0002", "91330108MA2QW0003", "91330108MA2QW0004"))
M_ID = "33010619800101123" + resident_id_check_char("33010619800101123")
Q_ID = "33010219750505152" + resident_id_check_char("33010219750505152")
PASSPORT = "X12345678"
HOLDING, PARENT = "OV-HK-0001", "OV-US-0002"
GOLDEN = "Golden Bridge Holdings Ltd（香港）"
RELATIONS = ["source_id", "source_id_type", "source_name", "relation", "target_id", "ratio",
             "start_date"]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def passport_pid() -> str:
    from creditgraph.graph.documents import check_document

    return document_key(check_document(PASSPORT, "passport", "US"), SECRET)


M, P = person_key(M_ID, SECRET), passport_pid()


def feed(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "enterprises.csv", ["uscc", "name", "division", "established"], [
        [A, "杭州甲贸易有限公司", "330106", "2010-01-01"],
        [B, "杭州乙科技有限公司", "330106", "2012-01-01"],
        [C, "杭州丙实业有限公司", "330108", "2014-01-01"],
        [D, "杭州丁分公司", "330108", "2015-01-01"]])
    write_csv(directory / "overseas_entities.csv",
              ["entity_id", "name", "name_zh", "country", "registration_no"], [
                  [HOLDING, "Golden Bridge Holdings Ltd", "金桥控股有限公司", "香港", "CR-1234567"],
                  [PARENT, "Atlantic Parent Inc.", "", "US", "DE-7654321"]])
    write_csv(directory / "persons.csv", ["id_number", "id_type", "nationality", "name"], [
        [PASSPORT, "护照", "US", "John Smith"], [M_ID, "", "", "马明"]])
    write_csv(directory / "relations.csv", RELATIONS, [
        [PASSPORT, "护照", "", "LEGAL_REP_OF", A, "", "2015-01-01"],
        [PASSPORT, "护照", "", "LEGAL_REP_OF", B, "", "2015-01-01"],
        [M_ID, "", "", "SHAREHOLDER_OF", HOLDING, "60%", "2015-01-01"],
        [HOLDING, "", "", "SHAREHOLDER_OF", C, "50%", "2015-01-01"],
        ["", "", "赵六", "SHAREHOLDER_OF", C, "20%", "2015-01-01"],
        ["", "", "王五", "SHAREHOLDER_OF", C, "10%", "2015-01-01"],
        [D, "", "", "BRANCH_OF", PARENT, "", "2015-01-01"]])
    write_csv(directory / "list_entries.csv",
              ["entry_id", "list", "list_type", "subject_code", "subject_name", "reason",
               "authority", "start_date", "status"], [
                  ["OV-B-1", "黑名单", "失信被执行人", A, "杭州甲贸易有限公司", "拒不履行",
                   "杭州市中级人民法院", "2016-06-01", "active"],
                  ["OV-B-2", "黑名单", "重大税收违法", C, "杭州丙实业有限公司", "偷税",
                   "国家税务总局杭州市税务局", "2016-06-01", "active"]])
    return directory


def load(store: GraphStore, directory: Path, report: Path) -> None:
    result = load_directory(directory, StoreWriter(store), store.schema, load_spec(), SECRET,
                            report)
    assert all(f.rejected == 0 for f in result.files), [(f.file, f.rejected)
                                                       for f in result.files]


@pytest.fixture
def graph(store: GraphStore, tmp_path: Path) -> GraphStore:
    load(store, feed(tmp_path / "feed"), tmp_path / "report")
    return store


def enterprise(code: str, name: str) -> Subject:
    return Subject("Enterprise", code, name)


def golden(store: GraphStore) -> Subject:
    found = overseas_subject(store, HOLDING)
    assert found is not None
    return found


def pid_of(store: GraphStore, name: str) -> str:
    return store.read("MATCH (p:Person {name: $n}) RETURN p.pid AS pid", {"n": name})[0]["pid"]


# -- linked-party search and paths -------------------------------------------------------------


def test_a_foreign_legal_representative_links_two_firms(graph):
    frame = linked.linked_dishonesty(graph, enterprise(B, "杭州乙科技有限公司"), 2, AS_OF)
    assert frame[["subject_id", "hops", "path", "path_labels", "path_types",
                  "explanation"]].to_dict("records") == [{
        "subject_id": A, "hops": 2, "path": [B, P, A],
        "path_labels": ["Enterprise", "Person", "Enterprise"],
        "path_types": ["LEGAL_REP_OF", "LEGAL_REP_OF"],
        "explanation": "John Smith是杭州乙科技有限公司的法定代表人；John Smith是杭州甲贸易有限公司的法定代表人"}]


def test_the_search_goes_through_an_overseas_entity_and_names_its_country(graph):
    person = Subject("Person", M, "马明")
    frame = linked.linked_dishonesty(graph, person, 2, AS_OF)
    row = frame.to_dict("records")[0]
    assert (row["subject_id"], row["hops"], row["path"]) == (C, 2, [M, HOLDING, C])
    assert row["path_labels"] == ["Person", "OverseasEntity", "Enterprise"]
    assert row["path_names"] == ["马明", GOLDEN, "杭州丙实业有限公司"]
    assert row["explanation"] == (f"马明持有{GOLDEN} 60.0%股份；"
                                  f"{GOLDEN}持有杭州丙实业有限公司 50.0%股份")
    # one hop from the overseas entity itself, and nothing when the shareholding is left out
    from_o = linked.linked_dishonesty(graph, golden(graph), 1, AS_OF)
    assert list(from_o["subject_id"]) == [C]
    assert linked.linked_dishonesty(graph, person, 2, AS_OF, ("LEGAL_REP_OF",)).empty
    # the scan ranks subjects near a black-listed party, overseas entities among them
    scan = linked.linked_dishonesty_scan(graph, 2, AS_OF)
    assert {(r["label"], r["subject_id"]) for r in scan.to_dict("records")} >= {
        ("OverseasEntity", HOLDING), ("Person", M), ("Person", P), ("Enterprise", B)}
    # an overseas entity has no list entries; asking for them is not an error
    assert linked.entries_in_force(graph, [f"OverseasEntity:{HOLDING}", f"Enterprise:{A}"], "black",
                                   AS_OF).keys() == {f"Enterprise:{A}"}


def test_paths_and_parent_companies_abroad_in_words(graph):
    frame = paths.paths(graph, Subject("Person", M, "马明"), enterprise(C, "杭州丙实业有限公司"),
                        4, AS_OF)
    assert frame[["length", "path_labels"]].to_dict("records") == [
        {"length": 2, "path_labels": ["Person", "OverseasEntity", "Enterprise"]}]
    hop = network.expand(graph, [f"Enterprise:{D}"], predicates.CONTROL_RELATIONS, AS_OF)
    assert [(there, name) for _, there, name, _ in hop] == [
        (f"OverseasEntity:{PARENT}", "Atlantic Parent Inc.（美国）")]
    names = {f"Enterprise:{D}": "杭州丁分公司", f"OverseasEntity:{PARENT}": hop[0][2]}
    assert network.explain(hop[0][3], names) == "杭州丁分公司是Atlantic Parent Inc.（美国）的分支机构"
    with pytest.raises(ValueError, match="not a subject node id"):
        list(network.keyed(["Department:x"]))


def test_risk_ranking_takes_overseas_entities_in(graph):
    frame = risk.risk_rank(graph, top=20, max_hops=2, as_of=AS_OF)
    ranked = dict(zip(frame["subject_id"], frame["label"], strict=True))
    assert ranked[HOLDING] == "OverseasEntity" and ranked[M] == "Person"


# -- ownership ---------------------------------------------------------------------------------


def test_a_mainland_person_owns_a_firm_through_an_overseas_holding(graph):
    frame = ownership.ownership(graph, enterprise(C, "杭州丙实业有限公司"), AS_OF)
    rows = {r["owner_id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {HOLDING, M, pid_of(graph, "赵六"), pid_of(graph, "王五")}
    assert {k: rows[HOLDING][k] for k in ("label", "name", "country", "share", "levels",
                                    "beneficial_owner")} == {
        "label": "OverseasEntity", "name": "Golden Bridge Holdings Ltd", "country": "HK",
        "share": 0.5, "levels": 1, "beneficial_owner": False}
    assert rows[M]["label"] == "Person" and rows[M]["share"] == pytest.approx(0.3)
    assert rows[M]["levels"] == 2 and rows[M]["beneficial_owner"]
    assert pd.isna(rows[M]["country"])  # no country: not an overseas owner
    assert rows[M]["example_chain"] == f"马明 → {GOLDEN} → 杭州丙实业有限公司"
    assert not rows[pid_of(graph, "赵六")]["beneficial_owner"]  # 20%
    # at a higher threshold the 30% through Hong Kong is not enough
    higher = ownership.ownership(graph, enterprise(C, "杭州丙实业有限公司"), AS_OF, 0.35)
    assert not higher[higher["owner_id"] == M]["beneficial_owner"].item()
    # an overseas entity's own owners, as far as the graph records them
    above_o = ownership.ownership(graph, golden(graph), AS_OF)
    assert above_o[["owner_id", "share", "beneficial_owner"]].to_dict("records") == [
        {"owner_id": M, "share": 0.6, "beneficial_owner": True}]
    with pytest.raises(Exception, match="asked of an enterprise"):
        ownership.ownership(graph, Subject("Person", M, "马明"), AS_OF)


def test_the_holdings_the_ownership_chart_draws(graph):
    """Every owner the penetration lists is an owner in the holdings, with its direct share."""
    firm = enterprise(C, "杭州丙实业有限公司")
    rows = ownership.holdings(graph, firm, AS_OF)
    direct = {(network.split_id(r["owner"])[1], network.split_id(r["owned"])[1]): r["ratio"]
              for r in rows}
    assert direct[(HOLDING, C)] == pytest.approx(0.5)
    assert direct[(M, HOLDING)] == pytest.approx(0.6)
    listed = set(ownership.ownership(graph, firm, AS_OF)["owner_id"])
    assert listed == {network.split_id(r["owner"])[1] for r in rows}
    assert {r["label"] for r in rows if network.split_id(r["owner"])[1] == HOLDING} == {
        "OverseasEntity"}
    with pytest.raises(Exception, match="asked of an enterprise"):
        ownership.holdings(graph, Subject("Person", M, "马明"), AS_OF)


# -- profiles and subjects ---------------------------------------------------------------------


def test_an_overseas_entity_is_a_subject_with_a_credit_file(graph):
    assert golden(graph) == Subject("OverseasEntity", HOLDING, GOLDEN)
    assert overseas_subject(graph, f"  {HOLDING} ") == golden(graph)
    assert overseas_subject(graph, "ＯＶ－ＨＫ－０００１") == golden(graph)  # typed full-width
    assert overseas_subject(graph, "OV-XX-9999") is None
    assert overseas_subject(graph, A) is None  # a USCC is no entity id
    propagate(graph, load_rules(), AS_OF)
    file = profile.profile(graph, golden(graph), AS_OF)
    identity = file["identity"].to_dict("records")
    assert identity == [{"entity_id": HOLDING, "name": "Golden Bridge Holdings Ltd",
                         "name_zh": "金桥控股有限公司", "country": "HK",
                         "registration_no": "CR-1234567", "country_name": "香港",
                         "display_name": GOLDEN}]
    assert all(file[s].empty for s in ("entries", "penalties", "licenses", "commitments"))
    assert sorted(file["relations"]["explanation"]) == [
        f"{GOLDEN}持有杭州丙实业有限公司 50.0%股份", f"马明持有{GOLDEN} 60.0%股份"]
    measures = file["sanctions"]
    assert set(measures["measure"]) >= {"限制出境", "限制高消费"}
    assert set(measures["entry_id"]) == {"OV-B-2"}


def test_a_persons_file_names_the_document_and_nationality_in_chinese(graph):
    smith = profile.profile(graph, Subject("Person", P, "John Smith"), AS_OF)["identity"]
    row = smith.to_dict("records")[0]
    assert {k: row[k] for k in ("id_type", "id_type_name", "id_masked", "nationality",
                                "nationality_name")} == {
        "id_type": "passport", "id_type_name": "护照", "id_masked": "X******78",
        "nationality": "US", "nationality_name": "美国"}
    assert PASSPORT not in json.dumps(smith.to_dict("records"), default=str)
    ma = profile.profile(graph, Subject("Person", M, "马明"), AS_OF)["identity"]
    row = ma.to_dict("records")[0]
    assert (row["id_type_name"], row["id_masked"], row["nationality_name"]) == (
        "居民身份证", M_ID[:6] + "********" + M_ID[-4:], "中国")
    assert "birth_year" not in ma.columns and "1980" not in json.dumps(
        ma.to_dict("records"), default=str)
    assert row["identification"] == "已识别（证件号码）"


def test_an_unresolved_shareholder_says_so_and_whom_it_was_resolved_to(graph, tmp_path):
    zhao = pid_of(graph, "赵六")
    row = profile.profile(graph, Subject("Person", zhao, "赵六"), AS_OF)["identity"].to_dict(
        "records")[0]
    assert row["unresolved"] is True and row["scope"] == C
    assert row["scope_name"] == "杭州丙实业有限公司"
    assert row["identification"] == (f"未识别：仅有姓名，仅限于杭州丙实业有限公司（{C}）的记录，"
                                     "不按姓名合并")
    assert row["resolved_to"] is None
    # a later feed gives 王五's number with the name: the placeholder is resolved
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later / "persons.csv", ["id_number", "name"], [[Q_ID, "王五"]])
    write_csv(later / "relations.csv", RELATIONS,
              [[Q_ID, "", "王五", "SHAREHOLDER_OF", C, "10%", "2015-01-01"]])
    placeholder = pid_of_unresolved(graph, "王五")
    load(graph, later, tmp_path / "report-later")
    row = profile.profile(graph, Subject("Person", placeholder, "王五"), AS_OF)[
        "identity"].to_dict("records")[0]
    assert row["resolved_to"] == person_key(Q_ID, SECRET)
    assert row["resolved_to_name"] == "王五" and "relations.csv" in row["resolved_by"]
    assert row["identification"].endswith(f"；已识别为王五（{row['resolved_by']}）")


def test_a_load_killed_between_resolving_and_superseding_is_finished_by_its_rerun(graph,
                                                                                  tmp_path):
    """The state a load killed after writing a resolution but before superseding leaves: the
    placeholder says whom it is, its relation still counts. The rerun must finish the job."""
    placeholder = pid_of_unresolved(graph, "王五")
    graph.write("MATCH (p:Person {pid: $pid}) SET p.resolved_to = $to",
                {"pid": placeholder, "to": person_key(Q_ID, SECRET)})
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later / "persons.csv", ["id_number", "name"], [[Q_ID, "王五"]])
    write_csv(later / "relations.csv", RELATIONS,
              [[Q_ID, "", "王五", "SHAREHOLDER_OF", C, "10%", "2015-01-01"]])
    load(graph, later, tmp_path / "report-later")
    held = graph.read("MATCH (p:Person {pid: $pid})-[r:SHAREHOLDER_OF]->() "
                      "RETURN r.ended_by AS ended_by", {"pid": placeholder})
    assert [row["ended_by"] for row in held] == ["resolved"]
    counting = graph.read("MATCH (p:Person {name: $n})-[r:SHAREHOLDER_OF]->(c:Enterprise "
                          "{uscc: $c}) WHERE r.end_date IS NULL RETURN p.pid AS pid",
                          {"n": "王五", "c": C})
    assert [row["pid"] for row in counting] == [person_key(Q_ID, SECRET)]  # 10 %, once


def pid_of_unresolved(store: GraphStore, name: str) -> str:
    return store.read("MATCH (p:Person {name: $n}) WHERE p.unresolved = true "
                      "RETURN p.pid AS pid", {"n": name})[0]["pid"]


# -- joint punishment --------------------------------------------------------------------------


def test_a_tax_rule_reaches_an_overseas_shareholder_and_the_person_behind_it(graph, tmp_path):
    report = propagate(graph, load_rules(), AS_OF)
    assert report.created > 0
    on_o = sanctions.subject_sanctions(graph, golden(graph), AS_OF)
    tax = on_o[on_o["measure"] == "限制出境"].to_dict("records")
    assert [(r["entry_id"], r["hops"], r["rule"]) for r in tax] == [
        ("OV-B-2", 1, "major-tax-violation-controllers")]
    assert tax[0]["path"] == [f"Enterprise:{C}", f"OverseasEntity:{HOLDING}"]
    assert tax[0]["path_text"] == f"{GOLDEN}持有杭州丙实业有限公司 50.0%股份"
    on_m = sanctions.subject_sanctions(graph, Subject("Person", M, "马明"), AS_OF)
    assert on_m[on_m["measure"] == "限制出境"][["hops", "path"]].to_dict("records") == [
        {"hops": 2, "path": [f"Enterprise:{C}", f"OverseasEntity:{HOLDING}", f"Person:{M}"]}]
    zhao = Subject("Person", pid_of(graph, "赵六"), "赵六")  # 20%: below the rule's 25%
    assert sanctions.subject_sanctions(graph, zhao, AS_OF).empty
    # the foreign legal representative of the court debtor is restricted too
    on_p = sanctions.subject_sanctions(graph, Subject("Person", P, "John Smith"), AS_OF)
    assert ("限制高消费", "OV-B-1") in set(zip(on_p["measure"], on_p["entry_id"], strict=True))
    # written back: APPLIES_TO an OverseasEntity node; read back by measure, named
    assert graph.read("MATCH (s:Sanction)-[:APPLIES_TO]->(o:OverseasEntity) "
                      "WHERE s.measure = $m RETURN o.entity_id AS o", {"m": "限制出境"}) == [
        {"o": HOLDING}]
    who = sanctions.restricted(graph, "限制出境", AS_OF)
    assert (f"OverseasEntity:{HOLDING}", "Golden Bridge Holdings Ltd") in set(
        zip(who["subject_id"], who["name"], strict=True))
    why = sanctions.explain(graph, golden(graph), "限制出境", AS_OF)
    assert len(why) == 1 and GOLDEN in why[0] and "重大税收违法" in why[0]
    # a second run changes nothing
    again = propagate(graph, load_rules(), AS_OF)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)

    # incremental: a new shareholder of the overseas entity is restricted by the next run
    since = dt.datetime.now(dt.UTC)
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later / "persons.csv", ["id_number", "name"], [[Q_ID, "钱七"]])
    write_csv(later / "relations.csv", RELATIONS,
              [[Q_ID, "", "", "SHAREHOLDER_OF", HOLDING, "30%", "2015-01-01"]])
    load(graph, later, tmp_path / "report-later")
    step = propagate(graph, load_rules(), AS_OF, changed_since=since)
    assert step.mode == "incremental" and step.created > 0
    qian = Subject("Person", person_key(Q_ID, SECRET), "钱七")
    on_q = sanctions.subject_sanctions(graph, qian, AS_OF)
    assert set(on_q["measure"]) == {"限制出境", "限制高消费"} and set(on_q["hops"]) == {2}


# -- case bags ---------------------------------------------------------------------------------


def test_a_case_bag_names_overseas_entities_and_documents(graph, tmp_path, fresh_audit_log):
    propagate(graph, load_rules(), AS_OF)
    chosen = [enterprise(C, "杭州丙实业有限公司"), golden(graph),
              Subject("Person", P, "John Smith"), enterprise(B, "杭州乙科技有限公司")]
    case, _ = export_case(graph, chosen, AS_OF, 2, "境外-1", tmp_path / "bag")
    data = tmp_path / "bag" / "data"
    evidence = json.loads((data / "evidence.json").read_text(encoding="utf-8"))
    schema = json.loads((data / "evidence.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(evidence, schema)

    subjects = {s["id"]: s for s in evidence["subjects"]}
    assert {k: subjects[f"OverseasEntity:{HOLDING}"][k] for k in ("label", "code", "country",
                                                            "country_name", "name")} == {
        "label": "OverseasEntity", "code": HOLDING, "country": "HK", "country_name": "香港",
        "name": GOLDEN}
    smith = subjects[f"Person:{P}"]
    assert (smith["code"], smith["document_type_name"], smith["nationality_name"]) == (
        "X******78", "护照", "美国")
    nodes = {n["id"]: n for n in evidence["nodes"]}
    assert (nodes[f"OverseasEntity:{HOLDING}"]["country"],
            nodes[f"OverseasEntity:{HOLDING}"]["country_name"]) == ("HK", "香港")
    assert (nodes[f"Person:{P}"]["id_type_name"], nodes[f"Person:{P}"]["id_masked"]) == (
        "护照", "X******78")
    assert nodes[f"Person:{pid_of(graph, '赵六')}"]["unresolved"] is True
    assert {"source": f"OverseasEntity:{HOLDING}", "target": f"Enterprise:{C}",
            "type": "SHAREHOLDER_OF", "source_name": GOLDEN, "target_name": "杭州丙实业有限公司",
            "ratio": 0.5, "role": None, "kind": None} in evidence["relations"]
    # linked-dishonesty paths carry each node's own label, whatever its key looks like
    from_b = [r for r in evidence["linked_dishonesty"] if r["subject_id"] == f"Enterprise:{B}"]
    assert from_b[0]["path"] == [f"Enterprise:{B}", f"Person:{P}", f"Enterprise:{A}"]
    from_o = [r for r in evidence["linked_dishonesty"]
              if r["subject_id"] == f"OverseasEntity:{HOLDING}"]
    assert [r["party_id"] for r in from_o] == [f"Enterprise:{C}"]
    owners = {(r["subject_id"], r["owner_id"]): r for r in evidence["ownership"]}
    assert owners[(f"Enterprise:{C}", M)]["beneficial_owner"]
    assert owners[(f"Enterprise:{C}", HOLDING)]["country"] == "HK"
    assert owners[(f"OverseasEntity:{HOLDING}", M)]["share"] == 0.6
    assert any(r["subject_id"] == f"OverseasEntity:{HOLDING}" and r["measure"] == "限制出境"
               for r in evidence["sanctions"])

    graphml = (data / "network.graphml").read_text(encoding="utf-8")
    assert f"OverseasEntity:{HOLDING}" in graphml and "香港" in graphml and "护照" in graphml
    svg = (data / "network.svg").read_text(encoding="utf-8")
    assert "<rect x=" in svg and "方形：境外主体" in svg and "香港 HK" in svg
    html = (data / "report.html").read_text(encoding="utf-8")
    assert "境外主体 Overseas entity · 香港 (HK) · OV-HK-0001" in html
    assert "自然人 Person · 护照 X******78 · 国籍 美国" in html
    assert "birth_year" not in json.dumps(evidence) and PASSPORT not in json.dumps(evidence)
    assert case.findings()  # the linked party and the measures are findings

