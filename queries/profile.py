"""A subject's credit file (信用档案): identity with masked ID, codes including legacy ones,
list entries (in force or not on the date), penalties, licenses, commitments, direct relations.

The birth year is never part of the file: beside the masked number (``330105********3514``) it
leaves a few dozen candidate numbers, few enough to try one by one."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from graph.store import GraphStore
from queries.library import run
from queries.linked import CONTROL_RELATIONS, expand, explain, split_id
from queries.subjects import Subject, default_as_of

SECTIONS = ("identity", "entries", "penalties", "licenses", "commitments", "relations")
WITHHELD = ("birth_year",)  # identity columns never shown: see the module docstring


def profile(store: GraphStore, subject: Subject, as_of: dt.date | None = None
            ) -> dict[str, pd.DataFrame]:
    as_of = default_as_of(as_of)
    identity_query = "profile-enterprise" if subject.label == "Enterprise" else "profile-person"
    identity = run(store, identity_query, key=subject.key)
    withheld = [{k: v for k, v in row.items() if k not in WITHHELD} for row in identity]
    file = {"identity": pd.DataFrame(withheld)}
    for section in ("entries", "penalties", "licenses", "commitments"):
        rows = run(store, f"profile-{section}", key=subject.key, as_of=as_of)
        sort = {"entries": "start_date", "penalties": "decision_date",
                "licenses": "decision_date", "commitments": "commit_date"}[section]
        frame = pd.DataFrame(rows)
        file[section] = frame.sort_values(sort).reset_index(drop=True) if rows else frame
    names = {subject.node_id: subject.name}
    relations = []
    for _, there, name, edge in expand(store, [subject.node_id], CONTROL_RELATIONS, as_of):
        names[there] = name
        label, key = split_id(there)
        relations.append({"type": edge.type, "direction": "out" if edge.source ==
                          subject.node_id else "in", "other_id": key, "other_label": label,
                          "other_name": name, "ratio": edge.ratio, "role": edge.role,
                          "kind": edge.kind, "explanation": explain(edge, names)})
    file["relations"] = pd.DataFrame(relations)
    return file
