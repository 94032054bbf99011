"""What of a subject's records is public on a day: penalties inside their publication window
(publication/windows.py), and commitments with the breaches that are public themselves. One
implementation for every public face: the API's credit file and the credit report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.store import GraphStore
from publication.windows import load_periods, window
from queries.checks import jsonable
from queries.library import run
from queries.subjects import Subject


def published_penalties(rows: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """Only what is public on ``as_of``: inside its window, with the window beside it."""
    periods, shown = load_periods(), []
    for row in rows:
        found = window(row, periods)
        if found is not None and found.public_on(as_of):
            shown.append(jsonable(row) | found.as_dict())
    return shown


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
