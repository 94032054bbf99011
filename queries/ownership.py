"""Equity penetration (股权穿透): everyone above an enterprise with their cumulative share —
the product of the ratios along each ownership chain, summed over chains. A chain never passes
through the same subject twice, so cross-holdings and cycles are not counted over and over.
Beneficial owners: natural persons at or above the threshold (25% by default) or in control."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from graph.errors import CreditGraphError
from graph.store import GraphStore
from queries.library import run
from queries.subjects import Subject, default_as_of

MAX_LEVELS = 12
COLUMNS = ["owner_id", "label", "name", "share", "levels", "chains", "controls",
           "beneficial_owner", "example_chain"]


def _owners(store: GraphStore, keys: list[str], as_of: dt.date) -> dict[str, list[dict]]:
    above: dict[str, list[dict]] = defaultdict(list)
    for label, name in (("Person", "owners-person"), ("Enterprise", "owners-enterprise")):
        for row in run(store, name, keys=keys, as_of=as_of):
            above[row["key"]].append(row | {"label": label})
    return above


def ownership(store: GraphStore, subject: Subject, as_of: dt.date | None = None,
              threshold: float = 0.25) -> pd.DataFrame:
    if subject.label != "Enterprise":
        raise CreditGraphError("ownership is asked of an enterprise (a USCC or legacy code)")
    as_of = default_as_of(as_of)
    # Read the ownership subgraph above the enterprise, level by level.
    edges: dict[str, list[dict]] = {}
    frontier, seen = [subject.key], {subject.key}
    for _ in range(MAX_LEVELS):
        if not frontier:
            break
        found = _owners(store, frontier, as_of)
        edges.update(found)
        frontier = sorted({r["owner"] for rows in found.values() for r in rows
                           if r["label"] == "Enterprise" and r["owner"] not in seen})
        seen.update(frontier)
    totals: dict[tuple[str, str], dict] = {}

    def walk(company: str, share: float, chain: list[str], names: list[str]) -> None:
        for row in edges.get(company, []):
            owner = row["owner"]
            if owner in chain:  # a cycle: this chain stops here
                continue
            key = (row["label"], owner)
            entry = totals.setdefault(key, {"name": row["name"], "share": 0.0, "levels": 99,
                                            "chains": 0, "controls": False, "example": None})
            if row["controls"]:
                entry["controls"] = entry["controls"] or len(chain) == 1
                continue
            product = share * float(row["ratio"])
            entry["share"] += product
            entry["chains"] += 1
            entry["levels"] = min(entry["levels"], len(chain))
            if entry["example"] is None:
                entry["example"] = [row["name"], *names]
            if row["label"] == "Enterprise":
                walk(owner, product, [owner, *chain], [row["name"], *names])

    walk(subject.key, 1.0, [subject.key], [subject.name])
    rows = [{
        "owner_id": owner, "label": label, "name": t["name"], "share": round(t["share"], 6),
        "levels": t["levels"] if t["levels"] != 99 else None, "chains": t["chains"],
        "controls": t["controls"],
        "beneficial_owner": label == "Person" and (t["share"] >= threshold or t["controls"]),
        "example_chain": " → ".join(t["example"]) if t["example"] else "",
    } for (label, owner), t in totals.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(["share", "owner_id"], ascending=[False, True])
        frame = frame.reset_index(drop=True)
    return frame
