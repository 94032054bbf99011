"""The 双公示 export (publication/shuanggongshi.py, `creditgraph export shuanggongshi`): the
national standard's columns, records failing its required fields in the rejects file with what
is wrong, 公示截止期 from the window rules, and a file that loads back into the same records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from creditgraph.publication.public_record import masked
from creditgraph.publication.report import build as build_report
from creditgraph.publication.report import render as render_report
from creditgraph.publication.shuanggongshi import (
    LICENSE_COLUMNS,
    PENALTY_COLUMNS,
    ExportError,
    export,
    render,
    render_rejects,
)
from creditgraph.publication.windows import load_periods, window
from creditgraph.queries.subjects import resolve
from tests.conftest import load_seed
from tests.shared import SECRET

SINCE, UNTIL = dt.date(2000, 1, 1), dt.date(2026, 12, 31)
PLANTED_ID, PLANTED_PASSPORT = "330106199001011234", "E12345678"  # in a penalty's free text
# What the standard carries of a record, and so what must come back from a load of the export.
CARRIED = {
    "penalties": ("decision_no", "subject_name", "violation_type", "facts", "basis", "category",
                  "content", "fine_amount", "confiscated_amount", "decision_date", "valid_until",
                  "authority", "authority_code", "remark"),
    "licenses": ("decision_no", "subject_name", "document_name", "license_type",
                 "certificate_name", "license_no", "content", "decision_date", "valid_from",
                 "valid_to", "authority", "authority_code", "status", "remark"),
}
LABELS = {"penalties": ("Penalty", "PENALIZED", "penalty_id"),
          "licenses": ("License", "LICENSED", "license_id")}


SEED = {"enterprises": 600, "seed": 13}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture(scope="module")
def refused_seed_dir(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's seed data, plus three penalties the standard refuses: a natural person's
    (the graph holds no document number), a category the law does not have, and one without
    违法事实."""
    out = tmp_path_factory.mktemp("seed-refused")  # a copy: seed_dir stays as made
    shutil.copytree(seed_dir, out, dirs_exist_ok=True)
    person = next(csv.DictReader((out / "persons.csv").open(encoding="utf-8-sig")))
    firm = next(csv.DictReader((out / "enterprises.csv").open(encoding="utf-8-sig")))
    with (out / "penalties.csv").open(encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    template = rows[0]
    rows += [
        template | {"decision_no": "杭测罚〔2025〕901号", "subject_name": person["name"],
                    "subject_code": person["id_number"]},
        template | {"decision_no": "杭测罚〔2025〕902号", "subject_name": firm["name"],
                    "subject_code": firm["uscc"], "category": "罚没"},
        template | {"decision_no": "杭测罚〔2025〕903号", "subject_name": firm["name"],
                    "subject_code": firm["uscc"], "facts": ""},
        template | {"decision_no": "杭测罚〔2026〕904号", "subject_name": firm["name"],
                    "subject_code": firm["uscc"], "decision_date": "2026-10-09",
                    "publish_date": "2026-10-10", "valid_until": "2029-10-08",
                    "facts": f"经查，该公司雇用{person['name']}（身份证号{PLANTED_ID}）从事无证作业",
                    "basis": f"依据护照号{PLANTED_PASSPORT}持有人的证言"},
    ]
    with (out / "penalties.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return out


def load(store, directory: Path, tmp_path: Path) -> None:
    load_seed(store, directory, tmp_path / f"report-{directory.name}", SECRET)


def records(store, kind: str) -> dict[str, dict]:
    label, link, key = LABELS[kind]
    rows = store.read(f"MATCH (p:{label})-[:{link}]->(s) RETURN p.{key} AS key, "
                      + ", ".join(f"p.{f} AS {f}" for f in CARRIED[kind])
                      + ", coalesce(s.uscc, s.pid) AS subject")
    return {row.pop("key"): row for row in rows}


def test_records_failing_the_standard_are_rejected_naming_what_is_missing(store, refused_seed_dir,
                                                                          tmp_path):
    load(store, refused_seed_dir, tmp_path)
    result = export(store, "penalties", SINCE, UNTIL, load_periods())
    problems = {r["decision_no"]: r["problems"] for r in result.rejects}
    assert "证件号码: a natural person's document number is not held" in problems[
        "杭测罚〔2025〕901号"]
    assert problems["杭测罚〔2025〕902号"].startswith("处罚类别: 罚没 is not one of 警告、")
    assert problems["杭测罚〔2025〕903号"].startswith("违法事实: missing")
    exported = {r["decision_no"] for r in result.rows}
    assert not exported & set(problems) and len(exported) > 10
    assert any("has passed: no longer public" in p for p in problems.values())
    assert all(r["facts"] and r["authority_code"] and r["data_source_code"]
               for r in result.rows)
    planted = next(r for r in result.rows if r["decision_no"] == "杭测罚〔2026〕904号")
    assert PLANTED_ID not in planted["facts"] and PLANTED_PASSPORT not in planted["basis"]
    assert "3301" in planted["facts"] and "*" in planted["basis"]
    text = render_rejects(result).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == [
        "record", "decision_no", "authority", "decision_date", "problems"]
    assert len(list(csv.reader(io.StringIO(text)))) == len(result.rejects) + 1
    raw = {row["id_number"] for row in csv.DictReader(
        (refused_seed_dir / "persons.csv").open(encoding="utf-8-sig"))}
    everything = render(result, ".csv").decode("utf-8-sig") + text
    assert not any(number in everything for number in raw if len(number) >= 8)
    assert PLANTED_ID not in everything and PLANTED_PASSPORT not in everything
    firm = resolve(store, planted["uscc"], SECRET)
    report = render_report(build_report(store, firm, dt.date(2026, 11, 1)), ".html").decode()
    assert "杭测罚〔2026〕904号" in report and PLANTED_ID not in report


def test_the_window_gives_the_publication_end(store, refused_seed_dir, tmp_path):
    load(store, refused_seed_dir, tmp_path)
    periods = load_periods()
    result = export(store, "penalties", SINCE, UNTIL, periods)
    stored = records(store, "penalties")
    by_no = {r["decision_no"]: r for r in stored.values()}
    for row in result.rows:
        span = window(by_no[row["decision_no"]], periods)  # the seed gives no 公示截止期
        assert row["publish_until"] == (span.end - dt.timedelta(days=1)).isoformat()
        assert row["publish_until"] < row["decision_date"].replace(row["decision_date"][:4], str(
            int(row["decision_date"][:4]) + 3), 1)  # three years at most
    narrow = export(store, "penalties", dt.date(2024, 1, 1), dt.date(2024, 12, 31), periods)
    assert narrow.rows and all("2024-01-01" <= r["decision_date"] <= "2024-12-31"
                               for r in narrow.rows)
    assert len(narrow.rows) < len(result.rows)
    with pytest.raises(ExportError, match="--to 2020-01-01 is before --from 2024-01-01"):
        export(store, "penalties", dt.date(2024, 1, 1), dt.date(2020, 1, 1), periods)
    with pytest.raises(ExportError, match="--kind must be one of penalties, licenses"):
        export(store, "fines", SINCE, UNTIL, periods)


@pytest.mark.parametrize("kind, suffix", [("penalties", ".csv"), ("licenses", ".xlsx")])
def test_the_export_loads_back_into_the_same_records(store, refused_seed_dir, tmp_path, kind, suffix):
    load(store, refused_seed_dir, tmp_path)
    result = export(store, kind, SINCE, UNTIL, load_periods())
    before = records(store, kind)
    exported = {key: row for key, row in before.items()
                if row["decision_no"] in {r["decision_no"] for r in result.rows}}
    assert len(exported) == len(result.rows) > 10
    again = tmp_path / "again"
    again.mkdir()
    for name in ("departments.csv", "enterprises.csv", "persons.csv", "code_mappings.csv"):
        shutil.copy(refused_seed_dir / name, again / name)
    (again / f"{'行政处罚' if kind == 'penalties' else '行政许可'}{suffix}").write_bytes(
        render(result, suffix))
    store.wipe()
    load(store, again, tmp_path)
    assert records(store, kind) == {key: masked(row) for key, row in exported.items()}
    header = [h for h, _ in (PENALTY_COLUMNS if kind == "penalties" else LICENSE_COLUMNS)]
    if suffix == ".csv":
        text = (again / f"行政处罚{suffix}").read_text(encoding="utf-8-sig")
        assert next(csv.reader(io.StringIO(text))) == header


def test_the_cli_exports_records_and_refuses(run_cli, backend_env, refused_seed_dir, tmp_path,
                                             fresh_audit_log: Path):
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()}
    assert run_cli("init", env=env).returncode == 0
    assert run_cli("load", str(refused_seed_dir), env=env).returncode == 0
    out = tmp_path / "out" / "行政处罚.csv"
    done = run_cli("export", "shuanggongshi", "--kind", "penalties", "--from", "2000-01-01",
                   "--to", "2026-12-31", "--out", str(out), "-f", "json", env=env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["exported"] == len(out.read_text(encoding="utf-8-sig").splitlines()) - 1
    rejects = out.with_name("rejects-行政处罚.csv")
    refused = [r["decision_no"] for r in csv.DictReader(rejects.open(encoding="utf-8-sig"))]
    assert summary["rejected"] == len(refused) >= 3
    assert {f"杭测罚〔2025〕90{n}号" for n in (1, 2, 3)} <= set(refused)
    record = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()][-1]
    assert record["action"] == "export-shuanggongshi"
    assert record["details"]["sha256"] == summary["sha256"]
    same = run_cli("export", "shuanggongshi", "--kind", "penalties", "--from", "2000-01-01",
                   "--to", "2026-12-31", "--out", str(out), "--rejects", str(out), env=env)
    assert same.returncode == 2 and "the same file as --out" in same.stderr
    bad = run_cli("export", "shuanggongshi", "--kind", "penalties", "--from", "2000-01-01",
                  "--to", "2026-12-31", "--out", str(tmp_path / "x.json"), env=env)
    assert bad.returncode == 2 and "must end in .csv or .xlsx" in bad.stderr
    bad_date = run_cli("export", "shuanggongshi", "--kind", "penalties", "--from", "2000-13-01",
                       "--to", "2026-12-31", "--out", str(tmp_path / "y.csv"), env=env)
    assert bad_date.returncode == 2 and "--from '2000-13-01' is not a date" in bad_date.stderr
    assert not (tmp_path / "y.csv").exists()
