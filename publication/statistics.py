"""District and authority statistics (区县信用统计): the figures a district credit office reports
upward, per district of the 13 the 2016 plan names or per authority.

Per row: enterprises founded by the last day of the period (districts only), black and red
entries in force and measures in force on that day (districts only: a measure names the rule
file's generic implementing departments, not an authority), penalties and licenses decided in
the period, the 七天双公示 figures of those decisions whose 7 working days were over by the last
day (published on time, late, or not published by then) with the on-time rate over them, and
the repairs granted in the period (repair decisions: black-list entries removed, penalties'
publication ended early; and entries a feed marked 已修复 without a decision loaded), by the
authority that decided the repair.

Where a subject sits: an enterprise in its registering division (登记机关区划), a person in the
division their document number names, a code made since for an area wholly inside one 2016
district in that district (``SUCCESSORS``); a division outside the 13 (or none, an overseas
entity) counts under 其他 (other). A decision concerning subjects of several districts counts
once in each. An authority is the department named on the entry or decision, as the source
spells it. The counts come from a handful of whole-graph reads grouped here, never from one
query per district."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from creditgraph.graph.divisions import hangzhou_2016
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.publication.field_words import FIELD_WORDS
from creditgraph.queries.audits import publication_outcome
from creditgraph.queries.library import run

OTHER = "其他"
DECISIONS = {"penalty": "penalties", "license": "licenses"}  # publication-audit's kinds
OUTCOMES = {"on_time": "published_on_time", "late": "published_late",
            "unpublished_late": "unpublished_late"}
BY = ("district", "authority")
FIGURES = ("enterprises", "black_in_force", "red_in_force", "measures_in_force", "penalties",
           "licenses", "published_on_time", "published_late", "unpublished_late",
           "on_time_rate", "repairs")
# the CSV's Chinese headers: the fields' words (field_words.py), as the dashboard heads them;
# a deciding authority here is any department, not the list's 认定部门
HEADERS = {field: FIELD_WORDS[field][0] for field in ("district", "district_code", *FIGURES)
           } | {"authority": "部门"}


class StatisticsError(CreditGraphError):
    pass


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date


def period(since: dt.date | None, until: dt.date | None) -> Period:
    """Default: from the first of January of the last day's year to today."""
    last = until or dt.date.today()
    first = since or dt.date(last.year, 1, 1)
    if last < first:
        raise StatisticsError(f"--to {last} is before --from {first}")
    return Period(first, last)


# Codes made after 2016 (or before it) for an area wholly inside one 2016 district. 钱塘区
# (330114, 2021) was formed from parts of 江干区 and 萧山区: it counts under 其他.
SUCCESSORS = {"330112": "330185",   # 临安区 (2017) ← 临安市
              "330113": "330110",   # 临平区 (2021) ← 余杭区
              "330183": "330111"}   # 富阳市 (until 2015) → 富阳区


def district_of(division: str | None) -> str:
    code = (division or "")[:6]
    code = SUCCESSORS.get(code, code)
    return code if code in hangzhou_2016() else OTHER


def statistics(store: GraphStore, by: str, span: Period) -> list[dict[str, object]]:
    if by not in BY:
        raise StatisticsError(f"--by must be one of {', '.join(BY)}; got {by!r}")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if by == "district":
        for row in run(store, "enterprises-by-district", until=span.until):
            counts[district_of(row["division"])]["enterprises"] += row["enterprises"]
    for kind in ("black", "red"):
        for entries in run(store, "entries-in-force-counts", kind=kind, as_of=span.until):
            counts[_key(by, entries["division"], entries["authority"])][f"{kind}_in_force"] += (
                entries["entries"])
    if by == "district":  # measures name the rule file's generic departments, not authorities
        for measures in run(store, "measures-in-force", as_of=span.until):
            counts[district_of(measures["division"])]["measures_in_force"] += measures["measures"]
    for decision in run(store, "publication-audit", from_date=span.since, to_date=span.until):
        outcome = publication_outcome(decision["decision_date"], decision["publish_date"],
                                      span.until)
        figures = [DECISIONS[str(decision["kind"])], *([OUTCOMES[outcome]] if outcome else [])]
        keys = {_key(by, division, decision["authority"])
                for division in decision["divisions"] or [None]}
        for key in keys:  # a joint decision counts once in each district it concerns
            counts[key].update(figures)
    for repaired in run(store, "repairs-granted", from_date=span.since, to_date=span.until):
        for key in {_key(by, division, repaired["authority"])
                    for division in repaired["divisions"] or [None]}:
            counts[key]["repairs"] += 1
    return _rows(by, counts)


def _key(by: str, division: str | None, authority: str | None) -> str:
    """The row a record counts in."""
    return district_of(division) if by == "district" else (authority or OTHER)


def _rows(by: str, counts: dict[str, Counter[str]]) -> list[dict[str, object]]:
    if by == "district":
        keys = [*hangzhou_2016(), OTHER]
        names = hangzhou_2016()
    else:
        keys = sorted(k for k in counts if k != OTHER) + ([OTHER] if OTHER in counts else [])
        names = {}
    rows = []
    for key in keys:
        found = counts.get(key, Counter())
        due = found["published_on_time"] + found["published_late"] + found["unpublished_late"]
        figures: dict[str, object] = {f: found[f] for f in FIGURES if f != "on_time_rate"}
        figures["on_time_rate"] = round(found["published_on_time"] / due, 4) if due else None
        if by == "district":
            head: dict[str, object] = {"district_code": None if key == OTHER else key,
                                       "district": names.get(key, OTHER)}
        else:
            head = {"authority": key}
            figures["enterprises"] = None  # enterprises belong to districts, not departments
            figures["measures_in_force"] = None  # see statistics()
        rows.append(head | {f: figures[f] for f in FIGURES})
    return rows
