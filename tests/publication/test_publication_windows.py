"""Publication windows (publication/windows.py, periods.yaml): the shipped defaults, a domain's
longer minimum, the source's earlier 公示截止期, month arithmetic, and a malformed rule file
refused whole with the file and key named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from creditgraph.publication.windows import (
    DEFAULT_PERIODS,
    PeriodsError,
    add_months,
    load_periods,
    window,
)

D = dt.date


def test_the_shipped_defaults_follow_the_2023_rules():
    periods = load_periods(DEFAULT_PERIODS)
    general = window({"decision_date": D(2024, 3, 15), "violation_type": "虚假宣传"}, periods)
    assert general is not None
    assert (general.start, general.repair_from, general.end) == (
        D(2024, 3, 15), D(2024, 6, 15), D(2027, 3, 15))
    assert general.period.domain == "一般" and general.period.repairable
    assert general.public_on(D(2027, 3, 14)) and not general.public_on(D(2027, 3, 15))
    assert not general.public_on(D(2024, 3, 14))
    fire = window({"decision_date": D(2024, 3, 15), "authority": "杭州市消防救援支队"}, periods)
    assert fire is not None and fire.period.domain == "消防安全"
    assert fire.repair_from == D(2025, 3, 15) and fire.end == D(2027, 3, 15)
    assert fire.as_dict()["published_until"] == "2027-03-14"


def test_the_source_end_is_kept_only_when_earlier():
    periods = load_periods(DEFAULT_PERIODS)
    earlier = window({"decision_date": "2024-03-15", "publish_until": D(2025, 1, 31)}, periods)
    assert earlier is not None and earlier.end == D(2025, 2, 1) and earlier.source_end
    assert earlier.as_dict()["publication_basis"].startswith("公示截止期 given by the source")
    later = window({"decision_date": "2024-03-15", "publish_until": D(2030, 1, 1)}, periods)
    assert later is not None and later.end == D(2027, 3, 15) and not later.source_end
    assert window({"decision_date": None}, periods) is None


def test_a_penalty_in_several_domains_takes_the_longest_period(tmp_path: Path):
    rules = yaml.safe_load(DEFAULT_PERIODS.read_text(encoding="utf-8"))
    rules["domains"]["食品安全"] = {"words": ["食品"], "min_months": 6, "max_months": 60,
                                   "repairable": False, "basis": "某市规定"}
    path = tmp_path / "periods.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    both = window({"decision_date": D(2020, 1, 31), "violation_type": "食品安全",
                   "basis": "《安全生产法》"}, load_periods(path))
    assert both is not None and both.period.domain == "食品安全" and not both.period.repairable
    assert both.end == D(2025, 1, 31)


def test_month_arithmetic_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert add_months(D(2024, 5, 3), 0) == D(2024, 5, 3)


@pytest.mark.parametrize(("change", "named"), [
    (lambda r: r["default"].pop("basis"), "default.basis: missing"),
    (lambda r: r["default"].update(min_months=-1), "default.min_months: expected whole months"),
    (lambda r: r["default"].update(max_months="three years"), "default.max_months"),
    (lambda r: r["default"].update(min_months=40), "min_months 40 is more than max_months 36"),
    (lambda r: r["domains"]["消防安全"].update(words=[]), "domains.消防安全.words"),
    (lambda r: r["domains"]["消防安全"].update(repairable="yes"), "domains.消防安全.repairable"),
    (lambda r: r["domains"]["消防安全"].update(max_mnths=12), "domains.消防安全.max_mnths: unknown"),
    (lambda r: r.update(extra={}), "extra: unknown key"),
    (lambda r: r.pop("default"), "default: expected a mapping"),
])
def test_a_malformed_file_is_refused_whole_naming_file_and_key(tmp_path: Path, change, named):
    rules = yaml.safe_load(DEFAULT_PERIODS.read_text(encoding="utf-8"))
    change(rules)
    path = tmp_path / "periods.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PeriodsError) as refused:
        load_periods(path)
    assert str(path) in str(refused.value) and named in str(refused.value)


def test_unreadable_files_are_refused(tmp_path: Path):
    with pytest.raises(PeriodsError, match="cannot read"):
        load_periods(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("default: [unclosed", encoding="utf-8")
    with pytest.raises(PeriodsError, match="not readable YAML"):
        load_periods(bad)
