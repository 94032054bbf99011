"""Publication windows of penalties (公示期限), from a rule file (periods.yaml).

A penalty is public from its decision date for at least ``min_months`` (repair may be asked for
only after that) and at most ``max_months`` (then it is taken down); a 公示截止期 the source gave
ends it earlier. The file is checked whole before any use and refused with the file and key of
every problem: a half-read rule would publish what must be taken down, or hide what must not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import publication_rules_file

DEFAULT_PERIODS = Path(__file__).resolve().parent / "periods.yaml"
SEARCHED = ("violation_type", "basis", "content", "authority")  # where a domain's words are
PERIOD_KEYS = {"min_months", "max_months", "repairable", "basis"}


class PeriodsError(CreditGraphError):
    """A publication-period file that cannot be used as it is."""


@dataclass(frozen=True)
class Period:
    domain: str  # 一般 for the default
    min_months: int
    max_months: int
    repairable: bool
    basis: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Periods:
    default: Period
    domains: tuple[Period, ...]
    source: str

    def period_of(self, penalty: Mapping[str, Any]) -> Period:
        """The longest period among the domains the penalty's text names; the default when
        it names none."""
        text = " ".join(str(penalty.get(field) or "") for field in SEARCHED)
        matched = [p for p in self.domains if any(word in text for word in p.words)]
        if not matched:
            return self.default
        return max(matched, key=lambda p: (p.max_months, p.min_months))


@dataclass(frozen=True)
class Window:
    start: dt.date
    repair_from: dt.date  # the minimum period has passed
    end: dt.date  # first day it is no longer public
    period: Period
    source_end: bool  # end is the source's 公示截止期
    repaired_on: dt.date | None = None  # a repair decision ended it early (end is that day)
    repair_id: str | None = None

    def public_on(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def as_dict(self) -> dict[str, Any]:
        return {"published_from": self.start.isoformat(),
                "repair_from": self.repair_from.isoformat(),
                "published_until": (self.end - dt.timedelta(days=1)).isoformat(),
                "publication_domain": self.period.domain,
                "repairable": self.period.repairable,
                "publication_basis": ("公示截止期 given by the source; " if self.source_end
                                      else "") + self.period.basis,
                "repaired_on": self.repaired_on.isoformat() if self.repaired_on else None,
                "repair_id": self.repair_id}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # every month has a 28th


def window(penalty: Mapping[str, Any], periods: Periods) -> Window | None:
    """The penalty's window; None when it has no decision date (nothing to count from). A
    repair decision (``repaired_on``, 信用修复: 提前终止公示) ends it on that day."""
    decided = _date(penalty.get("decision_date"))
    if decided is None:
        return None
    period = periods.period_of(penalty)
    end = add_months(decided, period.max_months)
    given = _date(penalty.get("publish_until"))
    source_end = False
    if given is not None and given + dt.timedelta(days=1) < end:
        end, source_end = given + dt.timedelta(days=1), True
    repaired = _date(penalty.get("repaired_on"))
    if repaired is not None and repaired < end:
        end = max(repaired, decided)
    else:
        repaired = None  # decided after the window had ended: nothing it changed
    return Window(decided, add_months(decided, period.min_months), end, period, source_end,
                  repaired, penalty.get("repair_id") if repaired else None)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def periods_path(environ: Mapping[str, str] | None = None) -> Path:
    return publication_rules_file(environ) or DEFAULT_PERIODS


def load_periods(path: Path | None = None) -> Periods:
    """The rule file (CREDITGRAPH_PUBLICATION_RULES, else the shipped one), checked whole."""
    path = (path or periods_path()).resolve()
    try:
        stamp = path.stat()
    except OSError as exc:
        raise PeriodsError(f"{path}: cannot read the publication-period file: "
                           f"{exc.strerror}") from None
    return _load(path, (stamp.st_mtime_ns, stamp.st_size))


@lru_cache(maxsize=8)
def _load(path: Path, _stamp: tuple[int, int]) -> Periods:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PeriodsError(f"{path}: not readable YAML: {exc}") from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PeriodsError(f"{path}: expected a mapping with default and domains")
    for key in set(data) - {"default", "domains"}:
        problems.append(f"{key}: unknown key (expected default, domains)")
    default = _period("一般", data.get("default"), "default", problems, words=False)
    domains = []
    raw_domains = data.get("domains") or {}
    if not isinstance(raw_domains, dict):
        problems.append("domains: expected a mapping of domain name → period")
        raw_domains = {}
    for name, spec in raw_domains.items():
        period = _period(str(name), spec, f"domains.{name}", problems, words=True)
        if period is not None:
            domains.append(period)
    if problems or default is None:
        raise PeriodsError(f"{path}: refused, nothing used:\n  " + "\n  ".join(problems))
    return Periods(default, tuple(domains), str(path))


def _period(name: str, spec: Any, where: str, problems: list[str], words: bool
            ) -> Period | None:
    if not isinstance(spec, dict):
        problems.append(f"{where}: expected a mapping with {', '.join(sorted(PERIOD_KEYS))}")
        return None
    allowed = PERIOD_KEYS | ({"words"} if words else set())
    before = len(problems)
    for key in sorted(set(spec) - allowed):
        problems.append(f"{where}.{key}: unknown key (expected {', '.join(sorted(allowed))})")
    for key in sorted(allowed - set(spec)):
        problems.append(f"{where}.{key}: missing")
    months = {}
    for key in ("min_months", "max_months"):
        value = spec.get(key)
        if key in spec and (not isinstance(value, int) or isinstance(value, bool)
                            or not 0 <= value <= 600):
            problems.append(f"{where}.{key}: expected whole months 0-600, got {value!r}")
        else:
            months[key] = value
    low, high = months.get("min_months"), months.get("max_months")
    if low is not None and high is not None and low > high:
        problems.append(f"{where}: min_months {months['min_months']} is more than max_months "
                        f"{months['max_months']}")
    if "repairable" in spec and not isinstance(spec["repairable"], bool):
        problems.append(f"{where}.repairable: expected true or false")
    if "basis" in spec and (not isinstance(spec["basis"], str) or not spec["basis"].strip()):
        problems.append(f"{where}.basis: expected the rule the period comes from")
    found_words: tuple[str, ...] = ()
    if words and "words" in spec:
        raw = spec["words"]
        if not isinstance(raw, list) or not raw or not all(
                isinstance(w, str) and w.strip() for w in raw):
            problems.append(f"{where}.words: expected a list of words (at least one)")
        else:
            found_words = tuple(w.strip() for w in raw)
    if len(problems) > before:
        return None
    return Period(name, spec["min_months"], spec["max_months"], spec["repairable"],
                  spec["basis"].strip(), found_words)
