"""A subject's credit file (信用档案): identity with masked ID, codes including legacy ones,
list entries (in force or not on the date), penalties, licenses, commitments, direct relations.

A person's identity names the document type and the nationality in Chinese beside their codes,
with the masked number; a person named without a number (an unresolved 自然人股东) says so, the
firm it is scoped to and, once a row with a number resolved it, whom and on which source.

An overseas entity (境外主体) has no list entries, penalties, licenses or commitments in the
graph (the schema links none to it): its file is its identity (country or region in Chinese
and as the ISO code), its relations in words and the joint-punishment measures applied to it
(section ``sanctions``, as the last propagation computed them).

The birth year is never part of the file: beside the masked number (``330105********3514``) it
leaves a few dozen candidate numbers, few enough to try one by one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import NAMES as DOCUMENT_NAMES
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore, Row
from creditgraph.queries import subject_reads
from creditgraph.queries.library import run
from creditgraph.queries.network import expand, explain, split_id
from creditgraph.queries.subjects import Subject, default_as_of, display_name

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

SECTIONS = ("identity", "entries", "penalties", "licenses", "commitments", "relations")
OVERSEAS_SECTIONS = (*SECTIONS, "sanctions")
WITHHELD = ("birth_year",)  # identity columns never shown: see the module docstring
IDENTITY_QUERIES = {"Enterprise": "profile-enterprise", "Person": "profile-person",
                    "OverseasEntity": "profile-overseas"}
# each section of the file: its query and the column it is ordered by
RECORD_SORT = {"entries": ("profile-entries", "start_date"),
               "penalties": ("profile-penalties", "decision_date"),
               "licenses": ("profile-licenses", "decision_date"),
               "commitments": ("profile-commitments", "commit_date")}


def profile(store: GraphStore, subject: Subject, as_of: dt.date | None = None
            ) -> dict[str, pd.DataFrame]:
    import pandas as pd
    as_of = default_as_of(as_of)
    identity = run(store, IDENTITY_QUERIES[subject.label], key=subject.key)
    shown = [_identity(subject.label, row) for row in identity]
    file = {"identity": pd.DataFrame(shown)}
    for section, (query, sort) in RECORD_SORT.items():
        if subject.label == "OverseasEntity":  # nothing of the kind can name one
            file[section] = pd.DataFrame()
            continue
        rows = run(store, query, key=subject.key, as_of=as_of)
        frame = pd.DataFrame(rows)
        file[section] = frame.sort_values(sort).reset_index(drop=True) if rows else frame
    own_name = shown[0]["display_name"] if shown and "display_name" in shown[0] else subject.name
    names = {subject.node_id: own_name}
    relations = []
    for _, there, name, edge in expand(store, [subject.node_id], CONTROL_RELATIONS, as_of):
        names[there] = name
        label, key = split_id(there)
        relations.append({"type": edge.type, "direction": "out" if edge.source ==
                          subject.node_id else "in", "other_id": key, "other_label": label,
                          "other_name": name, "ratio": edge.ratio, "role": edge.role,
                          "kind": edge.kind, "explanation": explain(edge, names)})
    file["relations"] = pd.DataFrame(relations)
    if subject.label == "OverseasEntity":
        file["sanctions"] = pd.DataFrame(
            subject_reads.sanctions(store, [subject], as_of)[subject.node_id])
    return file


def _identity(label: str, row: Row) -> Row:
    """The identity row as shown: codes with their Chinese names beside them, never what
    WITHHELD names."""
    shown = {k: v for k, v in row.items() if k not in WITHHELD}
    if label == "OverseasEntity":
        shown["country_name"] = chinese_name(row.get("country"))
        shown["display_name"] = display_name(label, row.get("name"), row.get("country"))
    elif label == "Person":
        shown["id_type_name"] = DOCUMENT_NAMES.get(row.get("id_type") or "", "")
        shown["nationality_name"] = chinese_name(row.get("nationality"))
        shown["identification"] = identification(row)
    return shown


def identification(row: Row) -> str:
    """Whether a person is known by a document number, in words."""
    if not row.get("unresolved"):
        return "已识别（证件号码）"
    firm = row.get("scope_name") or row.get("scope") or "?"
    text = f"未识别：仅有姓名，仅限于{firm}（{row.get('scope') or '?'}）的记录，不按姓名合并"
    if row.get("resolved_to"):
        text += (f"；已识别为{row.get('resolved_to_name') or '?'}"
                 f"（{row.get('resolved_by') or '来源不明'}）")
    return text
