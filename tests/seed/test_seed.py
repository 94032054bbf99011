"""The synthetic data: deterministic, valid except where dirty on purpose, and every planted case
findable after loading (on both backends)."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
import re
from pathlib import Path

import pytest

from creditgraph.graph.countries import country_code
from creditgraph.graph.documents import check_document, document_key, document_type
from creditgraph.graph.identifiers import (
    check_reg_no,
    check_uscc,
    normalize_code,
    person_key,
)
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.policy import workdays
from creditgraph.queries import linked, ownership
from creditgraph.queries.subjects import resolve
from creditgraph.seed.generator import FILES, generate
from tests.shared import SECRET

ENTERPRISES = 1500
AS_OF = dt.date(2026, 11, 1)
REGISTER_SHAPES = {"HK": r"[1-3]\d{6}", "SG": r"(199[5-9]|20[0-2]\d)\d{5}[A-Z]",
                   "KR": r"1101\d{2}-\d{7}", "JP": r"\d{13}", "TW": r"\d{8}", "US": r"\d{7}"}
NON_RESIDENT = ("passport", "hk_macao_permit", "taiwan_permit", "hmt_residence",
                "foreign_permanent")


SEED = {"enterprises": ENTERPRISES, "seed": 7, "dirty_rate": 0.05}  # the module's data set (conftest.py: seed_dir)


def answers(directory: Path) -> dict:
    return json.loads((directory / "answers.json").read_text(encoding="utf-8"))


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def document(number: str, type_word: str, nationality: str = ""):  # type: ignore[no-untyped-def]
    """A document as the loader checks it: the 证件类型 word, when given, decides the type."""
    return check_document(number, document_type(type_word) if type_word else None,
                          nationality or None)


def pid(number: str, doc_type: str) -> str:
    return document_key(check_document(number, doc_type), SECRET)


def test_same_arguments_give_identical_bytes(seed_dir, tmp_path):
    again = tmp_path / "again"
    generate(again, ENTERPRISES, seed=7, dirty_rate=0.05)
    names = [f"{name}.csv" for name in FILES] + ["answers.json"]
    _, mismatch, errors = filecmp.cmpfiles(seed_dir, again, names, shallow=False)
    assert mismatch == [] and errors == []
    other = tmp_path / "other"
    generate(other, ENTERPRISES, seed=8, dirty_rate=0.05)
    assert not filecmp.cmp(seed_dir / "enterprises.csv", other / "enterprises.csv",
                           shallow=False)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 50"):
        generate(tmp_path, 10)
    with pytest.raises(ValueError, match="dirty rate"):
        generate(tmp_path, 100, dirty_rate=0.5)


def test_codes_are_valid_except_the_deliberately_dirty_ones(seed_dir):
    dirty = answers(seed_dir)["dirty"]
    bad = {d["uscc"] for d in dirty["bad_check_uscc"]}
    assert bad, "the dirty rate should have produced some bad check characters"
    flagged = {d["line"] for d in dirty["flagged_documents"]}
    seen_bad, seen_flagged = set(), set()
    for line, row in enumerate(rows(seed_dir, "enterprises"), 2):
        code = normalize_code(row["uscc"])
        result = check_uscc(code)
        if code in bad:
            assert result.severity == "warning" and "check character" in result.reason
            seen_bad.add(code)
        else:
            assert result.valid, (code, result.reason)
        rep = document(row["legal_rep_id"], row["legal_rep_id_type"],
                       row["legal_rep_nationality"])
        if line in flagged:
            assert not rep.valid
            seen_flagged.add(line)
        else:
            assert rep.valid, (line, rep.reason)
        if row["reg_no"]:
            assert check_reg_no(row["reg_no"]).valid
        assert row["division"] == code[2:8]
    assert seen_bad == bad and seen_flagged == flagged
    invalid = {d["line"]: d["problem"] for d in dirty["invalid_rows"]
               if d["file"] == "persons.csv"}
    assert len(set(invalid.values())) == 8  # each kind of bad document number
    types = set()
    for line, row in enumerate(rows(seed_dir, "persons"), 2):
        check = document(row["id_number"], row["id_type"], row["nationality"])
        assert check.valid == (line not in invalid), (line, row["id_type"], check.reason)
        types.add(check.doc_type or "resident_id")
        if check.valid and not row["id_type"]:  # left empty only where the shape tells it
            assert check.kind == "resident_id" or check.doc_type in NON_RESIDENT
    assert types >= {"resident_id", *NON_RESIDENT}
    divisions = {normalize_code(r["uscc"])[2:8] for r in rows(seed_dir, "enterprises")}
    assert {"330103", "330104", "330185"} <= divisions  # the 2016 districts, as registered then
    names = [r["name"] for r in rows(seed_dir, "enterprises")]
    duplicates = {d["line"] for d in dirty["duplicate_rows"]}
    assert len(set(names)) == len(names) - len(duplicates)
    assert all(n.startswith("杭州") for n in names)


def test_foreign_documents_and_overseas_entities_look_real(seed_dir):
    truth = answers(seed_dir)
    dirty = {d["line"] for d in truth["dirty"]["invalid_rows"]
             if d["file"] == "overseas_entities.csv"}
    entities = [e for line, e in enumerate(rows(seed_dir, "overseas_entities"), 2)
                if line not in dirty]
    assert len({e["entity_id"] for e in entities}) == len(entities)
    written = {e["country"] for e in entities}
    assert "中国香港" in written and {"US", "JP"} & written  # Chinese names and codes alike
    assert {country_code(c) for c in written} >= {"HK", "VG", "SG", "US", "JP", "KR", "TW"}
    for e in entities:  # each register's own number format
        shape = REGISTER_SHAPES.get(country_code(e["country"]))
        assert shape is None or re.fullmatch(shape, e["registration_no"]), e
    assert any(e["name"].endswith("株式会社") or e["name"].startswith("주식회사")
               for e in entities)
    assert sum(bool(e["name_zh"]) for e in entities) > len(entities) / 3
    # a non-mainland person is the same (document, name) wherever they appear
    people: dict[tuple[str, str], str] = {}
    for row in rows(seed_dir, "persons"):
        check = document(row["id_number"], row["id_type"], row["nationality"])
        if check.valid and check.doc_type in NON_RESIDENT:
            people[(check.doc_type, check.normalized)] = row["name"]
    reps = [(document(r["legal_rep_id"], r["legal_rep_id_type"], r["legal_rep_nationality"]),
             r["legal_rep_name"]) for r in rows(seed_dir, "enterprises")]
    foreign_reps = [(c.doc_type, c.normalized, name) for c, name in reps
                    if c.valid and c.doc_type in NON_RESIDENT]
    assert len(foreign_reps) > ENTERPRISES * 0.015  # ~2.8% less the mistyped
    assert all(people[(t, n)] == name for t, n, name in foreign_reps)
    officers = [document(r["source_id"], r["source_id_type"]) for r in rows(seed_dir, "relations")
                if r["source_id_type"]]
    assert officers and all((c.doc_type, c.normalized) in people for c in officers)
    shared = truth["dirty"]["shared_numbers"]
    assert shared and all(sorted(s["types"]) == ["passport", "taiwan_permit"] for s in shared)
    assert {(t, s["number"]) for s in shared for t in s["types"]} <= set(people)


def test_publication_dates_are_mostly_within_seven_working_days(seed_dir):
    late = 0
    penalties = rows(seed_dir, "penalties")
    for row in penalties:
        try:
            decided = dt.date.fromisoformat(row["decision_date"])
            published = dt.date.fromisoformat(row["publish_date"])
        except ValueError:
            continue  # another date form, or a deliberately impossible date
        late += workdays.workdays_between(decided, published) > 7
    assert 0 < late < len(penalties) * 0.15


def test_the_loader_flags_and_rejects_exactly_the_dirty_rows(store, seed_dir, tmp_path):
    report = load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                            tmp_path / "report")
    truth = answers(seed_dir)
    files = {f.file: f for f in report.files}
    for name, count in truth["rows"].items():
        assert files[name].rows == count, name
        assert files[name].balanced()
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as handle:
        rejected = {(r["file"], int(r["line"]), r["column"]) for r in csv.DictReader(handle)}
    assert rejected == {(d["file"], d["line"], d["column"])
                        for d in truth["dirty"].get("invalid_rows", [])}
    with open(report.warnings_file, encoding="utf-8-sig", newline="") as handle:
        flagged = {(r["file"], int(r["line"])) for r in csv.DictReader(handle)
                   if r["column"] == "uscc" and r["file"] == "enterprises.csv"}
    assert flagged == {(d["file"], d["line"]) for d in truth["dirty"]["bad_check_uscc"]}
    assert files["enterprises.csv"].merged >= len(truth["dirty"]["duplicate_rows"])
    flagged_nodes = store.read("MATCH (e:Enterprise) WHERE e.code_warning IS NOT NULL "
                               "RETURN e.uscc AS u")
    assert {r["u"] for r in flagged_nodes} == {d["uscc"] for d in truth["dirty"][
        "bad_check_uscc"]}
    with open(report.warnings_file, encoding="utf-8-sig", newline="") as handle:
        reps = {(r["file"], int(r["line"])) for r in csv.DictReader(handle)
                if r["column"] == "legal_rep_id"}
    assert reps == {(d["file"], d["line"]) for d in truth["dirty"]["flagged_documents"]}
    _shared_numbers(store, truth["dirty"]["shared_numbers"])
    _foreign_shares(store, truth)

    cases = {case["case"]: case for case in truth["cases"]}
    _phoenix(store, cases["phoenix_firms"])
    _hidden_control(store, cases["hidden_control"])
    _for_profit(store, cases["civil_servant_for_profit"])
    _conflict(store, cases["civil_servant_conflict_of_interest"])
    _red_black(store, cases["red_black_conflict"])
    _late(store, cases["late_publication"])
    _repaired(store, cases["repaired_versus_active"])
    _breach(store, cases["commitment_breach"])
    _cluster(store, cases["shared_address_cluster"])
    _offshore_owner(store, cases["offshore_beneficial_owner"])
    _foreign_rep(store, cases["foreign_rep_black_listed"])
    _name_only(store, cases["name_only_shareholders"])


def _shared_numbers(store, shared):
    """Equal numbers of two document types are two persons (the key includes the type)."""
    for pair in shared:
        keys = [pid(pair["number"], t) for t in pair["types"]]
        found = store.read("MATCH (p:Person) WHERE p.pid IN $keys RETURN p.id_type AS t",
                           {"keys": keys})
        assert sorted(r["t"] for r in found) == sorted(pair["types"])


def _foreign_shares(store, truth):
    """What the graph holds of foreign-invested Hangzhou is what the seed meant to write, in
    the intended shares: 3-5% of firms with an overseas shareholder, 2-4% of the enterprise
    count in overseas entities, about 2% in non-mainland persons (every type present)."""
    made = truth["foreign"]
    one = store.read
    entities = one("MATCH (o:OverseasEntity) RETURN count(o) AS n")[0]["n"]
    assert entities == made["overseas_entities"] + 1  # and the planted one
    assert 0.02 <= entities / ENTERPRISES <= 0.04
    invested = one("MATCH (:OverseasEntity)-[:SHAREHOLDER_OF]->(e:Enterprise) "
                   "RETURN count(DISTINCT e) AS n")[0]["n"]
    assert invested == made["foreign_invested_firms"] + 1
    assert 0.03 <= invested / ENTERPRISES <= 0.05
    by_type = {r["t"]: r["n"] for r in one(
        "MATCH (p:Person) WHERE p.id_type IS NOT NULL RETURN p.id_type AS t, count(p) AS n")}
    assert set(NON_RESIDENT) <= set(by_type)
    non_resident = sum(by_type[t] for t in NON_RESIDENT)
    planted = 2 + 2 * len(truth["dirty"]["shared_numbers"])
    assert non_resident == made["non_resident_persons"] + planted
    assert 0.015 <= made["non_resident_persons"] / ENTERPRISES <= 0.03
    holdings = one("MATCH (:Person)-[r:SHAREHOLDER_OF]->(:OverseasEntity) "
                   "RETURN count(r) AS n")[0]["n"]
    assert holdings == made["person_overseas_holdings"] + 2 > 2
    branches = one("MATCH (:Enterprise)-[r:BRANCH_OF]->(:OverseasEntity) "
                   "RETURN count(r) AS n")[0]["n"]
    assert branches == made["branches_of_overseas"]
    unresolved = one("MATCH (p:Person) WHERE p.unresolved "
                     "RETURN count(p) AS n, count(p.resolved_to) AS resolved")
    assert unresolved == [{"n": made["name_only_shareholders"] + 2,
                           "resolved": made["name_only_resolved"] + 1}]
    assert made["name_only_resolved"] > 0


def _offshore_owner(store, case):
    owners = ownership.ownership(store, resolve(store, case["target"], SECRET), AS_OF)
    found = owners.set_index("owner_id")
    person = found.loc[person_key(case["person_id"], SECRET)]
    assert person["share"] == pytest.approx(case["cumulative_share"])
    assert person["beneficial_owner"] and person["levels"] == 2
    co_holder = found.loc[pid(case["co_holder_id"], case["co_holder_id_type"])]
    assert co_holder["share"] == pytest.approx(case["co_holder_share"])
    assert not co_holder["beneficial_owner"]
    assert found.loc[case["overseas_entity"], "label"] == "OverseasEntity"
    direct = store.read("MATCH (p:Person {pid: $pid})-[r]->(c:Enterprise {uscc: $t}) "
                        "RETURN count(r) AS n",
                        {"pid": person_key(case["person_id"], SECRET), "t": case["target"]})
    assert direct == [{"n": 0}]


def _foreign_rep(store, case):
    rep = pid(case["person_id"], case["person_id_type"])
    found = linked.linked_dishonesty(store, resolve(store, case["subject"], SECRET), 2, AS_OF)
    assert {(r["subject_id"], r["hops"], tuple(r["entries"])) for r in found.to_dict("records")
            } == {(rep, case["hops"]["person"], (case["person_entry"],)),
                  (case["listed_firm"], case["hops"]["listed_firm"], (case["firm_entry"],))}
    person = store.read("MATCH (p:Person {pid: $pid})-[:LEGAL_REP_OF]->(e:Enterprise) "
                        "RETURN p.id_type AS t, p.nationality AS n, e.uscc AS u ORDER BY u",
                        {"pid": rep})
    assert person == [{"t": "passport", "n": case["nationality"], "u": u}
                      for u in sorted((case["listed_firm"], case["subject"]))]
    # the number alone reads as another document: another key, nobody in the graph
    alone = check_document(case["person_id"])
    assert alone.doc_type == case["number_alone_reads_as"]
    assert store.read("MATCH (p:Person {pid: $pid}) RETURN count(p) AS n",
                      {"pid": document_key(alone, SECRET)}) == [{"n": 0}]


def _name_only(store, case):
    holders = store.read(
        "MATCH (p:Person)-[r:SHAREHOLDER_OF]->(e:Enterprise {uscc: $u}) WHERE p.unresolved "
        "RETURN p.name AS name, p.resolved_to AS to, r.ratio AS ratio ORDER BY name",
        {"u": case["subject"]})
    expected = [{"name": case["resolved_name"], "to": person_key(case["resolved_id"], SECRET),
                 "ratio": 0.3}, {"name": case["unresolved_name"], "to": None, "ratio": 0.1}]
    assert holders == sorted(expected, key=lambda h: h["name"])


def _phoenix(store, case):
    found = store.read(
        "MATCH (l:ListEntry)-[:LISTED]->(p:Person)-[:LEGAL_REP_OF]->(e:Enterprise) "
        "WHERE l.list_kind = 'black' AND l.status = 'active' AND p.pid = $pid "
        "AND e.established > l.start_date RETURN e.uscc AS u ORDER BY u",
        {"pid": person_key(case["person_id"], SECRET)})
    assert [r["u"] for r in found] == sorted(case["phoenix_firms"])


def _hidden_control(store, case):
    chain = store.read(
        "MATCH (p:Person)-[r1:SHAREHOLDER_OF]->(a:Enterprise)-[r2:SHAREHOLDER_OF]->"
        "(b:Enterprise)-[r3:SHAREHOLDER_OF]->(c:Enterprise {uscc: $target}) "
        "WHERE p.pid = $pid RETURN r1.ratio AS x, r2.ratio AS y, r3.ratio AS z",
        {"pid": person_key(case["person_id"], SECRET), "target": case["target"]})
    assert len(chain) == 1
    assert round(chain[0]["x"] * chain[0]["y"] * chain[0]["z"], 6) == case["cumulative_share"]
    direct = store.read("MATCH (p:Person {pid: $pid})-[r]->(c:Enterprise {uscc: $t}) "
                        "RETURN count(r) AS n",
                        {"pid": person_key(case["person_id"], SECRET), "t": case["target"]})
    assert direct == [{"n": 0}]


def _for_profit(store, case):
    roles = store.read(
        "MATCH (d:Department)<-[:SERVES_IN]-(p:Person)-[r]->(e:Enterprise) "
        "WHERE p.pid = $pid AND p.is_civil_servant RETURN d.code AS d, e.uscc AS u",
        {"pid": person_key(case["person_id"], SECRET)})
    assert {r["u"] for r in roles} == set(case["legal_rep_of"] + case["shareholder_of"])
    assert {r["d"] for r in roles} == {case["department"]}


def _conflict(store, case):
    found = store.read(
        "MATCH (d:Department)<-[:SERVES_IN]-(p:Person)-[:RELATIVE_OF]-(r:Person)"
        "-[:ACTUAL_CONTROLLER_OF]->(s:Enterprise)<-[:AWARDED_TO]-(j:ProcurementProject)"
        "-[:PURCHASED_BY]->(d) WHERE p.pid = $pid "
        "RETURN s.uscc AS s, j.project_id AS j, d.code AS d",
        {"pid": person_key(case["person_id"], SECRET)})
    assert found == [{"s": case["supplier"], "j": case["project"], "d": case["department"]}]


def _red_black(store, case):
    found = store.read(
        "MATCH (re:ListEntry)-[:LISTED]->(r:Enterprise {uscc: $red})<-[:LEGAL_REP_OF]-(p:Person)"
        "-[:LEGAL_REP_OF]->(b:Enterprise {uscc: $black})<-[:LISTED]-(be:ListEntry) "
        "WHERE re.list_kind = 'red' AND be.list_kind = 'black' AND be.status = 'active' "
        "RETURN re.entry_id AS r, be.entry_id AS b", {"red": case["red"], "black": case["black"]})
    assert found == [{"r": case["red_entry"], "b": case["black_entry"]}]


def _late(store, case):
    dates = {r["no"]: (r["d"], r["p"]) for r in store.read(
        "MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise {uscc: $u}) "
        "RETURN p.decision_no AS no, p.decision_date AS d, p.publish_date AS p",
        {"u": case["subject"]})}
    assert workdays.workdays_between(*dates[case["late"]]) == case["working_days_late"] > 7
    assert workdays.workdays_between(*dates[case["on_time"]]) == 7


def _repaired(store, case):
    statuses = {r["u"]: r["s"] for r in store.read(
        "MATCH (l:ListEntry)-[:LISTED]->(e:Enterprise)<-[:SHAREHOLDER_OF]-(p:Person) "
        "WHERE p.pid = $pid RETURN e.uscc AS u, l.status AS s",
        {"pid": person_key(case["via_id"], SECRET)})}
    assert statuses == {case["repaired_firm"]: "repaired", case["active_firm"]: "active"}


def _breach(store, case):
    found = store.read(
        "MATCH (c:Commitment)<-[:COMMITTED]-(e:Enterprise {uscc: $u})<-[:PENALIZED]-(p:Penalty) "
        "WHERE p.violation_type = c.matter AND p.decision_date > c.commit_date "
        "RETURN c.commitment_id AS c, p.decision_no AS p", {"u": case["subject"]})
    assert found == [{"c": case["commitment"], "p": case["penalty"]}]


def _cluster(store, case):
    found = store.read("MATCH (e:Enterprise) WHERE e.address = $a AND e.phone = $p "
                       "RETURN e.uscc AS u ORDER BY u", {"a": case["address"], "p": case["phone"]})
    assert [r["u"] for r in found] == sorted(case["subjects"])
    links = store.read("MATCH (a:Enterprise)-[r]-(b:Enterprise) WHERE a.uscc IN $s AND "
                       "b.uscc IN $s RETURN count(r) AS n", {"s": case["subjects"]})
    assert links == [{"n": 0}]


def test_years_from_a_leap_day():
    from creditgraph.policy.workdays import years_from

    assert years_from(dt.date(2028, 2, 29), -3) == dt.date(2025, 2, 28)
    assert years_from(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)
    assert years_from(dt.date(2026, 11, 1), -3) == dt.date(2023, 11, 1)
