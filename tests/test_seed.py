"""The synthetic data: deterministic, valid except where dirty on purpose, and every planted case
findable after loading (on both backends)."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
from pathlib import Path

import pytest

from graph import workdays
from graph.identifiers import (
    check_reg_no,
    check_resident_id,
    check_uscc,
    normalize_code,
    person_key,
)
from loaders.pipeline import load_directory
from loaders.spec import load_spec
from loaders.writers import StoreWriter
from seed.generator import FILES, generate

SECRET = b"test-secret-key-0123456789"
ENTERPRISES = 1500


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    generate(out, ENTERPRISES, seed=7, dirty_rate=0.05)
    return out


def answers(directory: Path) -> dict:
    return json.loads((directory / "answers.json").read_text(encoding="utf-8"))


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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
    seen_bad = set()
    for row in rows(seed_dir, "enterprises"):
        code = normalize_code(row["uscc"])
        result = check_uscc(code)
        if code in bad:
            assert result.severity == "warning" and "check character" in result.reason
            seen_bad.add(code)
        else:
            assert result.valid, (code, result.reason)
        assert check_resident_id(row["legal_rep_id"]).valid
        if row["reg_no"]:
            assert check_reg_no(row["reg_no"]).valid
        assert row["division"] == code[2:8]
    assert seen_bad == bad
    for row in rows(seed_dir, "persons"):
        assert check_resident_id(row["id_number"]).valid
    divisions = {normalize_code(r["uscc"])[2:8] for r in rows(seed_dir, "enterprises")}
    assert {"330103", "330104", "330185"} <= divisions  # the 2016 districts, as registered then
    names = [r["name"] for r in rows(seed_dir, "enterprises")]
    duplicates = {d["line"] for d in dirty["duplicate_rows"]}
    assert len(set(names)) == len(names) - len(duplicates)
    assert all(n.startswith("杭州") for n in names)


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
