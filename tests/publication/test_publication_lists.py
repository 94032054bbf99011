"""Published red and black lists (publication/lists.py, `creditgraph publish lists`): exactly
the entries in force — checked against the rule applied here in Python to every entry the
store holds — by district and issuing department, persons masked, every format, an empty list
as a header, and a release that is never half-written or unrecorded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from creditgraph.access import audit
from creditgraph.publication.lists import (
    COLUMNS,
    PublishedList,
    PublishError,
    published_list,
    render,
    write,
)
from creditgraph.queries.lists import list_page
from tests.conftest import load_seed
from tests.shared import SECRET, planted_cases

AS_OF = dt.date(2026, 11, 1)
HEADERS = [header for _, header in COLUMNS]


SEED = {"enterprises": 400, "seed": 11}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture
def seeded(store, seed_dir, tmp_path):
    return load_seed(store, seed_dir, tmp_path / "rejects", SECRET)


def every_entry(store) -> list[dict]:
    """Each entry with its subject's division and issuing departments, unfiltered."""
    rows = store.read("MATCH (l:ListEntry)-[:LISTED]->(s) "
                      "RETURN l.entry_id AS entry_id, l.list_kind AS kind, l.status AS status, "
                      "l.status_date AS status_date, l.start_date AS start_date, "
                      "l.end_date AS end_date, l.repaired_on AS repaired_on, "
                      "s.division AS division")
    issuers = store.read("MATCH (l:ListEntry)-[:ISSUED_BY]->(d:Department) "
                         "RETURN l.entry_id AS entry_id, d.code AS code")
    codes: dict[str, set[str]] = {}
    for row in issuers:
        codes.setdefault(row["entry_id"], set()).add(row["code"])
    return [row | {"issuers": codes.get(row["entry_id"], set())} for row in rows]


def in_force(entry: dict, day: dt.date) -> bool:
    return (entry["start_date"] <= day and (entry["end_date"] is None or entry["end_date"] >= day)
            and (entry["status"] == "active"
                 or (entry["status_date"] is not None and entry["status_date"] > day))
            and (entry["repaired_on"] is None or entry["repaired_on"] > day))


def test_a_published_list_is_exactly_the_entries_in_force(seeded, seed_dir):
    entries = every_entry(seeded)
    cases = planted_cases(seed_dir)
    case = cases["repaired_versus_active"]
    for kind in ("black", "red"):
        published = published_list(seeded, kind, AS_OF)
        expected = sorted(e["entry_id"] for e in entries if e["kind"] == kind
                          and in_force(e, AS_OF))
        assert [r["entry_id"] for r in published.rows] == expected
        assert expected and len(expected) < sum(e["kind"] == kind for e in entries)
    black = {r["entry_id"] for r in published_list(seeded, "black", AS_OF).rows}
    assert case["active_entry"] in black and case["repaired_entry"] not in black
    before = {r["entry_id"] for r in published_list(seeded, "black", dt.date(2023, 6, 1)).rows}
    assert case["repaired_entry"] in before  # listed then, repaired on 2024-02-01


def test_persons_are_published_with_the_masked_number_only(seeded, seed_dir):
    published = published_list(seeded, "black", AS_OF)
    persons = [r for r in published.rows if r["subject_category"] == "自然人"]
    firms = [r for r in published.rows if r["subject_category"] == "法人及非法人组织"]
    assert persons and firms
    assert all(r["uscc"] is None and "*" in r["id_number"] for r in persons)
    assert all(r["id_number"] is None and len(r["uscc"]) == 18 for r in firms)
    raw_numbers = {row["id_number"] for row in csv.DictReader(
        (seed_dir / "persons.csv").open(encoding="utf-8-sig")) if len(row["id_number"]) >= 8}
    text = json.dumps(published.rows, ensure_ascii=False)
    assert raw_numbers and not any(number in text for number in raw_numbers)


def test_a_district_or_a_department_narrows_the_list(seeded):
    entries = [e for e in every_entry(seeded) if e["kind"] == "black" and in_force(e, AS_OF)]
    district = sorted(e["division"] for e in entries if e["division"])[0][:6]
    narrowed = published_list(seeded, "black", AS_OF, district=district).rows
    assert [r["entry_id"] for r in narrowed] == sorted(
        e["entry_id"] for e in entries if (e["division"] or "").startswith(district))
    assert 0 < len(narrowed) < len(entries)
    code = sorted(c for e in entries for c in e["issuers"])[0]
    issued = published_list(seeded, "black", AS_OF, authority=code).rows
    assert [r["entry_id"] for r in issued] == sorted(
        e["entry_id"] for e in entries if code in e["issuers"])
    assert issued and published_list(seeded, "black", AS_OF, authority="no-such-code").rows == []
    with pytest.raises(PublishError, match="--district must be a division code"):
        published_list(seeded, "black", AS_OF, district="西湖区")
    with pytest.raises(PublishError, match="--kind must be one of black, red"):
        published_list(seeded, "grey", AS_OF)


def test_every_format_holds_the_same_rows_and_an_empty_list_its_header(seeded, tmp_path):
    published = published_list(seeded, "red", AS_OF)
    fields = [field for field, _ in COLUMNS]
    write(published, tmp_path / "red.csv")
    raw = (tmp_path / "red.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read it as UTF-8
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == HEADERS
    assert table[1:] == [["" if r[f] is None else str(r[f]) for f in fields]
                         for r in published.rows]
    write(published, tmp_path / "red.xlsx")
    sheet = load_workbook(tmp_path / "red.xlsx").active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == HEADERS and cells[1:] == [[r[f] for f in fields] for r in published.rows]
    write(published, tmp_path / "red.json")
    document = json.loads((tmp_path / "red.json").read_text(encoding="utf-8"))
    assert document["rows"] == published.rows and document["entries"] == len(published.rows)
    assert (document["kind"], document["as_of"]) == ("red", AS_OF.isoformat())

    empty = published_list(seeded, "black", AS_OF, district="99")
    assert empty.rows == []
    write(empty, tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_text(encoding="utf-8-sig").splitlines() == [
        ",".join(HEADERS)]
    write(empty, tmp_path / "empty.xlsx")
    assert [list(r) for r in load_workbook(tmp_path / "empty.xlsx").active.iter_rows(
        values_only=True)] == [HEADERS]
    with pytest.raises(PublishError, match=r"must end in \.csv, \.xlsx, \.json"):
        write(empty, tmp_path / "list.txt")
    assert not (tmp_path / "list.txt").exists()


def test_the_cli_publishes_records_and_refuses(run_cli, backend_env, seed_dir, tmp_path,
                                              fresh_audit_log: Path, monkeypatch):
    backend_env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()}
    assert run_cli("init", env=backend_env).returncode == 0
    loaded = run_cli("load", str(seed_dir), env=backend_env)
    assert loaded.returncode == 0, loaded.stderr
    out = tmp_path / "out" / "black.csv"
    done = run_cli("publish", "lists", "--kind", "black", "--as-of", AS_OF.isoformat(),
                   "--out", str(out), "-f", "json", env=backend_env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert summary["entries"] == len(lines) - 1 > 0
    record = [r for r in map(json.loads, fresh_audit_log.read_text().splitlines())
              if r["action"] == "publish-lists"][-1]
    assert record["details"]["sha256"] == summary["sha256"]
    assert record["details"]["out"] == str(out)

    bad = run_cli("publish", "lists", "--kind", "black", "--out", str(tmp_path / "x.txt"),
                  env=backend_env)
    assert bad.returncode == 2 and "must end in .csv, .xlsx, .json" in bad.stderr
    assert not (tmp_path / "x.txt").exists()
    assert audit.verify()[1] == []
    monkeypatch.delenv("CREDITGRAPH_AUDIT_KEY")
    monkeypatch.setenv("CREDITGRAPH_AUDIT_KEY_FILE", str(tmp_path / "absent.key"))
    unrecorded = run_cli("publish", "lists", "--kind", "red", "--out",
                         str(tmp_path / "red.csv"), env=backend_env)
    assert unrecorded.returncode == 2 and "CREDITGRAPH_AUDIT_KEY" in unrecorded.stderr
    assert not (tmp_path / "red.csv").exists()


def test_a_formula_in_a_name_is_neutralised_in_spreadsheets_only(tmp_path):
    """A subject named like a formula (CSV injection) is shown as written, never run."""
    row = {field: None for field, _ in COLUMNS} | {
        "entry_id": "E-1", "list": "失信黑名单", "name": "=HYPERLINK(\"http://x\",\"点我\")",
        "reason": "+1-2", "authority": "@SUM(A1)"}
    published = PublishedList("black", AS_OF, "", "", [row])
    text = render(published, ".csv").decode("utf-8-sig")
    cells = list(csv.reader(io.StringIO(text)))[1]
    assert cells[3] == "'=HYPERLINK(\"http://x\",\"点我\")" and cells[8] == "'+1-2"
    assert cells[10] == "'@SUM(A1)"
    write(published, tmp_path / "x.xlsx")
    values = list(load_workbook(tmp_path / "x.xlsx").active.iter_rows(values_only=True))[1]
    assert values[3].startswith("'=") and values[10] == "'@SUM(A1)"
    assert json.loads(render(published, ".json"))["rows"] == [row]


def test_an_entry_naming_two_subjects_keeps_both_across_page_boundaries(seeded, seed_dir,
                                                                       tmp_path):
    """A later feed naming a second subject for an entry (a joint listing) gives the entry two
    subjects; paged one or two entries at a time, neither subject is lost to the cursor."""
    with (seed_dir / "list_entries.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    firms = [r["uscc"] for r in csv.DictReader(
        (seed_dir / "enterprises.csv").open(encoding="utf-8-sig"))]
    in_force_ids = sorted(e["entry_id"] for e in every_entry(seeded)
                          if e["kind"] == "black" and in_force(e, AS_OF))
    joint = next(r for r in rows if r["entry_id"] == in_force_ids[1])
    second = next(f for f in firms if f != joint["subject_code"])
    feed = tmp_path / "joint"
    feed.mkdir()
    with (feed / "list_entries.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(joint))
        writer.writeheader()
        writer.writerow(joint | {"subject_code": second, "subject_id_type": "",
                                 "subject_name": ""})
    load_seed(seeded, feed, tmp_path / "rejects-joint", SECRET)
    expected = sorted((r["entry_id"], r["key"]) for r in seeded.read(
        "MATCH (l:ListEntry)-[:LISTED]->(s) WHERE l.entry_id IN $ids "
        "RETURN l.entry_id AS entry_id, coalesce(s.uscc, s.pid) AS key", {"ids": in_force_ids}))
    assert sum(entry == joint["entry_id"] for entry, _ in expected) == 2
    for limit in (1, 2):
        seen, after, pages = [], "", 0
        while after is not None:
            page, after = list_page(seeded, "black", AS_OF, after=after, limit=limit)
            assert len({row["entry_id"] for row in page}) <= limit
            seen += [(row["entry_id"], row["key"]) for row in page]
            pages += 1
        assert seen == expected and pages == -(-len(in_force_ids) // limit)
    published = published_list(seeded, "black", AS_OF).rows
    assert sum(row["entry_id"] == joint["entry_id"] for row in published) == 2
