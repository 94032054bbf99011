"""What of a subject's records is public on a day: penalties inside their publication window
(publication/windows.py), and commitments with the breaches that are public themselves; and
free text with every document number masked. One implementation for every public face: the
API's credit file, the credit report, the 双公示 export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from creditgraph.graph.documents import mask_personal_text
from creditgraph.graph.store import GraphStore
from creditgraph.publication.windows import load_periods, window
from creditgraph.queries.checks import jsonable
from creditgraph.queries.library import run
from creditgraph.queries.subjects import Subject

FREE_TEXT = ("content", "basis", "facts", "reason", "remark", "matter")  # written by the source:
# may name anyone, so every document number in it is masked wherever it is shown


def masked(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every document number in its free text masked."""
    return {k: mask_personal_text(v) if k in FREE_TEXT and isinstance(v, str) else v
            for k, v in row.items()}


def penalties_with_windows(rows: list[dict[str, Any]], as_of: dt.date
                           ) -> list[dict[str, Any]]:
    """Every penalty with its window beside it and ``public``: whether it is inside the window
    on ``as_of`` — what internal views show, marking the others."""
    periods, marked = load_periods(), []
    for row in rows:
        found = window(row, periods)
        public = found is not None and found.public_on(as_of)
        marked.append(jsonable(row) | (found.as_dict() if found else {}) | {"public": public})
    return marked


def published_penalties(rows: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """Only what is public on ``as_of``: inside its window, with the window beside it."""
    return [{k: v for k, v in row.items() if k != "public"}
            for row in penalties_with_windows(rows, as_of) if row["public"]]


def commitments_with_breaches(store: GraphStore, subject: Subject,
                              rows: list[dict[str, Any]], as_of: dt.date
                              ) -> list[dict[str, Any]]:
    """A breach is a penalty on the matter committed to, decided after the commitment; shown
    while that penalty is public, as every penalty is."""
    breaches: dict[str, list[dict[str, Any]]] = {}
    for row in published_penalties(
            run(store, "profile-commitment-breaches", key=subject.key, as_of=as_of), as_of):
        breaches.setdefault(row["commitment_id"], []).append(row)
    return [jsonable(row) | {"breached": bool(breaches.get(row["commitment_id"])),
                             "breaches": breaches.get(row["commitment_id"], [])}
            for row in rows]
