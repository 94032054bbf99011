"""Credit checks for procurement, bond issuance and subsidies (采购 / 发债 / 财政资金审查):
for each applicant, eligible or not, and why — its own black-list entries in force, major
penalties in the previous three years (政府采购法 art. 22), black-listed parties within N hops
over control relations — with the evidence paths.

A person's ID number (a resident ID or another identity document: ``CodeCheck.personal``) is
echoed masked. With ``identify_persons=False`` (a viewer's check) a row keyed by such a number
says only whether that person is in the graph — never a name or a finding — and
``max_id_numbers`` caps how many ID numbers one list may hold, so a list of guesses around a
masked number cannot be turned into a name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from graph.errors import CreditGraphError
from graph.identifiers import classify
from graph.store import GraphStore
from queries.library import run
from queries.linked import CONTROL_RELATIONS, entries_in_force, linked_dishonesty
from queries.subjects import UnknownSubject, default_as_of, resolve

MAJOR_CATEGORIES = ("责令停产停业", "吊销许可证件", "吊销营业执照", "暂扣许可证件", "没收违法所得")
MAJOR_FINE = 10.0  # 万元
COLUMNS = ["code", "found", "name", "eligible", "reasons", "evidence"]


class ScreeningError(CreditGraphError):
    pass


def is_personal(code: str) -> bool:
    """A person's ID number of any document type: personal data."""
    return classify(code).personal


def shown_code(code: str) -> str:
    """The code as a table may show it: a person's ID number masked (``CodeCheck.public``, the
    one masking the search page uses too)."""
    return str(classify(code).public()["input"])


def count_id_numbers(codes: Sequence[str]) -> int:
    return sum(1 for code in codes if is_personal(code))


def check_id_cap(codes: Sequence[str], max_id_numbers: int | None) -> None:
    ids = count_id_numbers(codes)
    if max_id_numbers is not None and ids > max_id_numbers:
        raise ScreeningError(f"{ids} ID numbers in one list; at most {max_id_numbers} "
                             "may be checked at a time")


def screen(store: GraphStore, codes: Iterable[str], secret: bytes | None, max_hops: int = 2,
           as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
           major_fine: float = MAJOR_FINE, identify_persons: bool = True,
           max_id_numbers: int | None = None) -> pd.DataFrame:
    as_of = default_as_of(as_of)
    since = as_of.replace(year=as_of.year - 3)
    codes = list(codes)
    check_id_cap(codes, max_id_numbers)
    rows = []
    for code in codes:
        presence_only = not identify_persons and is_personal(code)
        try:
            subject = resolve(store, code, secret)
        except UnknownSubject as exc:
            rows.append({"code": shown_code(code), "found": False, "name": None,
                         "eligible": None if presence_only else False,
                         "reasons": [] if presence_only else [f"不在图谱中 {exc}"],
                         "evidence": []})
            continue
        if presence_only:
            rows.append({"code": shown_code(code), "found": True, "name": None,
                         "eligible": None, "reasons": [], "evidence": []})
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
        rows.append({"code": shown_code(code), "found": True, "name": subject.name,
                     "eligible": not reasons, "reasons": reasons, "evidence": evidence})
    return pd.DataFrame(rows, columns=COLUMNS)
