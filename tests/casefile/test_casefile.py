"""Case evidence bags on both backends, from the seed data's planted cases: the bag validates,
every finding is in the report, the JSON and the XLSX, the PDF's text layer holds the Chinese
names, a changed byte is caught naming the file, no resident ID number leaks, and the same graph
gives the same data/ bytes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from html import unescape
from pathlib import Path

import openpyxl
import pypdf
import pytest

from creditgraph.access import audit
from creditgraph.casefile.bag import verify_bag
from creditgraph.casefile.export import export_case, read_id_map
from creditgraph.graph.documents import UnknownDocumentType, document_type, identify
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import classify
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries.subjects import resolve
from tests.shared import ROOT, SECRET, planted_cases

AS_OF = dt.date(2026, 11, 1)
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}[01][0-9][0-3][0-9]{4}[0-9Xx]"
                       r"(?![0-9])")


SEED = {"enterprises": 300, "seed": 17}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture
def case_store(store, seed_dir, tmp_path, fresh_audit_log):
    directory, cases = seed_dir, planted_cases(seed_dir)
    load_directory(directory, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "report")
    propagate(store, load_rules(), AS_OF)
    return store, cases


def subjects_of(store, cases):  # type: ignore[no-untyped-def]
    servant = cases["civil_servant_conflict_of_interest"]["person_id"]
    red = cases["red_black_conflict"]["red"]
    return [resolve(store, code, SECRET) for code in (red, servant)], servant


def leaked_ids(folder: Path) -> list[str]:
    """Every valid resident ID number in any file of the bag, the XLSX unzipped and the PDF
    read through its text layer."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        texts = [path.read_bytes().decode("utf-8", errors="ignore")]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()]
        if path.suffix == ".pdf":
            texts.append("".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
        for text in texts:
            found += [f"{path.name}: {m}" for m in ID_NUMBER.findall(text)
                      if classify(m).kind == "resident_id" and classify(m).valid]
    return found


def seed_document_numbers(directory: Path) -> dict[str, str]:
    """Every non-resident document number the seed wrote for a person (8 characters or more,
    so that no short code could match by chance)."""
    numbers: dict[str, str] = {}
    for name, column, typed in (("persons.csv", "id_number", "id_type"),
                                ("enterprises.csv", "legal_rep_id", "legal_rep_id_type"),
                                ("relations.csv", "source_id", "source_id_type")):
        with (directory / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                value, word = (row.get(column) or "").strip(), (row.get(typed) or "").strip()
                try:
                    check = identify(value, document_type(word) if word else None)
                except UnknownDocumentType:
                    continue
                if check.kind == "document" and check.valid and len(value) >= 8:
                    numbers[value] = check.doc_type or ""
    return numbers


def store_text(store) -> str:  # type: ignore[no-untyped-def]
    return repr(store.read("MATCH (n) RETURN n")) + repr(store.read("MATCH ()-[r]->() RETURN r"))


def xlsx_and_pdf_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return " ".join(archive.read(n).decode("utf-8", "ignore")
                            for n in archive.namelist())
    if path.suffix == ".pdf":
        return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return ""


def test_the_bag_holds_every_finding_everywhere(case_store, tmp_path):
    store, cases = case_store
    subjects, servant = subjects_of(store, cases)
    case, digest = export_case(store, subjects, AS_OF, 2, "杭信案〔2026〕7号",
                               tmp_path / "bag", include_civil_servant=True)
    bag = tmp_path / "bag"
    assert verify_bag(bag) == []
    assert {p.name for p in (bag / "data").iterdir()} == {
        "report.html", "report.pdf", "evidence.json", "evidence.schema.json", "evidence.xlsx",
        "network.graphml", "network.svg"}
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "Case-Number: 杭信案〔2026〕7号" in info and "As-Of: 2026-11-01" in info
    assert "Tool-Version: CreditGraph" in info and '"last_load"' in info

    findings = case.findings()
    assert any("关联失信" in f for f in findings) and any("暂停守信联合激励" in f for f in findings)
    assert any("利益冲突" in f for f in findings)  # the planted conflict of interest
    html = unescape((bag / "data" / "report.html").read_text(encoding="utf-8"))
    for finding in findings:
        assert finding in html
    evidence = json.loads((bag / "data" / "evidence.json").read_text(encoding="utf-8"))
    assert evidence["schema"] == "creditgraph-case/1" and evidence["case_no"] == case.case_no
    book = openpyxl.load_workbook(bag / "data" / "evidence.xlsx")
    sheet_text = {name: "\n".join(str(c.value) for row in book[name].iter_rows() for c in row)
                  for name in book.sheetnames}
    for row in case.linked_dishonesty:
        assert row in evidence["linked_dishonesty"]
        assert row["explanation"] in sheet_text["linked_dishonesty"]
        assert row["explanation"] in html
    for row in case.sanctions:
        assert row in evidence["sanctions"]
        assert row["entry_id"] in sheet_text["sanctions"] and row["measure"] in html
    for row in case.civil_servant:
        assert row in evidence["civil_servant"] and row["detail"] in sheet_text["civil_servant"]
    assert {"subjects", "relations", "list_entries", "penalties", "licenses", "sanctions",
            "paths"} <= set(book.sheetnames)

    text = "".join(page.extract_text() for page in pypdf.PdfReader(
        bag / "data" / "report.pdf").pages)
    for subject in subjects:
        assert subject.name in text
    graphml = (bag / "data" / "network.graphml").read_text(encoding="utf-8")
    assert all(s.node_id in graphml for s in subjects) and "LEGAL_REP_OF" in graphml
    assert leaked_ids(bag) == []
    assert "birth_year" not in json.dumps(evidence)  # beside a masked ID it narrows to a few
    record = [json.loads(line) for line in audit.log_path().read_text().splitlines()][-1]
    assert record["action"] == "export-case" and record["details"]["bag_sha256"] == digest
    assert servant not in audit.log_path().read_text()


def test_the_same_graph_gives_the_same_bytes_and_a_changed_byte_is_named(case_store, tmp_path,
                                                                         run_cli):
    store, cases = case_store
    subjects, _ = subjects_of(store, cases)
    at = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)  # the cover names who and when
    export_case(store, subjects, AS_OF, 2, "C-1", tmp_path / "one", exported_at=at)
    export_case(store, subjects, AS_OF, 2, "C-1", tmp_path / "two.zip", exported_at=at)
    with zipfile.ZipFile(tmp_path / "two.zip") as archive:
        second = {Path(n).name: archive.read(n) for n in archive.namelist() if "/data/" in n}
    first = {p.name: p.read_bytes() for p in (tmp_path / "one" / "data").iterdir()}
    assert first == second
    assert verify_bag(tmp_path / "two.zip") == []

    report = tmp_path / "one" / "data" / "report.html"
    content = bytearray(report.read_bytes())
    content[200] ^= 0x01
    report.write_bytes(bytes(content))
    problems = verify_bag(tmp_path / "one")
    assert len(problems) == 1 and problems[0].startswith("data/report.html: changed")
    out = run_cli("verify-case", str(tmp_path / "one"))
    assert out.returncode == 1 and "data/report.html" in out.stdout
    assert run_cli("verify-case", str(tmp_path / "two.zip")).returncode == 0
    with pytest.raises(CreditGraphError, match="exists"):
        export_case(store, subjects, AS_OF, 2, "C-1", tmp_path / "one")


def test_the_report_reads_as_a_document_an_official_signs(case_store, tmp_path):
    """Issue 19: a cover in words (who exported it and when, what was asked, what the graph
    held — JSON before), fields named in Chinese and English (``k`` / ``v`` and raw names
    before), every page footed with the bag's identity and 第 N 页 / 共 M 页, the network's
    relations captioned; the first page rendered to PNG (PDFium) for a look."""
    import hashlib

    import pypdfium2

    store, cases = case_store
    subjects, _ = subjects_of(store, cases)
    at = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
    export_case(store, subjects, AS_OF, 2, "CG-DOC-1", tmp_path / "bag", actor="inspector-li",
                exported_at=at)
    data = tmp_path / "bag" / "data"
    digest = hashlib.sha256((data / "evidence.json").read_bytes()).hexdigest()
    pages = [page.extract_text() for page in pypdf.PdfReader(data / "report.pdf").pages]
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        flat = " ".join(text.split())
        assert f"第 {number} 页 / 共 {len(pages)} 页" in flat, (number, flat[-200:])
        assert f"evidence.json SHA-256 {digest[:16]}" in flat and "CG-DOC-1" in flat
    whole = " ".join(" ".join(pages).split())
    for words in ("导出人 Exported by", "inspector-li", "2026-11-02T09:30:00+00:00",
                  "案件主体 Subjects", "关联跳数 Hops", "图谱快照 Graph at export",
                  f"data/evidence.json SHA-256 {digest}", "统一社会信用代码 USCC",
                  "名单条目编号 Entry no.", "惩戒措施 Measure"):
        assert words in whole, words
    drawn = whole.split("关系网络 Network")[-1].split()  # the figure's own strings
    assert "法定代表人" in drawn  # a relation's caption, a word of its own (not a sentence)
    cover = " ".join(pages[0].split())
    assert "{" not in cover and '"subjects"' not in cover  # parameters in words, not JSON
    html = (data / "report.html").read_text(encoding="utf-8")
    assert "<th>名单条目编号 Entry no.</th>" in html and "<th>entry_id</th>" not in html
    assert html.count(f"信用图谱 案件 CG-DOC-1 · 查询日期 {AS_OF} · evidence.json SHA-256 "
                      f"{digest[:16]}…") == 2  # the bag's identity at the top and the bottom
    first = pypdfium2.PdfDocument(data / "report.pdf")[0].render(scale=2).to_pil()
    first.save(tmp_path / "report-page-1.png")
    assert first.size[0] > 1000 and len(set(first.convert("L").getdata())) > 16  # not blank


def test_ids_are_revealed_only_from_a_supplied_map(case_store, tmp_path):
    store, cases = case_store
    subjects, servant = subjects_of(store, cases)
    id_map = tmp_path / "ids.csv"
    id_map.write_text(f"身份证号\n{servant}\n", encoding="utf-8")
    clear = read_id_map(id_map, SECRET)
    export_case(store, subjects, AS_OF, 1, "C-2", tmp_path / "revealed", clear, reveal=True)
    leaks = leaked_ids(tmp_path / "revealed")
    assert leaks and {leak.split(": ")[1] for leak in leaks} == {servant}
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{servant}\n{servant[:-1]}0\n", encoding="utf-8")
    with pytest.raises(CreditGraphError, match=r"bad.csv: line 2: not a valid resident ID"):
        read_id_map(bad, SECRET)


def test_the_audit_chain_names_an_edited_line(fresh_audit_log):
    for n in range(3):
        audit.append("export-case", case_no=f"C-{n}")
    assert audit.verify() == (3, [])
    lines = audit.log_path().read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("C-1", "C-9")
    audit.log_path().write_text("\n".join(lines) + "\n", encoding="utf-8")
    count, problems = audit.verify()
    assert count == 3 and problems == ["line 2: its content was changed"]
    del lines[1]
    audit.log_path().write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert audit.verify()[1] == ["line 2: does not follow line 1 (a line was removed, inserted "
                                 "or changed before it)"]


def test_export_case_cli_and_its_errors(run_cli, backend_env, tmp_path, fresh_audit_log):
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode(),
           "CREDITGRAPH_AUDIT_LOG": str(tmp_path / "audit.log")}
    sample = ROOT / "seed" / "sample"
    assert run_cli("load", str(sample), "--report-dir", str(tmp_path / "r"),
                   env=env).returncode == 0
    out = run_cli("export-case", "--subject", "91330105350045671D", "--as-of", "2020-01-01",
                  "--out", str(tmp_path / "case.zip"), "-f", "json", env=env)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["findings"] >= 1 and len(summary["bag_sha256"]) == 64
    out = run_cli("export-case", "--subject", "91330105350045671D", "--reveal-ids", "--out",
                  str(tmp_path / "x"), env=env)
    assert out.returncode == 2 and "--id-map" in out.stderr
    # the cover names the export time: given again, the same bytes (a re-export to compare)
    import re

    export = ["export-case", "--subject", "91330105350045671D", "--as-of", "2020-01-01"]
    first = run_cli(*export, "--out", str(tmp_path / "first"), "-f", "json", env=env)
    info = (tmp_path / "first" / "bag-info.txt").read_text(encoding="utf-8")
    at = re.search(r'"exported_at": "([^"]+)"', info)
    assert first.returncode == 0 and at, first.stderr
    again = run_cli(*export, "--exported-at", at.group(1), "--out", str(tmp_path / "again"),
                    "-f", "json", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["bag_sha256"] == json.loads(first.stdout)["bag_sha256"]
    for when, why in (("yesterday", "is not a time"),
                      ("2026-11-02T09:30:00+08:00", "is before the graph's last load"),
                      ("2999-01-01T00:00:00+00:00", "is in the future")):
        out = run_cli(*export, "--exported-at", when, "--out", str(tmp_path / "y"), env=env)
        assert out.returncode == 2 and f"--exported-at {when!r} {why}" in out.stderr, out.stderr
    out = run_cli("audit", "verify", "-f", "json", env=env)
    assert json.loads(out.stdout)["records"] == 6 and json.loads(out.stdout)["problems"] == []
    actions = [json.loads(line)["action"] for line in
               (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert actions == ["load", "propagate", "alerts-run", "export-case", "export-case",
                       "export-case"]


def test_no_resident_id_number_anywhere_after_a_full_run(case_store, seed_dir, tmp_path):
    """Load, propagate, search (through the audit log) and export: the graph, the load's
    rejects and warnings, the audit log and the bag hold no valid resident ID number."""
    store, cases = case_store
    subjects, servant = subjects_of(store, cases)
    audit.append("search", query=classify(servant).public()["input"])
    export_case(store, subjects, AS_OF, 2, "C-3", tmp_path / "bag")
    found = leaked_ids(tmp_path / "bag") + leaked_ids(tmp_path / "report")
    found += [f"audit: {m}" for m in ID_NUMBER.findall(audit.log_path().read_text())
              if classify(m).valid]
    schema = store.schema
    for label, node in schema.nodes.items():
        texts = [p for p, spec in node.properties.items() if spec.type == "string"]
        query = f"MATCH (n:`{label}`) RETURN " + ", ".join(f"n.`{p}` AS `{p}`" for p in texts)
        for row in store.read(query):
            found += [f"{label}.{k}: {m}" for k, v in row.items() if isinstance(v, str)
                      for m in ID_NUMBER.findall(v) if classify(m).valid]
    assert found == []
    assert (tmp_path / "report" / "warnings.csv").exists()
    # every other document type the seed wrote (passports, permits, residence and permanent
    # residence cards): not one number in the graph, the reports, the audit log or the bag
    numbers = seed_document_numbers(seed_dir)
    assert set(numbers.values()) >= {"passport", "hk_macao_permit", "hmt_residence"}
    texts = [store_text(store), audit.log_path().read_text()]
    for folder in (tmp_path / "bag", tmp_path / "report"):
        texts += [path.read_bytes().decode("utf-8", "ignore") for path in folder.rglob("*")
                  if path.is_file()]
        texts += [xlsx_and_pdf_text(path) for path in folder.rglob("*") if path.is_file()]
    leaked = [n for n in numbers if any(n in text for text in texts)]
    assert leaked == []
    # nor a secret: the ID key and the database password appear in no log, report or bag file
    secrets = [SECRET.decode(), store.settings.neo4j_password or "unset-password-x"]
    written = [audit.log_path(), *(tmp_path / "report").iterdir(),
               *(p for p in (tmp_path / "bag").rglob("*") if p.is_file())]
    for path in written:
        content = path.read_bytes().decode("utf-8", errors="ignore")
        assert not [s for s in secrets if s in content], path


def test_civil_servant_findings_only_when_asked_for(case_store, tmp_path):
    """The dashboard asks for them for supervisors and above; the CLI with a flag."""
    store, cases = case_store
    subjects, _ = subjects_of(store, cases)
    case, _ = export_case(store, subjects, AS_OF, 2, "C-3", tmp_path / "plain")
    assert case.civil_servant == [] and not any("利益冲突" in f for f in case.findings())
    evidence = json.loads((tmp_path / "plain" / "data" / "evidence.json").read_text())
    assert evidence["civil_servant"] == []
    assert '"civil_servant": false' in (tmp_path / "plain" / "bag-info.txt").read_text()
    full, _ = export_case(store, subjects, AS_OF, 2, "C-4", tmp_path / "full",
                          include_civil_servant=True, actor="sup1")
    assert any("利益冲突" in f for f in full.findings())
    record = [json.loads(line) for line in audit.log_path().read_text().splitlines()][-1]
    assert record["details"]["parameters"]["civil_servant"] is True
    assert (record["details"].get("actor") or record["user"]) == "sup1"


@pytest.mark.parametrize("case_no", ["../../etc/x", "a/b", "a\\b", "..", ".hidden", "", "x" * 65,
                                     "杭信案 1号", "a\nb", "C-1:zip"])
def test_a_case_number_that_is_not_a_safe_file_name_is_refused(case_no):
    from creditgraph.casefile.export import check_case_no

    with pytest.raises(CreditGraphError, match="case number"):
        check_case_no(case_no)


@pytest.mark.parametrize("case_no", ["杭信案〔2026〕1号", "CG-20260101-91330105350045671D",
                                     "案(2026)1号", "案（2026）1号", "v1.2_a"])
def test_ordinary_case_numbers_pass(case_no):
    from creditgraph.casefile.export import check_case_no

    assert check_case_no(case_no) == case_no


def test_export_case_cli_refuses_a_path_in_the_case_number(run_cli, tmp_path):
    out = run_cli("export-case", "--subject", "91330105350045671D", "--case-no", "../../evil",
                  "--out", str(tmp_path / "case.zip"),
                  env={"CREDITGRAPH_AUDIT_LOG": str(tmp_path / "audit.log")})
    assert out.returncode == 2 and "case number" in out.stderr
    assert not (tmp_path / "case.zip").exists()
