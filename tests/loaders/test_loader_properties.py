"""Property-based: whatever the rows hold, every one is loaded, merged or rejected, and
rejects.csv lists exactly the rejected ones. Runs on both backends."""

from __future__ import annotations

import csv
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from tests.shared import SAMPLE, SECRET

GOOD_CODES = ["91330106143912349L", "91330108577822332C", "91330105350045671D",
              "330106197003121230", "330105198207053514", "330108000678909", "14391234-9"]
NASTY = ["", " ", "=HYPERLINK(\"http://x\")", "'; MATCH (n) DETACH DELETE n //", "{x}", "`",
         "<script>alert(1)</script>", "\x07\x1b[31m", "2016-02-30", "35%", "-1", "1e400",
         "１２３", "Ⅻ", "x" * 5000, "\"quoted, with comma\"", "line\nbreak", "\x00nul",
         "91330106143912349", "330106197003121231", "NaN", "0", "100%"]
cell = st.one_of(st.sampled_from(GOOD_CODES), st.sampled_from(NASTY), st.text(max_size=30),
                 st.sampled_from(["股东", "法定代表人", "SHAREHOLDER_OF", "配偶", "总经理", "朋友"]),
                 st.dates().map(str))
row = st.lists(cell, min_size=0, max_size=10)

RELATION_HEADER = ["source_id", "relation", "target_id", "ratio", "role", "kind", "start_date",
                   "end_date"]
PENALTY_HEADER = ["decision_no", "subject_name", "subject_code", "fine_amount", "decision_date",
                  "authority", "publish_date"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(relations=st.lists(row, max_size=25), penalties=st.lists(row, max_size=25),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_every_row_is_accounted_for(store, tmp_path_factory, relations, penalties, encoding):
    store.wipe()
    directory = tmp_path_factory.mktemp("fuzz")
    for name in ("departments.csv", "enterprises.csv", "persons.csv", "code_mappings.csv"):
        shutil.copy(SAMPLE / name, directory / name)
    expected = {}
    for name, header, rows in (("relations.csv", RELATION_HEADER, relations),
                               ("penalties.csv", PENALTY_HEADER, penalties)):
        with (directory / name).open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        expected[name] = sum(
            1 for r in rows if any(str(f).replace("\x00", "").strip() for f in r))
    report = load_directory(directory, StoreWriter(store), store.schema, load_spec(), SECRET,
                            directory / "report")
    with open(report.rejects_file, encoding="utf-8-sig", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    for file in report.files:
        assert file.balanced(), file
        assert file.rejected == sum(1 for r in rejects if r["file"] == file.file)
        if file.file in expected:
            assert file.rows == expected[file.file]
    assert "330106197003121230" not in (directory / "report" / "rejects.csv").read_text(
        encoding="utf-8-sig")
