"""The public credit report (publication/report.py, `creditgraph report`): the national report's
chapters with only public content, the counts of its summary, a person masked, every issue
recorded, and `report verify` naming a changed byte; and `repair check` (publication/repair.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pypdf
import pytest

from creditgraph.access import audit
from creditgraph.casefile.collect import collect
from creditgraph.propagation.sanctions import subject_sanctions
from creditgraph.publication.public_record import published_penalties
from creditgraph.publication.repair import repair_check
from creditgraph.publication.report import CHAPTERS, ReportError, build, issue, render, verify
from creditgraph.publication.shuanggongshi import export
from creditgraph.publication.windows import add_months, load_periods
from creditgraph.queries.lists import entries_in_force
from creditgraph.queries.profile import profile
from creditgraph.queries.subjects import resolve
from tests.conftest import load_seed
from tests.shared import SECRET, planted_cases

AS_OF = dt.date(2026, 11, 1)


SEED = {"enterprises": 500, "seed": 19}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture
def seeded(store, seed_dir, tmp_path):
    return load_seed(store, seed_dir, tmp_path / "rejects", SECRET, AS_OF)


def cases(seed_dir: Path) -> dict[str, dict]:
    return planted_cases(seed_dir)


def test_the_chapters_hold_what_is_public_and_the_summary_counts_them(seeded, seed_dir):
    case = cases(seed_dir)["repaired_versus_active"]
    active = build(seeded, resolve(seeded, case["active_firm"], SECRET), AS_OF, "procurement")
    assert [e["entry_id"] for e in active.chapters["black"]] == [case["active_entry"]]
    measures = subject_sanctions(seeded, active.subject, AS_OF)
    assert sorted(m["measure"] for m in active.chapters["measures"]) == sorted(
        measures[measures["kind"] == "punishment"]["measure"])
    relevant = {m["measure"]: m["relevant"] for m in active.chapters["measures"]}
    assert relevant["限制政府采购"] == "是" and "否" in relevant.values()
    summary = dict(active.summary())
    for key, title, _ in CHAPTERS:
        if key != "anomalies":
            assert summary[title] == len(active.chapters[key])
    assert active.number.startswith("CGR-") and active.purpose_title == "政府采购"
    repaired = build(seeded, resolve(seeded, case["repaired_firm"], SECRET), AS_OF)
    assert repaired.chapters["black"] == [] and repaired.chapters["measures"] == []
    before = build(seeded, repaired.subject, dt.date(2023, 6, 1))  # listed then, repaired since
    assert before.chapters["black"] == []
    with pytest.raises(ReportError, match="is after today"):
        build(seeded, repaired.subject, dt.date.today() + dt.timedelta(days=2))
    with pytest.raises(ReportError, match="--purpose must be one of procurement"):
        build(seeded, active.subject, AS_OF, "lottery")


def test_penalties_appear_only_inside_their_window(seeded):
    rows = seeded.read("MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) "
                       "WHERE p.decision_date < $before RETURN e.uscc AS uscc, "
                       "p.decision_no AS decision_no, p.decision_date AS decided "
                       "ORDER BY decided LIMIT 1", {"before": dt.date(2020, 1, 1)})
    assert rows, "the seed has penalties from before 2020"
    old = rows[0]
    subject = resolve(seeded, old["uscc"], SECRET)
    then = old["decided"] + dt.timedelta(days=30)
    penalties = profile(seeded, subject, then)["penalties"].to_dict("records")
    assert old["decision_no"] in [p["decision_no"] for p in published_penalties(penalties, then)]
    # a report issued now for that day leaves out what has been taken down since
    back_dated = build(seeded, subject, then)
    assert old["decision_no"] not in [p["decision_no"] for p in back_dated.chapters["penalties"]]
    now = build(seeded, subject, AS_OF)
    assert old["decision_no"] not in [p["decision_no"] for p in now.chapters["penalties"]]
    assert all(p["published_until"] >= AS_OF.isoformat() for p in now.chapters["penalties"])
    case = collect(seeded, [subject], AS_OF, 1, "C-window")  # evidence keeps it, marked
    kept = {p["decision_no"]: p for p in case.penalties}
    assert kept[old["decision_no"]]["public"] is False
    assert kept[old["decision_no"]]["published_until"] < AS_OF.isoformat()


def test_repair_decisions_take_records_off_public_faces_and_internal_views_keep_them(
        seeded, seed_dir):
    """The planted repairs.csv case: from the decisions' dates the entry is out of force and
    its measures gone, the penalty out of the report, the 双公示 export and the published list;
    the case bag keeps both, marked; the control firm keeps everything."""
    case = cases(seed_dir)["repaired_by_decision"]
    repaired = resolve(seeded, case["subject"], SECRET)
    control = resolve(seeded, case["control"], SECRET)
    mine, theirs = build(seeded, repaired, AS_OF), build(seeded, control, AS_OF)
    assert mine.chapters["black"] == [] and mine.chapters["measures"] == []
    assert [e["entry_id"] for e in theirs.chapters["black"]] == [case["control_entry"]]
    assert theirs.chapters["measures"]
    assert case["penalty"] not in [p["decision_no"] for p in mine.chapters["penalties"]]
    assert case["control_penalty"] in [p["decision_no"] for p in theirs.chapters["penalties"]]
    published = {e["entry_id"] for e in entries_in_force(seeded, "black", AS_OF)}
    assert case["control_entry"] in published and case["entry"] not in published
    before = {e["entry_id"] for e in entries_in_force(seeded, "black", dt.date(2025, 8, 31))}
    assert case["entry"] in before  # repaired on 2025-09-01, not before
    pushed = export(seeded, "penalties", dt.date(2025, 3, 3), dt.date(2025, 3, 3),
                    load_periods())
    assert case["control_penalty"] in [r["decision_no"] for r in pushed.rows]
    refused = {r["decision_no"]: r["problems"] for r in pushed.rejects}
    assert f"信用修复: publication ended early on {case['ended_on']}" in refused[case["penalty"]]
    bag = collect(seeded, [repaired], AS_OF, 1, "C-repair")
    kept = {p["decision_no"]: p for p in bag.penalties}[case["penalty"]]
    assert (kept["public"], kept["repaired_on"], kept["repair_id"]) == (
        False, case["ended_on"], case["early_end"])
    entry = {e["entry_id"]: e for e in bag.list_entries}[case["entry"]]
    assert (entry["status"], entry["repair_id"], entry["in_force"]) == (
        "repaired", case["removal"], False)
    checked = {r["id"]: r for r in repair_check(seeded, repaired, AS_OF)}
    assert checked[case["entry"]]["repair"] == checked[case["penalty"]]["repair"] == (
        "already repaired")
    assert case["removal"] in checked[case["entry"]]["reason"]


def test_a_person_is_masked_and_both_files_read(seeded, seed_dir):
    entries = list(csv.DictReader((seed_dir / "list_entries.csv").open(encoding="utf-8-sig")))
    persons = {r["id_number"] for r in csv.DictReader(
        (seed_dir / "persons.csv").open(encoding="utf-8-sig"))}
    number = next(e["subject_code"] for e in entries if e["subject_code"] in persons
                  and len(e["subject_code"]) == 18)
    report = build(seeded, resolve(seeded, number, SECRET), AS_OF)
    identity = dict(report.identity)
    assert "*" in identity["证件号码（脱敏）"]
    page = render(report, ".html").decode("utf-8")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(
        io.BytesIO(render(report, ".pdf"))).pages)
    for shown in (page, text):
        assert number not in shown and identity["证件号码（脱敏）"] in shown
        assert "严重失信主体名单信息" in shown and "报告说明" in shown
        assert report.number in shown
    pages = pypdf.PdfReader(io.BytesIO(render(report, ".pdf"))).pages
    assert all(report.number in p.extract_text() and "page" in p.extract_text() for p in pages)
    with pytest.raises(ReportError, match=r"must end in \.pdf or \.html"):
        render(report, ".docx")


def test_an_issued_report_verifies_and_a_changed_byte_does_not(seeded, seed_dir, tmp_path,
                                                               fresh_audit_log):
    case = cases(seed_dir)["repaired_versus_active"]
    report = build(seeded, resolve(seeded, case["active_firm"], SECRET), AS_OF, "bond")
    data, digest = issue(report, ".pdf", actor="officer1")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    verdict = verify(path)
    assert verdict.issued and verdict.sha256 == digest
    assert verdict.record["details"]["number"] == report.number
    assert verdict.record["user"] == "officer1"
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 1
    path.write_bytes(bytes(changed))
    assert not verify(path).issued
    path.write_bytes(data)
    fresh_audit_log.write_bytes(fresh_audit_log.read_bytes().replace(b"officer1", b"officer2"))
    forged = verify(path)  # the record is there, but the log does not vouch for it any more
    assert forged.record is not None and not forged.issued
    assert "line 1: its content was changed" in forged.log_problems


def test_the_cli_issues_verifies_and_checks_repair(run_cli, backend_env, seed_dir, tmp_path,
                                                   fresh_audit_log):
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()}
    assert run_cli("init", env=env).returncode == 0
    assert run_cli("load", str(seed_dir), env=env).returncode == 0
    firm = cases(seed_dir)["repaired_versus_active"]["active_firm"]
    out = tmp_path / "report.html"
    done = run_cli("report", "--subject", firm, "--purpose", "procurement", "--as-of",
                   AS_OF.isoformat(), "--out", str(out), "-f", "json", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["number"] in out.read_text(encoding="utf-8")
    checked = run_cli("report", "verify", str(out), "-f", "json", env=env)
    assert checked.returncode == 0 and json.loads(checked.stdout)["number"] == summary["number"]
    out.write_text(out.read_text(encoding="utf-8").replace("—", "-", 1), encoding="utf-8")
    assert run_cli("report", "verify", str(out), env=env).returncode == 1
    bad = run_cli("report", "--subject", firm, "--out", str(tmp_path / "r.docx"), env=env)
    assert bad.returncode == 2 and "must end in .pdf or .html" in bad.stderr
    unknown = run_cli("report", "--subject", firm, "--purpose", "lottery", "--out",
                      str(tmp_path / "r.pdf"), env=env)
    assert unknown.returncode == 2 and not (tmp_path / "r.pdf").exists()
    assert audit.verify()[1] == []
    case = cases(seed_dir)["repaired_versus_active"]
    done = run_cli("repair", "check", "--subject", case["repaired_firm"], "--as-of",
                   AS_OF.isoformat(), "-f", "json", env=env)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["subject"] == f"Enterprise:{case['repaired_firm']}"
    assert {r["id"]: r["repair"] for r in answer["records"]}[case["repaired_entry"]] == (
        "already repaired")
    unknown = run_cli("repair", "check", "--subject", "91330100MA2XXXXXXX", env=env)
    assert unknown.returncode == 2


def test_repair_check_says_whether_and_from_when(seeded, seed_dir):
    """A penalty's repair opens after its minimum period and is moot after its window; a
    repaired entry says so; the fire-safety domain waits a year (periods.yaml)."""
    rows = seeded.read("MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) RETURN e.uscc AS uscc, "
                       "p.decision_no AS no, p.decision_date AS decided, "
                       "p.authority AS authority ORDER BY no")
    general = next(r for r in rows if "消防" not in r["authority"])
    subject = resolve(seeded, general["uscc"], SECRET)

    def state(day: dt.date) -> dict:
        return next(r for r in repair_check(seeded, subject, day) if r["id"] == general["no"])

    decided = general["decided"]
    soon = state(decided + dt.timedelta(days=30))
    assert soon["repair"] == f"from {add_months(decided, 3)}" and "最短公示期未满" in soon["reason"]
    assert state(add_months(decided, 4))["repair"] == "may apply now"
    assert state(add_months(decided, 37))["repair"] == "not needed"
    fire = [r for r in rows if "消防" in r["authority"]]
    assert fire, "the seed has fire-safety penalties"
    subject = resolve(seeded, fire[0]["uscc"], SECRET)
    found = next(r for r in repair_check(seeded, subject, add_months(fire[0]["decided"], 4))
                 if r["id"] == fire[0]["no"])
    assert found["repair"] == f"from {add_months(fire[0]['decided'], 12)}"
    case = cases(seed_dir)["repaired_versus_active"]
    entries = {r["id"]: r for r in repair_check(
        seeded, resolve(seeded, case["repaired_firm"], SECRET), AS_OF)}
    assert entries[case["repaired_entry"]]["repair"] == "already repaired"
    active = {r["id"]: r for r in repair_check(
        seeded, resolve(seeded, case["active_firm"], SECRET), AS_OF)}
    assert active[case["active_entry"]]["repair"] == "ask the listing authority"
