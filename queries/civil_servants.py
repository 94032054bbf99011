"""Civil-servant integrity (公务员诚信): the integrity file as a timeline, for-profit activity
(公务员法 art. 59: no post or shareholding in an enterprise), conflicts of interest (the servant
or a close relative controls an enterprise that received a license, a penalty decision or a
procurement award from the servant's own department), and a promotion check combining them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from graph.errors import CreditGraphError
from graph.store import GraphStore
from graph.workdays import years_from
from queries.library import run
from queries.subjects import Subject, default_as_of

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
    if subject.label != "Person":
        raise CreditGraphError("civil-servant is asked of a person (a resident ID number)")
    as_of = default_as_of(as_of)
    posts = pd.DataFrame(run(store, "civil-servant-posts", key=subject.key))
    current = [p for p in posts.to_dict("records")
               if (p["start_date"] is None or p["start_date"] <= as_of)
               and (p["end_date"] is None or p["end_date"] >= as_of)] if not posts.empty else []
    departments = sorted({p["department"] for p in current})
    records = pd.DataFrame(run(store, "civil-servant-records", key=subject.key, as_of=as_of))

    own = run(store, "person-firms", keys=[subject.key], as_of=as_of)
    for_profit = pd.DataFrame(
        [{"how": r["how"], "firm": r["firm"], "firm_name": r["firm_name"],
          "ratio": None if r["ratio"] < 0 else r["ratio"]} for r in own],
        columns=["how", "firm", "firm_name", "ratio"])

    relatives = run(store, "relatives", key=subject.key, as_of=as_of)
    people = {subject.key: ("本人", subject.name)} | {
        r["pid"]: (r["kind"] or "亲属", r["name"]) for r in relatives}
    controlled: dict[str, list[dict]] = {}
    for row in run(store, "person-firms", keys=list(people), as_of=as_of):
        if row["how"] == "SHAREHOLDER_OF" and (row["ratio"] or 0) < CONTROL_SHARE:
            continue
        if row["how"] == "EXECUTIVE_OF":
            continue
        controlled.setdefault(row["firm"], []).append(row)
    conflicts = []
    if controlled and departments:
        for deal in run(store, "department-dealings", firms=sorted(controlled),
                        departments=departments, as_of=as_of):
            for holder in controlled[deal["firm"]]:
                relation, name = people[holder["key"]]
                conflicts.append({
                    "firm": deal["firm"], "firm_name": holder["firm_name"],
                    "controlled_by": name, "relation": relation, "how": holder["how"],
                    "dealing": deal["kind"], "reference": deal["reference"],
                    "date": deal["date"], "department": deal["department"]})
    conflicts_frame = pd.DataFrame(conflicts, columns=[
        "firm", "firm_name", "controlled_by", "relation", "how", "dealing", "reference", "date",
        "department"])
    promotion = _promotion(records, for_profit, conflicts_frame, as_of, bool(current))
    return CivilServantFile(posts, records, for_profit, conflicts_frame, promotion)


def _promotion(records: pd.DataFrame, for_profit: pd.DataFrame, conflicts: pd.DataFrame,
               as_of: dt.date, serving: bool) -> pd.DataFrame:
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
