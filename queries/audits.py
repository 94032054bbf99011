"""Audits over the whole graph: 七天双公示 publication delays, commitment breaches, red-list
entries that clash with linked dishonesty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.policy import workdays
from creditgraph.queries.library import run
from creditgraph.queries.linked import linked_dishonesty_scan
from creditgraph.queries.subjects import default_as_of

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

PUBLICATION_LIMIT = 7  # working days (七天双公示)


def publication_outcome(decided: dt.date, published: dt.date | None, as_of: dt.date
                        ) -> str | None:
    """A decision's 七天双公示 outcome as known on ``as_of``: None while it is not yet due (fewer
    than 8 working days after the decision, on the State Council calendar, have passed);
    then ``on_time`` (published within 7 working days), ``late`` (published later) or
    ``unpublished_late`` (not published by ``as_of``)."""
    if workdays.workdays_between(decided, as_of) <= PUBLICATION_LIMIT:
        return None
    if published is None or published > as_of:
        return "unpublished_late"
    if workdays.workdays_between(decided, published) <= PUBLICATION_LIMIT:
        return "on_time"
    return "late"


def publication_audit(store: GraphStore, from_date: dt.date, to_date: dt.date,
                      as_of: dt.date | None = None) -> pd.DataFrame:
    """Decisions published later than 7 working days after the decision (on the State Council
    holiday calendar), or not published although the 7 days are over."""
    import pandas as pd
    as_of = default_as_of(as_of)
    rows = []
    for row in run(store, "publication-audit", from_date=from_date, to_date=to_date):
        decided, published = row["decision_date"], row["publish_date"]
        if publication_outcome(decided, published, as_of) not in ("late", "unpublished_late"):
            continue
        if published is not None and published > as_of:
            published = None  # not known on as_of
        until = published or as_of
        days = workdays.workdays_between(decided, until)
        rows.append({k: v for k, v in row.items() if k != "divisions"} | {
            "publish_date": published, "working_days": days, "late_by": days - PUBLICATION_LIMIT,
            "unpublished": published is None,
            "deadline": workdays.add_workdays(decided, PUBLICATION_LIMIT),
            "official_calendar": workdays.official(decided) and workdays.official(until),
        })
    columns = ["kind", "decision_no", "authority", "subject_name", "decision_date",
               "publish_date", "deadline", "working_days", "late_by", "unpublished",
               "official_calendar"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["authority", "decision_date", "decision_no"]).reset_index(
        drop=True) if not frame.empty else frame


def publication_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """Late decisions by authority."""
    import pandas as pd
    if audit.empty:
        return pd.DataFrame(columns=["authority", "late", "unpublished", "max_working_days"])
    grouped = audit.groupby("authority").agg(
        late=("decision_no", "count"), unpublished=("unpublished", "sum"),
        max_working_days=("working_days", "max"))
    return grouped.reset_index().sort_values(["late", "authority"], ascending=[False, True])


def commitment_breaches(store: GraphStore, as_of: dt.date | None = None,
                        keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Subjects penalised on a matter they had committed to (or, ``keys``, those of them)."""
    import pandas as pd
    rows = run(store, "commitment-breaches", as_of=default_as_of(as_of),
               every_subject=keys is None, keys=list(keys or [""]))
    return pd.DataFrame(rows, columns=["subject_id", "name", "commitment_id", "matter",
                                       "commit_date", "decision_no", "decision_date",
                                       "authority"])


def red_black_conflicts(store: GraphStore, max_hops: int = 2, as_of: dt.date | None = None,
                        relations: Sequence[str] = CONTROL_RELATIONS) -> pd.DataFrame:
    """Red-listed subjects (entries in force) that are black-listed themselves or have a
    black-listed party within ``max_hops``: their incentives should be withheld."""
    import pandas as pd
    as_of = default_as_of(as_of)
    red: dict[tuple[str, str], list[str]] = {}
    names = {}
    for row in run(store, "list-entries-all", kind="red", as_of=as_of):
        red.setdefault((row["label"], row["key"]), []).append(row["entry_id"])
        names[(row["label"], row["key"])] = row["name"]
    black: dict[tuple[str, str], list[str]] = {}
    for row in run(store, "list-entries-all", kind="black", as_of=as_of):
        black.setdefault((row["label"], row["key"]), []).append(row["entry_id"])
    rows = []
    for subject, entries in red.items():
        if subject in black:
            rows.append({"subject_id": subject[1], "label": subject[0], "name": names[subject],
                         "red_entries": entries, "hops": 0, "black_entries": black[subject],
                         "path": [subject[1]], "explanation": "本身在黑名单中"})
    scan = linked_dishonesty_scan(store, max_hops, as_of, relations)
    for record in scan.to_dict("records"):
        subject = (record["label"], record["subject_id"])
        if subject in red:
            rows.append({"subject_id": record["subject_id"], "label": record["label"],
                         "name": record["name"], "red_entries": red[subject],
                         "hops": record["hops"], "black_entries": record["entries"],
                         "path": record["path"], "explanation": record["explanation"]})
    return pd.DataFrame(rows, columns=["subject_id", "label", "name", "red_entries", "hops",
                                       "black_entries", "path", "explanation"])
