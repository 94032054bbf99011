"""Credit repair eligibility (信用修复): for each penalty and black-list entry of a subject, its
publication window or listing period, and whether — and from when — repair may be applied for,
with the reason in words. Read from the publication window rules (periods.yaml), the entries'
own state and the repair decisions loaded (repairs.csv); it grants nothing (a repair is the
deciding authority's decision, loaded as such: loaders/kinds/repairs.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from creditgraph.graph.store import GraphStore
from creditgraph.publication.public_record import penalties_with_windows
from creditgraph.queries.checks import jsonable
from creditgraph.queries.library import frame_rows
from creditgraph.queries.profile import profile
from creditgraph.queries.subjects import Subject

COLUMNS = ("record", "id", "date", "authority", "window", "state", "repair", "reason")


def repair_check(store: GraphStore, subject: Subject, as_of: dt.date) -> list[dict[str, Any]]:
    file = profile(store, subject, as_of)
    rows = [_penalty(p, as_of) for p in penalties_with_windows(
        frame_rows(file["penalties"]), as_of)]
    rows += [_entry(e, as_of) for e in jsonable(file["entries"].to_dict("records"))
             if e.get("list_kind") == "black" and e.get("start_date", "") <= as_of.isoformat()]
    return rows


def _penalty(row: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    out = {"record": "行政处罚 penalty", "id": row.get("decision_no"),
           "date": row.get("decision_date"), "authority": row.get("authority"),
           "window": f"{row.get('published_from')} – {row.get('published_until')}"}
    until = row.get("published_until")
    repair_from = row.get("repair_from")
    if until is None:
        return out | {"state": "no decision date", "repair": "unknown",
                      "reason": "没有处罚决定日期，无法计算公示期 no decision date: no window"}
    repaired = row.get("repaired_on")
    if repaired and repaired <= as_of.isoformat():
        return out | {"state": f"已修复 repaired {repaired}", "repair": "already repaired",
                      "reason": f"已于 {repaired} 信用修复（修复决定 {row.get('repair_id')}），"
                                f"提前终止公示 repaired on {repaired} by decision "
                                f"{row.get('repair_id')}: publication ended early"}
    if not row["public"]:
        return out | {"state": "公示期满 publication ended", "repair": "not needed",
                      "reason": f"公示已于 {until} 届满，无需修复 the window ended on {until}"}
    domain, basis = row.get("publication_domain"), row.get("publication_basis")
    if not row.get("repairable"):
        return out | {"state": "公示中 public", "repair": "not possible",
                      "reason": f"{domain}领域的处罚不可提前终止公示 repair is excluded for the "
                                f"domain {domain} ({basis})"}
    if as_of.isoformat() < str(repair_from):
        return out | {"state": "公示中 public", "repair": f"from {repair_from}",
                      "reason": f"最短公示期未满，{repair_from} 起可申请 the minimum period "
                                f"({domain}) is not over: apply from {repair_from} ({basis})"}
    return out | {"state": "公示中 public", "repair": "may apply now",
                  "reason": f"最短公示期已满（{repair_from}），可向处罚机关或信用平台申请"
                            "提前终止公示 "
                            f"the minimum period ended on {repair_from}: the subject may apply "
                            f"for early end of publication ({basis})"}


def _entry(row: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    out = {"record": "失信黑名单 black entry", "id": row.get("entry_id"),
           "date": row.get("start_date"), "authority": row.get("authority"),
           "window": f"{row.get('start_date')} – {row.get('end_date') or '—'}"}
    status, since = row.get("status"), row.get("status_date")
    if status == "repaired" and since and since <= as_of.isoformat():
        by = f"（修复决定 {row['repair_id']}）" if row.get("repair_id") else ""
        return out | {"state": f"已修复 repaired {since}", "repair": "already repaired",
                      "reason": f"已于 {since} 信用修复{by}，名单条目不再有效 repaired on {since}"
                                + (f" by decision {row['repair_id']}" if by else "")}
    if not row.get("in_force"):
        return out | {"state": f"已结束 ended ({status})", "repair": "not needed",
                      "reason": f"条目已{'撤销' if status == 'revoked' else '届满'}，无需修复 "
                                f"the entry is {status or 'over'}: nothing to repair"}
    return out | {"state": "有效 in force", "repair": "ask the listing authority",
                  "reason": f"移出名单须向认定部门（{row.get('authority')}）申请；"
                            "规则文件未规定名单的最短期限 removal from the list (移出名单) is "
                            "applied for at the listing authority; the rule file sets no "
                            "minimum period for lists"}
