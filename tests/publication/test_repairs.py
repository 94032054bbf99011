"""Credit-repair decisions (repairs.csv, loaders/kinds/repairs.py) on both backends: each tied to
the penalty or black-list entry it repairs, refused with file, line and field when it cannot be,
and what it repairs leaves every public face from its date on while internal views keep it
marked; a list feed sent again cannot undo a repair; derived sanctions retract."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from creditgraph.graph.schema import default_schema
from creditgraph.graph.store import GraphStore
from creditgraph.loaders.neo4j_import import ImportCsvWriter
from creditgraph.loaders.pipeline import LoadOptions, LoadReport, load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import DryRunWriter, StoreWriter
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.publication.public_record import penalties_with_windows
from creditgraph.publication.repair import repair_check
from creditgraph.publication.statistics import Period, statistics
from creditgraph.queries.linked import linked_rows
from creditgraph.queries.lists import entries_in_force
from creditgraph.queries.profile import profile
from creditgraph.queries.subjects import Subject
from tests.shared import SAMPLE, SECRET

DEBTOR = "91330105350045671D"  # 杭州拱墅恒达建材有限公司: black-listed, penalised (101号)
TEA = "91330106143912349L"  # 杭州西湖龙井茶业有限公司: penalised (102号)
HEADER = ["修复决定书文号", "修复类型", "行政处罚决定书文号", "处罚机关", "名单编号", "主体代码",
          "修复决定日期", "修复决定部门", "修复依据"]
GOOD = [
    ["杭中法修〔2024〕1号", "移出名单", "", "", "HZ-B-2016-0001", DEBTOR, "2024-05-01",
     "杭州市中级人民法院", "法释〔2017〕7号第十条"],
    ["杭市监修〔2016〕2号", "提前终止公示", "杭市监罚〔2016〕101号", "杭州市市场监督管理局", "",
     "", "2016-07-01", "杭州市市场监督管理局", "信用修复管理办法"],
]
BAD = [  # (row, column named in the reject)
    (["R-3", "", "", "", "HZ-B-2099-9999", "", "2024-05-01", "杭州市中级人民法院", ""],
     "entry_id"),
    (["R-4", "", "杭市监罚〔2016〕102号", "杭州市市场监督管理局", "HZ-B-2016-0002", "",
      "2024-05-01", "杭州市市场监督管理局", ""], "entry_id"),
    (["R-5", "", "", "", "", "", "2024-05-01", "杭州市市场监督管理局", ""], "decision_no"),
    (["R-6", "提前终止公示", "", "", "HZ-B-2016-0002", "", "2018-05-01", "杭州市应急管理局", ""],
     "repair_kind"),
    (["R-7", "", "", "", "HZ-R-2017-0001", "", "2024-05-01", "杭州市市场监督管理局", ""],
     "entry_id"),
    (["R-8", "移出名单", "", "", "HZ-B-2016-0001", "", "2024-06-01", "杭州市中级人民法院", ""],
     "entry_id"),
    (["R-9", "", "杭市监罚〔2016〕102号", "杭州市市场监督管理局", "", DEBTOR, "2017-01-01",
      "杭州市市场监督管理局", ""], "subject_code"),
    (["R-10", "", "杭市监罚〔2016〕131号", "", "", "", "2017-01-01", "杭州市市场监督管理局", ""],
     "penalty_authority"),
    (["R-11", "", "", "", "HZ-B-2016-0002", "", "2015-01-01", "杭州市应急管理局", ""],
     "decision_date"),
    (["R-12", "", "", "", "HZ-B-2016-0002", "", "", "杭州市应急管理局", ""], "decision_date"),
    (["R-13", "撤销处罚", "杭市监罚〔2016〕102号", "杭州市市场监督管理局", "", "", "2017-01-01",
      "杭州市市场监督管理局", ""], "repair_kind"),
]


def write_repairs(directory: Path, rows: list[list[str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "信用修复.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return directory


def load(store: GraphStore, directory: Path, tmp_path: Path, dry_run: bool = False
         ) -> LoadReport:
    writer = DryRunWriter(store) if dry_run else StoreWriter(store)
    report = load_directory(directory, writer, store.schema, load_spec(), SECRET,
                            tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}",
                            LoadOptions())
    assert all(file.balanced() for file in report.files)
    return report


def counts(report: LoadReport, name: str) -> tuple[int, int, int, int]:
    file = next(f for f in report.files if f.file == name)
    return file.rows, file.loaded, file.merged, file.rejected


def rejects(report: LoadReport) -> list[dict[str, str]]:
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def in_force(store: GraphStore, day: dt.date) -> set[str]:
    return {row["entry_id"] for row in entries_in_force(store, "black", day)}


def penalties(store: GraphStore, key: str, day: dt.date) -> dict[str, dict]:
    file = profile(store, Subject("Enterprise", key, ""), day)
    return {row["decision_no"]: row for row in penalties_with_windows(
        file["penalties"].to_dict("records"), day)}


def test_repairs_end_what_they_name_and_bad_rows_are_refused_by_field(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    repairs = write_repairs(tmp_path / "repairs", GOOD + [row for row, _ in BAD])
    report = load(store, repairs, tmp_path)
    assert counts(report, "信用修复.csv") == (13, 2, 0, 11)
    refused = rejects(report)
    assert [(r["line"], r["column"]) for r in refused] == [
        (str(line), column) for line, (_, column) in enumerate(BAD, start=4)]
    reasons = {r["column"] + ":" + r["line"]: r["reason"] for r in refused}
    assert "already repaired by decision 杭中法修〔2024〕1号" in reasons["entry_id:9"]
    assert "black-list entries only" in reasons["entry_id:8"]
    assert "not the subject" in reasons["subject_code:10"]
    # the entry leaves the published list from the repair's date, not before
    assert "HZ-B-2016-0001" in in_force(store, dt.date(2024, 4, 30))
    assert "HZ-B-2016-0001" not in in_force(store, dt.date(2024, 5, 1))
    entries = profile(store, Subject("Enterprise", DEBTOR, ""), dt.date(2024, 6, 1))["entries"]
    entry = entries.set_index("entry_id").loc["HZ-B-2016-0001"]
    assert (entry["status"], entry["repair_id"], bool(entry["in_force"])) == (
        "repaired", "杭中法修〔2024〕1号", False)
    # the penalty leaves public faces on the repair's date; internal views keep it, marked
    before = penalties(store, DEBTOR, dt.date(2016, 6, 30))["杭市监罚〔2016〕101号"]
    after = penalties(store, DEBTOR, dt.date(2016, 7, 1))["杭市监罚〔2016〕101号"]
    assert before["public"] and not after["public"]
    assert (after["published_until"], after["repaired_on"], after["repair_id"]) == (
        "2016-06-30", "2016-07-01", "杭市监修〔2016〕2号")
    assert penalties(store, TEA, dt.date(2016, 7, 1))["杭市监罚〔2016〕102号"][
        "repaired_on"] is None
    checked = {row["id"]: row for row in repair_check(store, Subject("Enterprise", DEBTOR, ""),
                                                       dt.date(2024, 6, 1))}
    assert checked["杭市监罚〔2016〕101号"]["repair"] == "already repaired"
    assert "杭市监修〔2016〕2号" in checked["杭市监罚〔2016〕101号"]["reason"]
    assert checked["HZ-B-2016-0001"]["repair"] == "already repaired"
    # repairs granted are counted for the authority that decided them
    by_authority = {row["authority"]: row["repairs"] for row in statistics(
        store, "authority", Period(dt.date(2016, 1, 1), dt.date(2024, 12, 31)))}
    assert by_authority["杭州市中级人民法院"] == 1 and by_authority["杭州市市场监督管理局"] == 1
    # the list feed sent again (entry still 在列) does not undo the repair
    feed = tmp_path / "feed"
    feed.mkdir()
    shutil.copy(SAMPLE / "list_entries.csv", feed)
    load(store, feed, tmp_path)
    assert "HZ-B-2016-0001" not in in_force(store, dt.date(2024, 6, 1))
    # the same decisions again: merged, nothing new, the same rows refused
    again = load(store, repairs, tmp_path)
    assert counts(again, "信用修复.csv") == (13, 0, 2, 11)
    assert store.read("MATCH (r:Repair)-[:REPAIRS]->(t) RETURN count(*) AS n")[0]["n"] == 2


def test_a_repair_may_come_in_the_same_load_as_what_it_repairs(store, tmp_path):
    directory = tmp_path / "input"
    shutil.copytree(SAMPLE, directory)
    write_repairs(directory, GOOD)
    dry = load(store, directory, tmp_path, dry_run=True)
    real = load(store, directory, tmp_path)
    assert counts(dry, "信用修复.csv") == counts(real, "信用修复.csv") == (2, 2, 0, 0)
    assert "HZ-B-2016-0001" not in in_force(store, dt.date(2024, 6, 1))
    assert not penalties(store, DEBTOR, dt.date(2016, 7, 1))["杭市监罚〔2016〕101号"]["public"]


def test_derived_sanctions_retract_when_the_entry_is_repaired(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    rules, day = load_rules(), dt.date(2024, 6, 1)
    propagate(store, rules, day)
    derived = "MATCH (s:Sanction)-[:DERIVED_FROM]->(:ListEntry {entry_id: $id}) RETURN count(s) AS n"
    assert store.read(derived, {"id": "HZ-B-2016-0001"})[0]["n"] > 0
    since = dt.datetime.now(dt.UTC)
    load(store, write_repairs(tmp_path / "repairs", GOOD[:1]), tmp_path)
    report = propagate(store, rules, day, changed_since=since)
    assert report.mode == "incremental" and report.removed > 0
    assert store.read(derived, {"id": "HZ-B-2016-0001"})[0]["n"] == 0


def test_the_offline_import_files_carry_the_repairs(tmp_path):
    """neo4j-admin import files (loaders/neo4j_import.py) hold what a load would write: the
    repaired entry and penalty carry the decision."""
    directory = tmp_path / "input"
    shutil.copytree(SAMPLE, directory)
    write_repairs(directory, GOOD)
    schema = default_schema()
    writer = ImportCsvWriter(schema, tmp_path / "import")
    report = load_directory(directory, writer, schema, load_spec(), SECRET, tmp_path / "report")
    assert counts(report, "信用修复.csv") == (2, 2, 0, 0)
    writer.write()

    def rows(name: str) -> dict[str, dict[str, str]]:
        with (tmp_path / "import" / name).open(encoding="utf-8", newline="") as handle:
            return {row[next(iter(row))]: row for row in csv.DictReader(handle)}

    entry = rows("nodes-ListEntry.csv")["HZ-B-2016-0001"]
    assert (entry["repaired_on:date"], entry["repair_id"]) == ("2024-05-01", "杭中法修〔2024〕1号")
    links = list(csv.DictReader((tmp_path / "import" / "relationships-PENALIZED-Penalty-"
                                 "Enterprise.csv").open(encoding="utf-8", newline="")))
    repaired = [link for link in links if link["repaired_on:date"]]
    assert [(link[":END_ID(Enterprise)"], link["repaired_on:date"], link["repair_id"])
            for link in repaired] == [(DEBTOR, "2016-07-01", "杭市监修〔2016〕2号")]
    assert len(rows("relationships-REPAIRS-Repair-ListEntry.csv")) == 1


def test_a_joint_decision_is_repaired_for_the_subject_named_only(store, tmp_path):
    """双罚: one decision, two subjects; a repair must name its subject, and the other's
    penalty stays public."""
    load(store, SAMPLE, tmp_path)
    joint = tmp_path / "joint"
    joint.mkdir()
    with (joint / "penalties.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["decision_no", "subject_name", "subject_code", "violation_type",
                         "decision_date", "authority", "authority_code", "publish_date"])
        for code, name in ((TEA, "杭州西湖龙井茶业有限公司"), (DEBTOR, "杭州拱墅恒达建材有限公司")):
            writer.writerow(["杭市监罚〔2025〕9号", name, code, "虚假宣传", "2025-01-06",
                             "杭州市市场监督管理局", "11330100002482170H", "2025-01-08"])
    load(store, joint, tmp_path)
    repairs = write_repairs(tmp_path / "r", [
        ["R-J1", "", "杭市监罚〔2025〕9号", "杭州市市场监督管理局", "", "", "2025-06-02",
         "杭州市市场监督管理局", ""],
        ["R-J2", "", "杭市监罚〔2025〕9号", "杭州市市场监督管理局", "", TEA, "2025-06-02",
         "杭州市市场监督管理局", ""]])
    report = load(store, repairs, tmp_path)
    assert counts(report, "信用修复.csv") == (2, 1, 0, 1)
    assert [(r["line"], r["column"]) for r in rejects(report)] == [("2", "subject_code")]
    day = dt.date(2025, 7, 1)
    assert not penalties(store, TEA, day)["杭市监罚〔2025〕9号"]["public"]
    assert penalties(store, DEBTOR, day)["杭市监罚〔2025〕9号"]["public"]


def test_a_repair_cannot_change_its_record_come_twice_or_come_early(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    load(store, write_repairs(tmp_path / "first", GOOD[:1]), tmp_path)
    later = load(store, write_repairs(tmp_path / "later", [
        # the same number for another record
        ["杭中法修〔2024〕1号", "", "杭市监罚〔2016〕102号", "杭州市市场监督管理局", "", "",
         "2017-01-01", "杭州市市场监督管理局", ""],
        # another number for the record repaired by an earlier load
        ["R-2", "", "", "", "HZ-B-2016-0001", "", "2024-06-01", "杭州市中级人民法院", ""],
        # decided in the future
        ["R-3", "", "杭市监罚〔2016〕102号", "杭州市市场监督管理局", "", "",
         (dt.date.today() + dt.timedelta(days=2)).isoformat(), "杭州市市场监督管理局", ""],
        # the same decision with a corrected date: taken
        ["杭中法修〔2024〕1号", "", "", "", "HZ-B-2016-0001", "", "2024-04-01",
         "杭州市中级人民法院", ""]]), tmp_path)
    assert [(r["line"], r["column"]) for r in rejects(later)] == [
        ("2", "repair_id"), ("3", "entry_id"), ("4", "decision_date")]
    assert counts(later, "信用修复.csv") == (4, 0, 1, 3)
    assert "HZ-B-2016-0001" not in in_force(store, dt.date(2024, 4, 1))
    assert "HZ-B-2016-0001" in in_force(store, dt.date(2024, 3, 31))
    assert penalties(store, TEA, dt.date(2017, 6, 1))["杭市监罚〔2016〕102号"]["repaired_on"] is None
    # the penalties feed sent again keeps the repair of 101号
    load(store, write_repairs(tmp_path / "r101", GOOD[1:]), tmp_path)
    feed = tmp_path / "penalty-feed"
    feed.mkdir()
    shutil.copy(SAMPLE / "penalties.csv", feed)
    load(store, feed, tmp_path)
    assert not penalties(store, DEBTOR, dt.date(2016, 8, 1))["杭市监罚〔2016〕101号"]["public"]


def test_a_repaired_entry_leaves_the_linked_party_search(store, tmp_path):
    """E4's legal representative also represents the debtor: found before the repair, not
    after (the Neo4j per-hop query and the embedded engine's test)."""
    load(store, SAMPLE, tmp_path)
    near = Subject("Enterprise", "91330102MA2CX1Y00N", "")
    before = linked_rows(store, near, 2, dt.date(2024, 4, 30))
    assert [row["subject_id"] for row in before] == [DEBTOR]
    load(store, write_repairs(tmp_path / "repairs", GOOD[:1]), tmp_path)
    assert linked_rows(store, near, 2, dt.date(2024, 5, 1)) == []
    assert [row["subject_id"] for row in linked_rows(store, near, 2, dt.date(2024, 4, 30))] == [
        DEBTOR]
