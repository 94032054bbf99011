"""District and authority statistics (publication/statistics.py, `creditgraph stats`): every
figure equals the same rule applied here in Python to everything the store holds."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from creditgraph.graph.divisions import hangzhou_2016
from creditgraph.policy import workdays
from creditgraph.publication.statistics import OTHER, StatisticsError, period, statistics
from creditgraph.queries.audits import publication_outcome
from tests.conftest import load_seed
from tests.shared import SECRET

AS_OF = dt.date(2026, 11, 1)
SPAN = period(dt.date(2020, 1, 1), AS_OF)


SEED = {"enterprises": 400, "seed": 17}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture
def seeded(store, seed_dir, tmp_path):
    return load_seed(store, seed_dir, tmp_path / "rejects", SECRET, AS_OF)


# What a code made after 2016 counts as (the module's SUCCESSORS, written out again here).
LATER_CODES = {"330112": "330185", "330113": "330110", "330183": "330111"}


def district(division: str | None) -> str:
    code = LATER_CODES.get((division or "")[:6], (division or "")[:6])
    return code if code in hangzhou_2016() else OTHER


def working_days_after(start: dt.date, end: dt.date) -> int:
    return sum(workdays.is_workday(start + dt.timedelta(days=n)) for n in
               range(1, (end - start).days + 1))


def outcome(decided: dt.date, published: dt.date | None) -> str | None:
    if working_days_after(decided, AS_OF) <= 7:
        return None
    if published is None or published > AS_OF:
        return "unpublished_late"
    return "published_on_time" if working_days_after(decided, published) <= 7 else (
        "published_late")


def expected_by_district(store) -> dict[str, Counter]:
    """The rule, applied in Python to unfiltered reads (one row per relationship)."""
    counts: dict[str, Counter] = {key: Counter() for key in [*hangzhou_2016(), OTHER]}
    for row in store.read("MATCH (e:Enterprise) RETURN e.division AS division, "
                          "e.established AS established"):
        if row["established"] is None or row["established"] <= AS_OF:
            counts[district(row["division"])]["enterprises"] += 1
    for row in store.read("MATCH (l:ListEntry)-[:LISTED]->(s) RETURN l.list_kind AS kind, "
                          "l.status AS status, l.status_date AS status_date, "
                          "l.start_date AS start_date, l.end_date AS end_date, "
                          "l.repaired_on AS repaired_on, s.division AS division"):
        in_force = (row["start_date"] <= AS_OF
                    and (row["end_date"] is None or row["end_date"] >= AS_OF)
                    and (row["status"] == "active" or (row["status_date"] is not None
                                                       and row["status_date"] > AS_OF))
                    and (row["repaired_on"] is None or row["repaired_on"] > AS_OF))
        if in_force:
            counts[district(row["division"])][f"{row['kind']}_in_force"] += 1
        if (row["status"] == "repaired" and row["repaired_on"] is None
                and row["status_date"] is not None
                and SPAN.since <= row["status_date"] <= SPAN.until):
            counts[district(row["division"])]["repairs"] += 1
    for target, link in (("ListEntry", "LISTED"), ("Penalty", "PENALIZED")):
        places: dict[str, set[str]] = {}  # a repair counts once in each district it concerns
        for row in store.read(f"MATCH (r:Repair)-[:REPAIRS]->(:{target})-[:{link}]->(s) "
                              "RETURN r.repair_id AS id, r.decision_date AS day, "
                              "s.division AS division"):
            if SPAN.since <= row["day"] <= SPAN.until:
                places.setdefault(row["id"], set()).add(district(row["division"]))
        for found in places.values():
            for place in found:
                counts[place]["repairs"] += 1
    for row in store.read("MATCH (s:Sanction)-[:APPLIES_TO]->(x) RETURN s.kind AS kind, "
                          "s.valid_from AS valid_from, s.valid_to AS valid_to, "
                          "x.division AS division"):
        if (row["kind"] == "punishment" and row["valid_from"] <= AS_OF
                and (row["valid_to"] is None or row["valid_to"] >= AS_OF)):
            counts[district(row["division"])]["measures_in_force"] += 1
    for label, link, key, name in (("Penalty", "PENALIZED", "penalty_id", "penalties"),
                                   ("License", "LICENSED", "license_id", "licenses")):
        decisions: dict[str, dict] = {}
        for row in store.read(f"MATCH (d:{label})-[:{link}]->(s) RETURN d.{key} AS key, "
                              "d.decision_date AS decided, d.publish_date AS published, "
                              "s.division AS division"):
            found = decisions.setdefault(row["key"], row | {"districts": set()})
            found["districts"].add(district(row["division"]))
        for row in decisions.values():
            if not SPAN.since <= row["decided"] <= SPAN.until:
                continue
            for place in row["districts"]:
                counts[place][name] += 1
                result = outcome(row["decided"], row["published"])
                if result:
                    counts[place][result] += 1
    return counts


def test_district_figures_follow_the_rule_applied_to_everything(seeded):
    rows = {row["district"]: row for row in statistics(seeded, "district", SPAN)}
    names = {**hangzhou_2016(), OTHER: OTHER}
    assert list(rows) == list(names.values())
    expected = expected_by_district(seeded)
    for code, name in names.items():
        row, want = rows[name], expected[code]
        for figure in ("enterprises", "black_in_force", "red_in_force", "measures_in_force",
                       "penalties", "licenses", "published_on_time", "published_late",
                       "unpublished_late", "repairs"):
            assert row[figure] == want[figure], (name, figure)
        due = want["published_on_time"] + want["published_late"] + want["unpublished_late"]
        assert row["on_time_rate"] == (round(want["published_on_time"] / due, 4) if due
                                       else None)
    totals = Counter()
    for row in rows.values():
        totals.update({k: v for k, v in row.items() if isinstance(v, int)})
    assert totals["enterprises"] == seeded.node_counts()["Enterprise"]
    assert totals["black_in_force"] > 0 and totals["measures_in_force"] > 0
    assert totals["penalties"] > 0 and totals["licenses"] > 0 and totals["repairs"] > 0
    assert totals["published_late"] + totals["unpublished_late"] > 0  # the seed plants late ones


def test_authority_figures_add_up_to_the_district_ones(seeded):
    by_district = statistics(seeded, "district", SPAN)
    by_authority = statistics(seeded, "authority", SPAN)
    for figure in ("black_in_force", "red_in_force", "penalties", "licenses",
                   "published_on_time", "repairs"):  # the seed has no joint decision
        assert sum(r[figure] for r in by_authority) == sum(r[figure] for r in by_district)
    assert all(r["enterprises"] is None and r["measures_in_force"] is None
               for r in by_authority)
    assert len(by_authority) > 3 and OTHER not in [r["authority"] for r in by_authority[:-1]]


def test_the_seven_day_outcome_at_its_edges():
    decided = dt.date(2025, 9, 26)  # a Friday before the National Day holiday and its swaps
    seventh, eighth = (workdays.add_workdays(decided, n) for n in (7, 8))
    assert publication_outcome(decided, seventh, eighth) == "on_time"
    assert publication_outcome(decided, eighth, eighth) == "late"
    assert publication_outcome(decided, None, seventh) is None  # not yet due
    assert publication_outcome(decided, None, eighth) == "unpublished_late"
    later = eighth + dt.timedelta(days=20)
    assert publication_outcome(decided, later, eighth) == "unpublished_late"  # unknown then
    assert working_days_after(decided, eighth) == 8 and eighth > decided + dt.timedelta(days=10)


def test_bad_periods_and_groupings_are_refused(seeded):
    with pytest.raises(StatisticsError, match="--to 2020-01-01 is before --from 2024-01-01"):
        period(dt.date(2024, 1, 1), dt.date(2020, 1, 1))
    with pytest.raises(StatisticsError, match="--by must be one of district, authority"):
        statistics(seeded, "street", SPAN)
    assert period(None, AS_OF) == period(dt.date(2026, 1, 1), AS_OF)


def test_the_cli_prints_each_format(run_cli, backend_env, seed_dir, tmp_path: Path):
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode()}
    assert run_cli("init", env=env).returncode == 0
    assert run_cli("load", str(seed_dir), env=env).returncode == 0
    done = run_cli("stats", "--from", "2020-01-01", "--to", AS_OF.isoformat(), "-f", "json",
                   env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["by"], report["from"], report["to"]) == ("district", "2020-01-01",
                                                            AS_OF.isoformat())
    assert [r["district"] for r in report["rows"]] == [*hangzhou_2016().values(), OTHER]
    table = run_cli("stats", "--by", "authority", "--from", "2020-01-01", "--to",
                    AS_OF.isoformat(), env=env)
    assert table.returncode == 0 and "authority" in table.stdout
    assert "杭州市市场监督管理局" in table.stdout and "%" in table.stdout
    sheet = run_cli("stats", "--to", AS_OF.isoformat(), "-f", "csv", env=env)
    assert sheet.returncode == 0 and sheet.stdout.startswith("\ufeff区划代码,区县,企业数")
    bad = run_cli("stats", "--from", "2026-13-01", env=env)
    assert bad.returncode == 2 and "--from '2026-13-01' is not a date" in bad.stderr


def test_working_days_between_dates_match_a_day_by_day_count():
    """The ranked count (policy/workdays.py) against walking the State Council calendar day by
    day, across holidays, swapped weekend working days, years and the Monday–Friday fallback
    outside the calendar's years."""
    rng = random.Random(7)
    for _ in range(400):
        start = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(0, 12_000))
        end = start + dt.timedelta(days=rng.randrange(-30, 900))
        walked, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            walked += workdays.is_workday(day)
        assert workdays.workdays_between(start, end) == walked, (start, end)
    assert workdays.workdays_between(dt.date(2024, 9, 30), dt.date(2024, 10, 8)) == 1  # 国庆
