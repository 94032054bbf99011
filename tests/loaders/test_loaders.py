"""Loaders on both backends: real-format files in, every row accounted for."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from creditgraph.graph.identifiers import person_key, uscc_check_char
from creditgraph.graph.store import GraphStore
from creditgraph.loaders.errors import StructuralError
from creditgraph.loaders.pipeline import LoadOptions, LoadReport, load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import DryRunWriter, StoreWriter
from tests.shared import SAMPLE, SECRET

ALL_ID_NUMBERS = ["330106197003121230", "330102197511202461", "330105198207053514",
                  "330108198801014824", "33011019650930013X"]

E1, E2, E3 = "91330106143912349L", "91330108577822332C", "91330105350045671D"
P_ZHAO = "330108198801014824"


def load(store: GraphStore, directory: Path, tmp_path: Path, dry_run: bool = False,
         **options) -> LoadReport:
    writer = DryRunWriter(store) if dry_run else StoreWriter(store)
    report = load_directory(directory, writer, store.schema, load_spec(options.pop("mapping", None)),
                            SECRET, tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}",
                            LoadOptions(**options))
    for file in report.files:
        assert file.balanced(), file
    return report


def by_file(report: LoadReport) -> dict[str, tuple[int, int, int, int]]:
    return {f.file: (f.rows, f.loaded, f.merged, f.rejected) for f in report.files}


def issues(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: list[str], rows: list[list[object]],
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def sample_copy(tmp_path: Path, *names: str) -> Path:
    directory = tmp_path / "input"
    directory.mkdir(exist_ok=True)
    for name in names or [p.name for p in SAMPLE.glob("*.csv")]:
        shutil.copy(SAMPLE / name, directory / name)
    return directory


def rel_props(store: GraphStore, rel_type: str) -> list[dict]:
    return store.read(
        f"MATCH (a)-[r:{rel_type}]->(b) RETURN a.name AS src, b.name AS dst, "
        "r.end_date AS ended ORDER BY src, dst"
    )


# -- the hand sample ---------------------------------------------------------------------------


def test_the_sample_loads_completely_and_a_second_load_changes_nothing(store, tmp_path):
    report = load(store, SAMPLE, tmp_path)
    assert by_file(report) == {
        "departments.csv": (3, 3, 0, 0), "enterprises.csv": (7, 7, 0, 0),
        "code_mappings.csv": (2, 0, 2, 0), "persons.csv": (5, 1, 4, 0),
        "relations.csv": (7, 7, 0, 0), "civil_servants.csv": (1, 1, 0, 0),
        "integrity_records.csv": (2, 2, 0, 0), "penalties.csv": (3, 3, 0, 0),
        "licenses.csv": (1, 1, 0, 0), "list_entries.csv": (3, 3, 0, 0),
        "commitments.csv": (1, 1, 0, 0), "procurement.csv": (2, 2, 0, 0),
    }
    first = store.status()
    assert first.nodes["Enterprise"] == 7 and first.nodes["Person"] == 5
    assert first.relationships["LEGAL_REP_OF"] == 5

    again = load(store, SAMPLE, tmp_path)
    assert again.totals()["loaded"] == 0 and again.totals()["merged"] == 37
    second = store.status()
    assert (second.nodes, second.relationships) == (first.nodes, first.relationships)

    # legacy registration number resolved through the mapping table
    assert store.read("MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) WHERE p.decision_no = $no "
                      "RETURN e.uscc AS uscc", {"no": "杭市监罚〔2016〕131号"}) == [{"uscc": E2}]
    # ratios in three notations
    shares = {(r["src"], r["dst"]): r["ratio"] for r in store.read(
        "MATCH (a)-[r:SHAREHOLDER_OF]->(b) RETURN a.name AS src, b.name AS dst, r.ratio AS ratio")}
    assert shares[("杭州西湖龙井茶业有限公司", "杭州滨江云图科技有限公司")] == 0.6
    assert shares[("张伟", "杭州西湖龙井茶业有限公司")] == 1.0
    assert shares[("王强", "杭州余杭绿源农业开发有限公司")] == 0.3
    # the civil servant
    assert store.read("MATCH (p:Person {pid: $pid})-[s:SERVES_IN]->(d:Department) "
                      "RETURN p.is_civil_servant AS cs, d.name AS d, s.position AS pos",
                      {"pid": person_key(P_ZHAO, SECRET)}) == [
        {"cs": True, "d": "杭州市发展和改革委员会", "pos": "采购处副处长"}]


def test_no_resident_id_number_is_stored_in_clear(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    text = repr(store.read("MATCH (n) RETURN n")) + repr(store.read(
        "MATCH ()-[r]->() RETURN r"))
    for number in ALL_ID_NUMBERS:
        assert number not in text
    people = store.read("MATCH (p:Person) RETURN p.id_masked AS m, p.birth_year AS y, "
                        "p.sex AS s ORDER BY m")
    assert people[0] == {"m": "330102********2461", "y": 1975, "s": "女"}


def test_dry_run_counts_the_same_and_writes_nothing(store, tmp_path):
    report = load(store, SAMPLE, tmp_path, dry_run=True)
    assert report.dry_run
    assert report.totals() | {"warnings": 0} == {"rows": 37, "loaded": 31, "merged": 6,
                                                 "rejected": 0, "warnings": 0, "ended": 0}
    assert sum(store.node_counts().values()) == 0


# -- real-format files -------------------------------------------------------------------------

NATIONAL_PENALTY_HEADERS = [
    "行政相对人名称", "行政相对人类别", "统一社会信用代码", "工商注册号", "组织机构代码", "税务登记号",
    "事业单位证书号", "社会组织登记证号", "法定代表人", "法定代表人证件类型", "法定代表人证件号码",
    "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期",
    "公示截止期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码", "备注",
]


def national_penalty(name: str, uscc: str = "", reg_no: str = "", org: str = "",
                     number: str = "", date: str = "2016-03-28") -> list[str]:
    row = dict.fromkeys(NATIONAL_PENALTY_HEADERS, "")
    row.update({"行政相对人名称": name, "行政相对人类别": "法人及非法人组织", "统一社会信用代码": uscc,
                "工商注册号": reg_no, "组织机构代码": org, "行政处罚决定书文号": number,
                "违法行为类型": "价格违法", "处罚类别": "罚款", "罚款金额（万元）": "1.5",
                "处罚决定日期": date, "处罚机关": "杭州市市场监督管理局",
                "处罚机关统一社会信用代码": "11330100002482170H"})
    return [row[h] for h in NATIONAL_PENALTY_HEADERS]


def test_gb18030_national_headers_mixed_dates_legacy_codes_and_bad_rows(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    directory = tmp_path / "feed"
    directory.mkdir()
    body = "91330106MA2B00001"
    newcomer = body + uscc_check_char(body)
    write_csv(directory / "企业.csv", ["统一社会信用代码", "企业名称", "成立日期"],
              [[newcomer, "杭州新登记商贸有限公司", "2001年1月2日"]], encoding="gb18030")
    path = write_csv(directory / "行政处罚-2016.csv", NATIONAL_PENALTY_HEADERS, [
        national_penalty("杭州西湖龙井茶业有限公司", uscc=E1, number="杭市监罚〔2016〕201号",
                         date="2016/3/28"),
        national_penalty("杭州滨江云图科技有限公司", reg_no="330108000678909",
                         number="杭市监罚〔2016〕202号", date="2016年3月29日"),
        national_penalty("杭州西湖龙井茶业有限公司", org="14391234-9", number="杭市监罚〔2016〕203号",
                         date="20160330"),
        national_penalty("杭州拱墅恒达建材有限公司", number="杭市监罚〔2016〕204号", date="42460"),
        national_penalty("杭州根本不存在有限公司", number="杭市监罚〔2016〕205号"),
        national_penalty("杭州西湖龙井茶业有限公司", uscc=E1, number="杭市监罚〔2016〕201号",
                         date="2016-03-28"),  # duplicate of the first row
        national_penalty("杭州西湖龙井茶业有限公司", uscc=E1, number="杭市监罚〔2016〕206号",
                         date="2016-02-30"),  # impossible date
        national_penalty("杭州某外地公司", uscc="91110000600037341L", number="杭市监罚〔2016〕207号"),
    ], encoding="gb18030")
    assert "杭州西湖龙井茶业有限公司" in path.read_bytes().decode("gb18030")  # really GB18030
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")

    report = load(store, directory, tmp_path)
    penalties = report.files[1]
    assert penalties.kind == "penalties"
    assert (penalties.rows, penalties.loaded, penalties.merged, penalties.rejected) == (8, 5, 1, 2)
    rejected = {r["line"]: r for r in issues(report.rejects_file)}
    assert rejected["6"]["column"] == "subject_name"
    assert "no enterprise is named '杭州根本不存在有限公司'" in rejected["6"]["reason"]
    assert rejected["8"]["column"] == "decision_date"
    assert "not a real date" in rejected["8"]["reason"]

    subjects = {r["no"]: (r["uscc"], r["date"]) for r in store.read(
        "MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) WHERE p.decision_no STARTS WITH $p "
        "RETURN p.decision_no AS no, e.uscc AS uscc, p.decision_date AS date",
        {"p": "杭市监罚〔2016〕2"})}
    assert subjects["杭市监罚〔2016〕201号"] == (E1, dt.date(2016, 3, 28))
    assert subjects["杭市监罚〔2016〕202号"] == (E2, dt.date(2016, 3, 29))  # via 工商注册号
    assert subjects["杭市监罚〔2016〕203号"] == (E1, dt.date(2016, 3, 30))  # via 组织机构代码
    assert subjects["杭市监罚〔2016〕204号"] == (E3, dt.date(2016, 3, 31))  # by name; Excel serial
    assert subjects["杭市监罚〔2016〕207号"][0] == "91110000600037341L"  # created from the record
    fine = store.read("MATCH (p:Penalty {decision_no: $no}) RETURN p.fine_amount AS f",
                      {"no": "杭市监罚〔2016〕201号"})
    assert fine == [{"f": 1.5}]


def test_the_2016_variant_headers_are_understood(store, tmp_path):
    load(store, SAMPLE, tmp_path)
    directory = tmp_path / "feed"
    directory.mkdir()
    write_csv(directory / "penalties.csv",
              ["行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚事由", "处罚依据", "行政相对人名称",
               "代码_1", "代码_2", "代码_3", "代码_4", "代码_5", "法定代表人", "处罚结果", "处罚决定日期",
               "处罚机关", "当前状态", "地方编码", "数据更新时间戳"],
              [["杭市监罚〔2016〕301号", "虚假宣传", "罚款", "虚假宣传", "广告法", "杭州拱墅恒达建材有限公司",
                "", "", "", "", "", "王强", "罚款3万元", "2016-04-01", "杭州市市场监督管理局", "正常",
                "330100", "2016-04-02 10:00:00"]])
    report = load(store, directory, tmp_path)
    assert by_file(report)["penalties.csv"] == (1, 1, 0, 0)
    assert "数据更新时间戳" in report.files[0].unused_columns
    assert store.read("MATCH (p:Penalty {decision_no: '杭市监罚〔2016〕301号'})-[:PENALIZED]->(e) "
                      "RETURN e.uscc AS u, p.facts AS f, p.content AS c") == [
        {"u": E3, "f": "虚假宣传", "c": "罚款3万元"}]


def test_invalid_legacy_and_check_character_codes(store, tmp_path):
    directory = tmp_path / "feed"
    directory.mkdir()
    bad_check = E1[:17] + ("A" if E1[17] != "A" else "B")
    write_csv(directory / "enterprises.csv",
              ["uscc", "name", "reg_no", "org_code", "established", "registered_capital"], [
                  [E1, "杭州西湖龙井茶业有限公司", "330106000123458", "14391234-9", "1998-02-28",
                   "500万元"],
                  [bad_check, "杭州校验位错误有限公司", "", "", "2001-01-01", ""],
                  ["91330106I4391234", "杭州非法字符有限公司", "", "", "", ""],
                  [E2, "杭州滨江云图科技有限公司", "330108000678900", "1234", "", ""],
                  [E3, "杭州拱墅恒达建材有限公司", "", "", "", "三百万"],
                  [E1, "杭州西湖龙井茶业有限公司", "", "", "", ""],  # duplicate row
              ])
    report = load(store, directory, tmp_path)
    assert by_file(report)["enterprises.csv"] == (6, 3, 1, 2)
    rejected = {r["line"]: (r["column"], r["reason"]) for r in issues(report.rejects_file)}
    assert rejected["4"][0] == "uscc" and "length 16" in rejected["4"][1]
    assert rejected["6"] == ("registered_capital", "'三百万' is not a number")
    warned = {(r["line"], r["column"]) for r in issues(report.warnings_file)}
    assert ("3", "uscc") in warned  # check character: kept and flagged
    assert ("5", "reg_no") in warned and ("5", "org_code") in warned
    flagged = store.read("MATCH (e:Enterprise {uscc: $u}) RETURN e.code_warning AS w, "
                         "e.reg_no AS r", {"u": bad_check})
    assert "check character" in flagged[0]["w"]
    capital = store.read("MATCH (e:Enterprise {uscc: $u}) RETURN e.registered_capital AS c",
                         {"u": E1})
    assert capital == [{"c": 500.0}]

    strict_store_dir = tmp_path / "strict"
    strict_store_dir.mkdir()
    shutil.copy(directory / "enterprises.csv", strict_store_dir / "enterprises.csv")
    strict = load(store, strict_store_dir, tmp_path, strict=True)
    assert "(--strict)" in {r["line"]: r["reason"] for r in issues(strict.rejects_file)}["3"]


def test_ambiguous_names_are_rejected_never_guessed(store, tmp_path):
    directory = tmp_path / "feed"
    directory.mkdir()
    write_csv(directory / "enterprises.csv", ["uscc", "name"], [
        [E1, "杭州重名有限公司"], [E2, "杭州 重名有限公司"],  # same name once spaces are ignored
    ])
    write_csv(directory / "penalties.csv",
              ["decision_no", "subject_name", "decision_date", "authority"],
              [["罚〔2016〕1号", "杭州重名有限公司", "2016-01-05", "某局"]])
    report = load(store, directory, tmp_path)
    assert by_file(report)["penalties.csv"] == (1, 0, 0, 1)
    reason = issues(report.rejects_file)[0]["reason"]
    assert "ambiguous name '杭州重名有限公司': 2 enterprises" in reason
    assert store.node_counts()["Penalty"] == 0


def test_an_xlsx_export_with_excel_dates_and_numbers(store, tmp_path):
    directory = sample_copy(tmp_path, "departments.csv", "persons.csv")
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "成立日期", "注册资本", "法定代表人证件号码", "法定代表人"])
    sheet.append([E1, "杭州西湖龙井茶业有限公司", dt.datetime(1998, 2, 28), 500,
                  "330106197003121230", "张伟"])
    sheet.append([E2, "杭州滨江云图科技有限公司", "2005-06-15", "1000", 330102197511202461, "李娜"])
    sheet.append([None, None, None, None, None, None])  # blank row: not a row
    sheet.append([E3, "杭州拱墅恒达建材有限公司", 40422, None, None, None])
    book.save(directory / "企业信息.xlsx")
    report = load(store, directory, tmp_path)
    assert by_file(report)["企业信息.xlsx"] == (3, 3, 0, 0)
    warned = issues(report.warnings_file)
    assert [(w["line"], w["column"]) for w in warned if "lost digits" in w["reason"]] == [
        ("3", "legal_rep_id")]
    assert store.relationship_counts()["LEGAL_REP_OF"] == 1
    dates = {r["u"]: r["d"] for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS u, e.established AS d")}
    assert dates == {E1: dt.date(1998, 2, 28), E2: dt.date(2005, 6, 15),
                     E3: dt.date(2010, 9, 1)}


def test_a_long_code_stored_as_an_excel_number_is_rejected(store, tmp_path):
    directory = tmp_path / "feed"
    directory.mkdir()
    book = Workbook()
    book.active.append(["身份证号", "姓名"])
    book.active.append([330106197003121230, "张伟"])
    book.save(directory / "persons.xlsx")
    report = load(store, directory, tmp_path)
    assert by_file(report)["persons.xlsx"] == (1, 0, 0, 1)
    assert "stored as a number in Excel" in issues(report.rejects_file)[0]["reason"]


# -- structure stops the load before anything is written ---------------------------------------


def test_a_missing_required_column_stops_everything(store, tmp_path):
    directory = sample_copy(tmp_path, "departments.csv", "enterprises.csv")
    write_csv(directory / "penalties.csv", ["decision_no", "subject_name", "authority"],
              [["罚1号", "某公司", "某局"]])
    with pytest.raises(StructuralError, match=r"penalties\.csv: missing required column\(s\): "
                                              r"decision_date"):
        load(store, directory, tmp_path)
    assert sum(store.node_counts().values()) == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("enterprises.csv", b"", "empty file"),
    ("enterprises.csv", b"\xff\xfe\x00\x81\x30\xff\xff", "unknown encoding"),
    ("enterprises.csv", b"\n\n", "no column names"),
    ("whatever.csv", b"a,b\n1,2\n", "not a known input file"),
    ("enterprises.xlsx", b"not a zip", "not a readable .xlsx"),
])
def test_structural_problems_name_the_file(store, tmp_path, name, content, message):
    directory = sample_copy(tmp_path, "departments.csv")
    (directory / name).write_bytes(content)
    with pytest.raises(StructuralError, match=message):
        load(store, directory, tmp_path)
    assert sum(store.node_counts().values()) == 0


def test_colliding_columns_are_structural(store, tmp_path):
    directory = tmp_path / "feed"
    directory.mkdir()
    write_csv(directory / "enterprises.csv", ["uscc", "统一社会信用代码", "name"], [[E1, E1, "x"]])
    with pytest.raises(StructuralError, match="both mean 'uscc'"):
        load(store, directory, tmp_path)


# -- updates -----------------------------------------------------------------------------------


def test_an_updated_export_updates_properties_and_ends_vanished_relations(store, tmp_path):
    load(store, SAMPLE, tmp_path, source="registry")
    directory = sample_copy(tmp_path, "relations.csv")
    lines = (directory / "relations.csv").read_text(encoding="utf-8").splitlines()
    vanished = [line for line in lines if line.startswith("330102197511202461,总经理")]
    (directory / "relations.csv").write_text(
        "\n".join(line for line in lines if line not in vanished) + "\n", encoding="utf-8")
    write_csv(directory / "enterprises.csv", ["uscc", "name", "phone"],
              [[E2, "杭州滨江云图科技有限公司", "0571-86009999"]])
    # one of the feed's relations is more than 5 %: held back unless asked
    held = load(store, directory, tmp_path, today=dt.date(2016, 8, 1), source="registry")
    assert {f.file: f.ended for f in held.files}["relations.csv"] == 0
    assert any("would end 1 of 7 open relations" in note for note in held.notes)
    report = load(store, directory, tmp_path, today=dt.date(2016, 8, 1), source="registry",
                  allow_mass_end=True)
    assert {f.file: f.ended for f in report.files}["relations.csv"] == 1
    assert store.read("MATCH (e:Enterprise {uscc: $u}) RETURN e.phone AS p, e.address AS a",
                      {"u": E2}) == [{"p": "0571-86009999", "a": "杭州市滨江区江南大道100号"}]
    executive = store.read("MATCH ()-[r:EXECUTIVE_OF]->() RETURN r.end_date AS e, "
                           "r.ended_by AS b")
    assert executive == [{"e": dt.date(2016, 8, 1), "b": "load"}]  # ended, not deleted
    # this enterprises.csv has no legal representative columns: it says nothing about them
    assert {r["ended"] for r in rel_props(store, "LEGAL_REP_OF")} == {None}

    # listed again: reopened (also by a load that ends nothing)
    shutil.copy(SAMPLE / "relations.csv", directory / "relations.csv")
    load(store, directory, tmp_path, source="registry")
    assert store.read("MATCH ()-[r:EXECUTIVE_OF]->() RETURN r.end_date AS e") == [{"e": None}]


def test_a_rejected_row_does_not_end_relations(store, tmp_path):
    load(store, SAMPLE, tmp_path, source="registry")
    directory = sample_copy(tmp_path, "relations.csv")
    text = (directory / "relations.csv").read_text(encoding="utf-8")
    (directory / "relations.csv").write_text(
        text.replace("330102197511202461,总经理,91330108577822332C,,总经理,,2005-06-15,",
                     "330102197511202461,总经理,91330108577822332C,,总经理,,2005-13-45,"),
        encoding="utf-8")
    report = load(store, directory, tmp_path, source="registry", allow_mass_end=True)
    assert by_file(report)["relations.csv"] == (7, 0, 6, 1)
    assert any("were not ended" in note for note in report.notes)
    assert store.read("MATCH ()-[r:EXECUTIVE_OF]->() RETURN r.end_date AS e") == [{"e": None}]


# -- mapping files -----------------------------------------------------------------------------


def test_a_mapping_file_maps_other_layouts(store, tmp_path):
    directory = tmp_path / "feed"
    directory.mkdir()
    write_csv(directory / "市场主体名录.csv", ["信用代码号", "主体名", "开业日"],
              [[E1, "杭州西湖龙井茶业有限公司", "1998-02-28"]])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("files:\n  市场主体名录.csv: enterprises\ncolumns:\n  enterprises:\n"
                       "    信用代码号: uscc\n    主体名: name\n    开业日: established\n",
                       encoding="utf-8")
    report = load(store, directory, tmp_path, mapping=mapping)
    assert by_file(report) == {"市场主体名录.csv": (1, 1, 0, 0)}


@pytest.mark.parametrize(("text", "message"), [
    ("files:\n  a.csv: companies\n", r"files\.a\.csv: unknown kind 'companies'"),
    ("columns:\n  enterprises:\n    代码: code\n",
     r"columns\.enterprises\.代码: 'code' is not a column of enterprises"),
    ("columns: [1, 2]\n", "columns: expected kind"),
    ("files: {a: [\n", "not valid YAML"),
    ("other: 1\n", "expected the sections"),
])
def test_a_malformed_mapping_file_is_refused_whole(tmp_path, text, message):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(StructuralError, match=message):
        load_spec(mapping)


def test_keyed_hashes_are_the_same_after_the_registry_forgets_them(monkeypatch):
    """The registry remembers a load's keyed hashes up to a bound, then starts afresh: a person
    named again after that is keyed exactly as before (one subject, never two)."""
    from creditgraph.graph.documents import document_key, identify
    from creditgraph.loaders import registry as registry_module

    monkeypatch.setattr(registry_module, "PID_MEMO", 2)
    secret = b"test-secret-key-0123456789abcdef"
    registry = registry_module.Registry(secret, None)
    numbers = ["11010519491231002X", "110105194912310029", "E12345678"]
    checks = [identify(n, person=True) for n in numbers]
    first = [registry.pid(c) for c in checks]
    again = [registry.pid(c) for c in reversed(checks)][::-1]
    assert first == again == [document_key(c, secret) for c in checks]
    assert len(set(first)) == 3
    assert len(registry._pids) <= 2
    # one number, two document types: two persons, never one key
    passport, other = identify("E12345678", "passport"), identify("E12345678", "other")
    assert registry.pid(passport) != registry.pid(other)
    assert registry.pid(passport) == first[2]


@pytest.mark.parametrize("check", ["uscc_check_char", "org_code_check_char",
                                   "resident_id_check_char"])
def test_a_check_character_of_a_short_code_is_refused_not_guessed(check):
    from creditgraph.graph import identifiers

    with pytest.raises(ValueError):
        getattr(identifiers, check)("1234567")
