"""The read side of propagation: a subject's measures, who is restricted by a measure, and why
a measure applies, in words."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from creditgraph.graph.store import GraphStore
from creditgraph.queries import subject_reads
from creditgraph.queries.library import run
from creditgraph.queries.subjects import Subject, default_as_of

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

SUBJECT_COLUMNS = ["measure", "kind", "departments", "entry_id", "list_type", "hops", "weight",
                   "valid_from", "valid_to", "rule", "basis", "path", "path_types", "path_text",
                   "sanction_id"]
MEASURE_COLUMNS = ["subject_id", "name", "measure", "kind", "departments", "entry_id",
                   "list_type", "hops", "valid_to", "path_text"]


def subject_sanctions(store: GraphStore, subject: Subject, as_of: dt.date | None = None
                      ) -> pd.DataFrame:
    """The measures in force on a subject on a date, as the last propagation computed them."""
    import pandas as pd
    rows = subject_reads.sanctions(store, [subject], default_as_of(as_of))[subject.node_id]
    return pd.DataFrame(rows, columns=SUBJECT_COLUMNS)


def restricted(store: GraphStore, measure: str | None = None, as_of: dt.date | None = None
               ) -> pd.DataFrame:
    """Every subject under a measure (or any measure) on a date."""
    import pandas as pd
    rows = run(store, "sanctions-by-measure", measure=measure or "", as_of=default_as_of(as_of))
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)


def explain(store: GraphStore, subject: Subject, measure: str, as_of: dt.date | None = None
            ) -> list[str]:
    """Why ``measure`` applies to ``subject``: one paragraph per source entry; empty when it
    does not apply."""
    frame = subject_sanctions(store, subject, as_of)
    frame = frame[frame["measure"] == measure]
    if frame.empty:
        return []
    entries = {row["entry_id"]: row for row in run(store, "entries-by-id",
                                                   ids=sorted(set(frame["entry_id"])))}
    paragraphs = []
    for row in frame.to_dict("records"):
        entry = entries.get(row["entry_id"], {})
        listed = entry.get("subject_name") or "?"
        since = entry.get("start_date")
        cause = (f"{listed}于{since}被{entry.get('authority') or '认定部门'}列入"
                 f"「{row['list_type']}」名单（条目 {row['entry_id']}"
                 + (f"，事由：{entry['reason']}" if entry.get("reason") else "") + "）")
        if row["kind"] == "incentive":
            paragraphs.append(f"{subject.name}享有守信联合激励「{measure}」，由"
                              f"{'、'.join(row['departments'] or [])}实施"
                              + (f"，至 {row['valid_to']} 止" if row["valid_to"] else "")
                              + f"。原因：{cause}，且本身无惩戒措施、规则范围内无失信主体。"
                              f"依据：{row['basis']}。")
            continue
        if row["kind"] == "withheld":
            what = f"{subject.name}的守信联合激励暂停（{measure}）"
        else:
            what = f"{subject.name}受「{measure}」约束，由{'、'.join(row['departments'] or [])}实施"
        link = ("本身即被列入名单" if not row["hops"] else
                f"关联路径（{row['hops']} 跳）：{row['path_text']}")
        until = f"，至 {row['valid_to']} 止" if row["valid_to"] else "，直至条目修复、撤销或届满"
        paragraphs.append(f"{what}{until}。原因：{cause}；{link}。规则 {row['rule']}；"
                          f"依据：{row['basis']}。")
    return paragraphs
