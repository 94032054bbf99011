"""Feeds that must not erase what the graph knows: an empty, truncated or half-read export ends
nothing; ending is for named feeds, within a share; relation periods are kept apart; a value the
source withdraws is withdrawn; reports never echo a number that could be an ID number.
Each test reproduces the failure first found on the demo data."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from creditgraph.access import audit
from creditgraph.loaders.errors import StructuralError
from creditgraph.loaders.pipeline import LoadOptions
from creditgraph.queries.ownership import ownership
from creditgraph.queries.subjects import resolve
from tests.loaders.test_loaders import SAMPLE, issues, load, sample_copy, write_csv
from tests.shared import SECRET

E1, E2 = "91330106143912349L", "91330108577822332C"
RELATIONS_HEADER = ["source_id", "relation", "target_id", "ratio", "role", "kind", "start_date",
                    "end_date"]


def open_relations(store) -> int:
    return store.read("MATCH ()-[r]->() WHERE r.end_date IS NULL AND r.source = $s "
                      "RETURN count(r) AS n", {"s": "registry/relations"})[0]["n"]


@pytest.fixture
def loaded(store, tmp_path):
    """The hand sample, loaded as the named feed ``registry``."""
    load(store, SAMPLE, tmp_path, source="registry")
    assert open_relations(store) == 7
    return store


def feed(tmp_path: Path, text: str, name: str = "relations.csv") -> Path:
    directory = tmp_path / f"feed-{len(list(tmp_path.glob('feed-*')))}"
    directory.mkdir()
    (directory / name).write_text(text, encoding="utf-8")
    return directory


# -- a feed that is not demonstrably complete ends nothing ------------------------------------


def test_a_header_only_feed_ends_nothing(loaded, tmp_path):
    report = load(loaded, feed(tmp_path, ",".join(RELATIONS_HEADER) + "\n"), tmp_path,
                  source="registry", allow_mass_end=True)
    assert report.totals()["ended"] == 0
    assert open_relations(loaded) == 7
    assert report.end_checks[0].held == "no data rows: an empty export never ends relations"


def test_a_stray_quote_that_swallows_lines_is_named_and_ends_nothing(loaded, tmp_path):
    lines = (SAMPLE / "relations.csv").read_text(encoding="utf-8").splitlines()
    # an opening quote in the role column of line 3 runs on to the end of the file
    lines[2] = lines[2].replace(",100,,,", ',100,"董事,,', 1)
    report = load(loaded, feed(tmp_path, "\n".join(lines) + "\n"), tmp_path,
                  source="registry", allow_mass_end=True)
    warned = [w for w in issues(report.warnings_file) if "runs over lines" in w["reason"]]
    assert [(w["file"], w["line"]) for w in warned] == [("relations.csv", "3")]
    assert "3-8" in warned[0]["reason"]
    # a relations row never spans lines: the swallowed row is rejected, naming them
    assert [(r["line"], r["reason"]) for r in issues(report.rejects_file)] == [
        ("3", "a relations row never holds line breaks: lines 3-8 were read as one row")]
    assert report.totals()["ended"] == 0 and "rejected" in report.end_checks[0].held
    assert open_relations(loaded) == 7
    assert loaded.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN count(r) AS n")[0]["n"] == 4


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_an_xlsx_with_data_on_two_sheets_is_refused_not_half_read(loaded, tmp_path):
    with (SAMPLE / "relations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    directory = tmp_path / "xlsx"
    directory.mkdir()
    _workbook(directory / "relations.xlsx", {"第一页": rows[:4], "第二页": [rows[0], *rows[4:]]})
    with pytest.raises(StructuralError, match=r"relations\.xlsx: data on 2 sheets"):
        load(loaded, directory, tmp_path, source="registry", allow_mass_end=True)
    assert open_relations(loaded) == 7

    # data on the second sheet only (the first left empty): that sheet is read, whole
    _workbook(directory / "relations.xlsx", {"说明": [], "数据": rows})
    report = load(loaded, directory, tmp_path, source="registry", allow_mass_end=True)
    assert (report.files[0].rows, report.files[0].merged, report.totals()["ended"]) == (7, 7, 0)


def test_a_load_that_would_end_more_than_the_share_ends_none_and_says_so(loaded, tmp_path):
    lines = (SAMPLE / "relations.csv").read_text(encoding="utf-8").splitlines()
    kept = "\n".join(lines[:3]) + "\n"  # 2 of 7 relations: 5 would end
    report = load(loaded, feed(tmp_path, kept), tmp_path, source="registry")
    check = report.end_checks[0]
    assert (check.open, check.unlisted, check.ended, check.share) == (7, 5, 0, 0.7143)
    assert "would end 5 of 7 open relations (71.4%;" in check.held
    assert open_relations(loaded) == 7

    assert "100.0% of one type" in check.held  # executives, controllers, relatives: all gone

    # the share is checked per type too: 5 of 7 is under 80 %, all executives are not
    report = load(loaded, feed(tmp_path, kept), tmp_path, source="registry", max_end_share=0.8)
    assert (report.end_checks[0].ended, open_relations(loaded)) == (0, 7)
    report = load(loaded, feed(tmp_path, kept), tmp_path, source="registry",
                  allow_mass_end=True)
    assert (report.end_checks[0].ended, open_relations(loaded)) == (5, 2)


def test_an_unnamed_feed_never_ends_relations_so_two_agencies_cannot_end_each_other(
        store, tmp_path):
    load(store, SAMPLE, tmp_path)  # agency A's relations.csv, no --source
    lines = (SAMPLE / "relations.csv").read_text(encoding="utf-8").splitlines()
    agency_b = feed(tmp_path, "\n".join([lines[0], lines[1]]) + "\n")
    for copy in ("enterprises.csv", "persons.csv"):
        (agency_b / copy).write_bytes((SAMPLE / copy).read_bytes())
    report = load(store, agency_b, tmp_path, max_end_share=1.0)  # agency B, no --source
    assert report.totals()["ended"] == 0
    assert "no --source named this feed" in " ".join(report.notes)
    assert store.read("MATCH ()-[r]->() WHERE r.end_date IS NULL AND r.source = 'relations' "
                      "RETURN count(r) AS n")[0]["n"] == 7

    # named feeds keep their own relations: B's complete list does not touch A's
    load(store, SAMPLE, tmp_path, source="agency-a")
    load(store, agency_b, tmp_path, source="agency-b", allow_mass_end=True)
    assert load(store, SAMPLE, tmp_path, source="agency-a").totals()["ended"] == 0


def test_a_malformed_source_name_or_share_is_refused(store, tmp_path):
    for options in ({"source": "../x"}, {"source": ""}, {"max_end_share": 1.5}):
        with pytest.raises(StructuralError):
            LoadOptions(**options).checked()


# -- relation history --------------------------------------------------------------------------


def test_two_periods_of_one_shareholding_stay_two_and_as_of_answers_follow_them(store,
                                                                                tmp_path):
    directory = sample_copy(tmp_path, "enterprises.csv", "persons.csv")
    write_csv(directory / "relations.csv", RELATIONS_HEADER, [
        [E1, "SHAREHOLDER_OF", E2, "40%", "", "", "2015-01-01", "2018-12-31"],
        [E1, "SHAREHOLDER_OF", E2, "55%", "", "", "2021-01-01", ""],
    ])
    load(store, directory, tmp_path, source="registry")
    load(store, directory, tmp_path, source="registry")  # a reload adds nothing
    periods = store.read("MATCH (:Enterprise {uscc: $a})-[r:SHAREHOLDER_OF]->(:Enterprise "
                         "{uscc: $b}) RETURN r.start_date AS s, r.end_date AS e, r.ratio AS q "
                         "ORDER BY s", {"a": E1, "b": E2})
    assert periods == [{"s": dt.date(2015, 1, 1), "e": dt.date(2018, 12, 31), "q": 0.4},
                       {"s": dt.date(2021, 1, 1), "e": None, "q": 0.55}]
    target = resolve(store, E2, SECRET)

    def share(day: dt.date) -> float | None:
        frame = ownership(store, target, day)
        rows = frame[frame["owner_id"] == E1]
        return None if rows.empty else round(float(rows.iloc[0]["share"]), 4)

    assert (share(dt.date(2017, 6, 1)), share(dt.date(2019, 6, 1)),
            share(dt.date(2022, 6, 1))) == (0.4, None, 0.55)


def test_a_start_date_added_later_dates_the_same_relation_instead_of_doubling_it(store,
                                                                               tmp_path):
    directory = sample_copy(tmp_path, "enterprises.csv", "persons.csv")
    def shares() -> list[dict]:
        return store.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN r.start_date AS s, "
                          "r.ratio AS q, r.end_date AS e")

    write_csv(directory / "relations.csv", RELATIONS_HEADER,
              [[E1, "SHAREHOLDER_OF", E2, "30%", "", "", "", ""]])
    load(store, directory, tmp_path)
    write_csv(directory / "relations.csv", RELATIONS_HEADER,  # another feed dates it
              [[E1, "SHAREHOLDER_OF", E2, "30%", "", "", "2016-01-01", ""]])
    load(store, directory, tmp_path)
    assert shares() == [{"s": dt.date(2016, 1, 1), "q": 0.3, "e": None}]
    write_csv(directory / "relations.csv", RELATIONS_HEADER,  # and an undated one again
              [[E1, "SHAREHOLDER_OF", E2, "35%", "", "", "", ""]])
    load(store, directory, tmp_path)
    assert shares() == [{"s": dt.date(2016, 1, 1), "q": 0.35, "e": None}]
    target = resolve(store, E2, SECRET)
    frame = ownership(store, target, dt.date(2020, 1, 1))
    assert frame[frame["owner_id"] == E1]["share"].tolist() == [0.35]


def test_a_value_the_source_withdraws_is_withdrawn(store, tmp_path):
    directory = sample_copy(tmp_path, "enterprises.csv", "persons.csv")
    write_csv(directory / "relations.csv", RELATIONS_HEADER,
              [[E1, "SHAREHOLDER_OF", E2, "60%", "", "", "2005-06-15", "2019-03-01"]])
    load(store, directory, tmp_path, source="registry")
    write_csv(directory / "relations.csv", RELATIONS_HEADER,  # the end date was a mistake
              [[E1, "SHAREHOLDER_OF", E2, "", "", "", "2005-06-15", ""]])
    load(store, directory, tmp_path, source="registry")
    assert store.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN r.end_date AS e, "
                      "r.ended_by AS b, r.ratio AS q") == [{"e": None, "b": None, "q": None}]

    # a file without the column says nothing about it: the stored value stays
    (directory / "relations.csv").write_text(
        f"source_id,relation,target_id,start_date,ratio\n{E1},SHAREHOLDER_OF,{E2},2005-06-15,"
        "0.6\n", encoding="utf-8")
    load(store, directory, tmp_path, source="registry")
    (directory / "relations.csv").write_text(
        f"source_id,relation,target_id,start_date,end_date\n{E1},SHAREHOLDER_OF,{E2},"
        "2005-06-15,2020-01-01\n", encoding="utf-8")
    load(store, directory, tmp_path, source="registry")
    assert store.read("MATCH ()-[r:SHAREHOLDER_OF]->() RETURN r.end_date AS e, "
                      "r.ratio AS q") == [{"e": dt.date(2020, 1, 1), "q": 0.6}]


# -- reports never echo a number that could be an ID number ------------------------------------


TYPOS = ["330105198207053515",   # wrong check digit
         "3301051982070535144",  # one digit too many
         "33010519820705351",    # one too few
         "330105198213053514",   # impossible month
         "330105820705351"]      # 15 digits


def test_reports_mask_every_run_of_fifteen_digits(store, tmp_path):
    directory = sample_copy(tmp_path, "enterprises.csv", "persons.csv")
    write_csv(directory / "relations.csv", RELATIONS_HEADER,
              [[typo, "SHAREHOLDER_OF", E2, f"持有人 {typo} 的份额", "", "", "", ""]
               for typo in TYPOS])
    report = load(store, directory, tmp_path)
    text = Path(report.rejects_file).read_text(encoding="utf-8-sig") + Path(
        report.warnings_file).read_text(encoding="utf-8-sig") + json.dumps(report.as_dict())
    assert report.files[-1].rejected == len(TYPOS)
    for typo in TYPOS:
        assert typo not in text and typo[6:14] not in text
    assert "330105" in text  # masked, not dropped: the division stays readable


def test_the_load_and_its_end_checks_are_on_the_audit_record(run_cli, backend_env, tmp_path):
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()}
    out = run_cli("load", str(SAMPLE), "--source", "registry", "--no-propagate",
                  "--report-dir", str(tmp_path / "r"), env=env)
    assert out.returncode == 0, out.stderr
    header_only = feed(tmp_path, ",".join(RELATIONS_HEADER) + "\n")
    out = run_cli("load", str(header_only), "--source", "registry", "--no-propagate",
                  "--report-dir", str(tmp_path / "r"), "-f", "json", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["end_checks"][0]["held"].startswith("no data rows")
    records = [json.loads(line) for line in audit.log_path().read_text().splitlines()]
    last = [r for r in records if r["action"] == "load"][-1]
    assert last["details"]["source"] == "registry"
    assert last["details"]["ends"][0]["held"].startswith("no data rows")

    out = run_cli("load", str(tmp_path / "missing"), "--source", "registry", env=env)
    assert out.returncode == 2 and "not a directory" in out.stderr
    records = [json.loads(line) for line in audit.log_path().read_text().splitlines()]
    assert records[-1]["action"] == "load-failed"
    assert run_cli("load", str(SAMPLE), "--max-end-share", "1.5", env=env).returncode == 2
