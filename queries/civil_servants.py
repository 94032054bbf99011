"""Civil-servant integrity (公务员诚信): the integrity file as a timeline, for-profit activity
(公务员法 art. 59: no post or shareholding in an enterprise), conflicts of interest (the servant
or a close relative controls an enterprise that received a license, a penalty decision or a
procurement award from the servant's own department), and a promotion check combining them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore, Row
from creditgraph.policy.workdays import years_from
from creditgraph.queries.library import run
from creditgraph.queries.subjects import Subject, default_as_of

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

VIOLATIONS = ("违纪", "违法", "违约")
LOOKBACK_YEARS = 3
CONTROL_SHARE = 0.25  # a shareholding this large counts as control for conflicts of interest


@dataclass
class CivilServantFile:
    posts: pd.DataFrame
    records: pd.DataFrame
    for_profit: pd.DataFrame
    conflicts: pd.DataFrame
    promotion: pd.DataFrame  # one row: eligible, reasons

    def sections(self) -> dict[str, pd.DataFrame]:
        return {"posts": self.posts, "records": self.records, "for_profit": self.for_profit,
                "conflicts": self.conflicts, "promotion": self.promotion}


def civil_servant(store: GraphStore, subject: Subject, as_of: dt.date | None = None
                  ) -> CivilServantFile:
    import pandas as pd
    if subject.label != "Person":
        raise CreditGraphError("civil-servant is asked of a person (a resident ID number)")
    as_of = default_as_of(as_of)
    posts = pd.DataFrame(run(store, "civil-servant-posts", key=subject.key))
    current = [p for p in posts.to_dict("records")
               if (p["start_date"] is None or p["start_date"] <= as_of)
               and (p["end_date"] is None or p["end_date"] >= as_of)] if not posts.empty else []
    records = pd.DataFrame(run(store, "civil-servant-records", key=subject.key, as_of=as_of))

    for_profit, conflicts_frame = findings(store, [subject], as_of)[subject.key]
    promotion = _promotion(records, for_profit, conflicts_frame, as_of, bool(current))
    return CivilServantFile(posts, records, for_profit, conflicts_frame, promotion)


FOR_PROFIT_COLUMNS = ["how", "firm", "firm_name", "ratio"]
CONFLICT_COLUMNS = ["firm", "firm_name", "controlled_by", "relation", "how", "dealing",
                    "reference", "date", "department"]
BATCH = 1000  # servants asked at once


def findings(store: GraphStore, servants: Sequence[Subject], as_of: dt.date
             ) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Pid -> (for-profit activity, conflicts of interest) of each servant on a date, read for
    a thousand servants at a time (the credit file asks for one, an alert run for all)."""
    found: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    keys = sorted({s.key for s in servants})
    names = {s.key: s.name for s in servants}
    for start in range(0, len(keys), BATCH):
        found |= _findings(store, keys[start:start + BATCH], names, as_of)
    return found


def _findings(store: GraphStore, keys: list[str], names: dict[str, str], as_of: dt.date
              ) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    import pandas as pd
    departments: dict[str, set[str]] = {key: set() for key in keys}
    for post in run(store, "civil-servant-posts-of", keys=keys):
        if ((post["start_date"] is None or post["start_date"] <= as_of)
                and (post["end_date"] is None or post["end_date"] >= as_of)):
            departments[post["key"]].add(post["department"])
    people: dict[str, dict[str, tuple[str, str]]] = {
        key: {key: ("本人", names.get(key, ""))} for key in keys}
    for row in run(store, "relatives-of", keys=keys, as_of=as_of):
        people[row["key"]][row["pid"]] = (row["kind"] or "亲属", row["name"])
    everyone = sorted({pid for family in people.values() for pid in family})
    firms_of: dict[str, list[Row]] = {}
    for row in run(store, "person-firms", keys=everyone, as_of=as_of):
        firms_of.setdefault(row["key"], []).append(row)
    controlled: dict[str, dict[str, list[Row]]] = {}
    for key in keys:
        mine = controlled.setdefault(key, {})
        for pid in people[key]:
            for row in firms_of.get(pid, []):
                if row["how"] == "EXECUTIVE_OF" or (
                        row["how"] == "SHAREHOLDER_OF" and (row["ratio"] or 0) < CONTROL_SHARE):
                    continue
                mine.setdefault(row["firm"], []).append(row)
    asked_firms = sorted({f for key in keys if departments[key] for f in controlled[key]})
    asked_departments = sorted({d for ds in departments.values() for d in ds})
    deals = run(store, "department-dealings", firms=asked_firms,
                departments=asked_departments, as_of=as_of) if asked_firms else []
    found = {}
    for key in keys:
        for_profit = pd.DataFrame(
            [{"how": r["how"], "firm": r["firm"], "firm_name": r["firm_name"],
              "ratio": _share(r["ratio"])} for r in firms_of.get(key, [])],
            columns=FOR_PROFIT_COLUMNS)
        conflicts = []
        for deal in deals:
            if deal["department"] not in departments[key]:
                continue
            for holder in controlled[key].get(deal["firm"], []):
                relation, name = people[key][holder["key"]]
                conflicts.append({
                    "firm": deal["firm"], "firm_name": holder["firm_name"],
                    "controlled_by": name, "relation": relation, "how": holder["how"],
                    "dealing": deal["kind"], "reference": deal["reference"],
                    "date": deal["date"], "department": deal["department"]})
        found[key] = (for_profit, pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS))
    return found


def _share(ratio: float | None) -> float | None:
    """A shareholding's recorded share; none for a post (-1) or a share not recorded."""
    return None if ratio is None or ratio < 0 else ratio


def _promotion(records: pd.DataFrame, for_profit: pd.DataFrame, conflicts: pd.DataFrame,
               as_of: dt.date, serving: bool) -> pd.DataFrame:
    import pandas as pd
    reasons = []
    if not serving:
        reasons.append("无在任职务 not serving on this date")
    since = years_from(as_of, -LOOKBACK_YEARS)
    if not records.empty:
        recent = records[records["record_date"] > since]
        for row in recent[recent["record_type"].isin(VIOLATIONS)].to_dict("records"):
            reasons.append(f"{row['record_date']} {row['record_type']}：{row['content'] or ''}")
        assessments = records[records["record_type"] == "年度考核"]
        if not assessments.empty:
            latest = assessments.iloc[-1]
            if latest["result"] in ("基本称职", "不称职"):
                reasons.append(f"最近年度考核 {latest['result']} ({latest['record_date']})")
    for row in for_profit.to_dict("records"):
        reasons.append(f"违规兼职或持股 for-profit activity: {row['how']} {row['firm_name']}")
    for row in conflicts.to_dict("records"):
        reasons.append(f"利益冲突 conflict of interest: {row['relation']}{row['controlled_by']} "
                       f"{row['how']} {row['firm_name']}, {row['dealing']} {row['reference']}")
    return pd.DataFrame([{"eligible": not reasons, "reasons": reasons}])
