"""Hostile and broken input: fuzzed loader files (broken encodings, truncated rows, wrong types,
huge fields, formula and query injection, control characters) never crash a load and every row
is accounted for; injection payloads are stored as data on both backends and come back
unchanged; exported tables neutralise formula cells."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditgraph.graph.errors import CreditGraphError
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import DryRunWriter, StoreWriter
from creditgraph.queries.library import run
from creditgraph.queries.linked import linked_dishonesty
from creditgraph.queries.subjects import resolve
from tests.shared import ROOT, SECRET

PAYLOADS = [
    "=HYPERLINK(\"http://evil.example\",\"点我\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
    "'; MATCH (n) DETACH DELETE n //", "\" }) DETACH DELETE n //", "`) DETACH DELETE n //",
    "{name: 'x'}", "$param", "<script>alert('xss')</script>", "<img src=x onerror=alert(1)>",
    "**bold** [link](javascript:alert(1))", "\x07\x1b[31mred\x1b[0m", "a\tb", "行\r\n断",
]
KINDS = {
    "enterprises.csv": ["uscc", "name", "division", "address", "phone", "established",
                        "legal_rep_id", "legal_rep_name"],
    "relations.csv": ["source_id", "relation", "target_id", "ratio", "role", "kind",
                      "start_date", "end_date"],
    "list_entries.csv": ["entry_id", "list", "list_type", "subject_code", "subject_name",
                         "reason", "authority", "start_date", "end_date", "status"],
    "penalties.csv": ["decision_no", "subject_name", "subject_code", "fine_amount",
                      "decision_date", "authority", "publish_date"],
}
CODES = ["91330106143912349L", "91330108577822332C", "330105198207053514", "330108000678909",
         "14391234-9", "91330106143912349", "330106197003121231"]
cell = st.one_of(st.sampled_from(CODES), st.sampled_from(PAYLOADS), st.text(max_size=40),
                 st.dates().map(str), st.sampled_from(["", "x" * 70_000, "1e400", "-1", "35%",
                                                       "股东", "黑名单", "失信被执行人"]))


def _file(kind: str, rows: list[list[str]], encoding: str, cut: int | None) -> bytes:
    """A CSV written the way a department's export might be: any encoding, maybe truncated."""
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(KINDS[kind])
    for row in rows:
        writer.writerow(row)
    data = out.getvalue().encode(encoding, errors="replace")
    return data[:cut] if cut is not None else data


@pytest.mark.embedded
@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)),
       rows=st.lists(st.lists(cell, max_size=12), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
       noise=st.binary(max_size=40))
def test_fuzzed_files_never_crash_a_load_and_every_row_is_accounted_for(
        embedded_store, tmp_path_factory, kind, rows, encoding, cut, noise):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / kind).write_bytes(_file(kind, rows, encoding, cut) + noise)
    try:
        report = load_directory(folder, DryRunWriter(embedded_store), embedded_store.schema,
                                load_spec(), SECRET, folder / "report")
    except CreditGraphError as exc:
        # refused as a whole file (encoding, header): one clear message naming the file
        assert kind in str(exc) or "encoding" in str(exc) or "header" in str(exc), exc
        return
    for file in report.files:
        assert file.balanced(), file
        assert file.rows == file.loaded + file.merged + file.rejected


@pytest.fixture(scope="module")
def embedded_store(tmp_path_factory):
    from creditgraph.graph.settings import Settings
    from creditgraph.graph.store import open_store

    store = open_store(Settings(store_path=tmp_path_factory.mktemp("fuzz-store") / "s"))
    store.init_schema()
    load_directory(ROOT / "seed" / "sample",
                   StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path_factory.mktemp("fuzz-report"))
    yield store
    store.close()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_injection_payloads_are_stored_as_data(store, tmp_path):
    """Names, reasons and roles carrying query, HTML and formula payloads load, are stored
    verbatim, and come back through queries and the case export unchanged; the graph is whole."""
    from creditgraph.casefile.export import export_case

    folder = tmp_path / "in"
    folder.mkdir()
    firms = [("91330106143912349L", PAYLOADS[4]), ("91330108577822332C", PAYLOADS[9]),
             ("91330105350045671D", PAYLOADS[0])]
    write_csv(folder / "enterprises.csv", ["uscc", "name", "legal_rep_id", "legal_rep_name"],
              [[code, name, "330105198207053514", PAYLOADS[6]] for code, name in firms])
    write_csv(folder / "list_entries.csv", ["entry_id", "list", "list_type", "subject_code",
                                            "reason", "authority", "start_date"],
              [["HZ-B-1", "黑名单", "失信被执行人", "91330108577822332C", PAYLOADS[1],
                PAYLOADS[5], "2020-01-01"]])
    report = load_directory(folder, StoreWriter(store), store.schema, load_spec(), SECRET,
                            tmp_path / "r")
    assert report.totals()["rejected"] == 0
    names = {r["key"]: r["name"] for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key, e.name AS name")}
    assert names == dict(firms)
    assert store.node_counts()["Enterprise"] == 3 and store.node_counts()["Person"] == 1
    person = resolve(store, "330105198207053514", SECRET)
    assert person.name == PAYLOADS[6]
    found = linked_dishonesty(store, person, 1, dt.date(2021, 1, 1))
    assert list(found["name"]) == [PAYLOADS[9]]
    assert PAYLOADS[9] in found["explanation"][0]
    entry = run(store, "entries-by-id", ids=["HZ-B-1"])[0]
    assert (entry["reason"], entry["authority"]) == (PAYLOADS[1], PAYLOADS[5])
    export_case(store, [person], dt.date(2021, 1, 1), 1, "INJ-1", tmp_path / "case")
    html = (tmp_path / "case" / "data" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    book = openpyxl.load_workbook(tmp_path / "case" / "data" / "evidence.xlsx")
    formulas = [c.value for sheet in book for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert formulas == []  # every formula-like cell is neutralised ('=…)
    with zipfile.ZipFile(tmp_path / "case" / "data" / "evidence.xlsx") as archive:
        sheets = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                         if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets  # no formula element anywhere


def test_the_dashboard_shows_data_as_written_never_as_markup():
    """No page renders HTML from data; names shown through markdown are escaped."""
    from creditgraph.dashboard.widgets import md, neutralized

    root = ROOT / "dashboard"
    assert not [p for p in root.rglob("*.py") if "unsafe_allow_html" in p.read_text()]
    assert md("[点我](javascript:alert(1))") == r"\[点我\]\(javascript:alert\(1\)\)"
    assert md("<img src=x>**粗**") == r"\<img src=x\>\*\*粗\*\*"
    import pandas as pd

    frame = neutralized(pd.DataFrame({"a": ["=1+1", "+x", "-y", "@z", "正常", ["=l"]]}))
    assert list(frame["a"]) == ["'=1+1", "'+x", "'-y", "'@z", "正常", "'=l"]
