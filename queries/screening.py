"""Credit checks for procurement, bond issuance and subsidies (采购 / 发债 / 财政资金审查):
for each applicant, eligible or not, and why — its own black-list entries in force, major
penalties in the previous three years (政府采购法 art. 22), black-listed parties within N hops
over control relations — with the evidence paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from graph.store import GraphStore
from queries.library import run
from queries.linked import CONTROL_RELATIONS, entries_in_force, linked_dishonesty
from queries.subjects import UnknownSubject, default_as_of, resolve

MAJOR_CATEGORIES = ("责令停产停业", "吊销许可证件", "吊销营业执照", "暂扣许可证件", "没收违法所得")
MAJOR_FINE = 10.0  # 万元


def screen(store: GraphStore, codes: Iterable[str], secret: bytes | None, max_hops: int = 2,
           as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
           major_fine: float = MAJOR_FINE) -> pd.DataFrame:
    as_of = default_as_of(as_of)
    since = as_of.replace(year=as_of.year - 3)
    rows = []
    for code in codes:
        try:
            subject = resolve(store, code, secret)
        except UnknownSubject as exc:
            rows.append({"code": code, "name": None, "eligible": False,
                         "reasons": [f"不在图谱中 {exc}"], "evidence": []})
            continue
        reasons, evidence = [], []
        own = entries_in_force(store, [subject.node_id], "black", as_of)
        for entry in own.get(subject.node_id, []):
            reasons.append(f"本身失信 own black-list entry {entry['entry_id']} "
                           f"({entry['list_type']}, {entry['authority']})")
        if subject.label == "Enterprise":
            for penalty in run(store, "major-penalties", keys=[subject.key], since=since,
                               as_of=as_of, categories=list(MAJOR_CATEGORIES),
                               min_fine=major_fine):
                reasons.append(f"近三年重大违法 major penalty {penalty['decision_no']} "
                               f"{penalty['decision_date']} ({penalty['category']}, "
                               f"{penalty['authority']})")
        linked = linked_dishonesty(store, subject, max_hops, as_of, relations)
        for row in linked.to_dict("records"):
            reasons.append(f"关联失信 linked black-listed party {row['name']} at {row['hops']} "
                           f"hop(s): {', '.join(row['entries'])}")
            evidence.append(row["explanation"])
        rows.append({"code": code, "name": subject.name, "eligible": not reasons,
                     "reasons": reasons, "evidence": evidence})
    return pd.DataFrame(rows, columns=["code", "name", "eligible", "reasons", "evidence"])
