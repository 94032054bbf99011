"""Equity penetration (股权穿透): everyone above an enterprise with their cumulative share —
the product of the ratios along each ownership chain, summed over chains. A chain never passes
through the same subject twice, so cross-holdings and cycles are not counted over and over.
Beneficial owners: natural persons at or above the threshold (25% by default) or in control.

Chains run through overseas holding companies (境外主体) as through enterprises: a mainland
person holding 60% of a Hong Kong company that holds 50% of a Hangzhou firm holds 30% of it.
An overseas owner is named with its label and its country (ISO code in ``country``, the Chinese
name in the chain); its own owners are read as far as the graph records them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import pandas as pd

from graph.errors import CreditGraphError
from graph.store import GraphStore
from queries.library import run
from queries.linked import display_name, node_id, split_id
from queries.subjects import Subject, default_as_of

MAX_LEVELS = 12
COLUMNS = ["owner_id", "label", "name", "country", "share", "levels", "chains", "controls",
           "beneficial_owner", "example_chain"]
# Who may be owned (and so walked above), and the queries naming its owners: (the owners'
# label, or None where the query names it per row, query). SHAREHOLDER_OF and
# ACTUAL_CONTROLLER_OF endpoints in graph/schema.yaml.
OWNER_QUERIES: dict[str, tuple[tuple[str | None, str], ...]] = {
    "Enterprise": (("Person", "owners-person"), ("Enterprise", "owners-enterprise"),
                   ("OverseasEntity", "overseas-holdings")),
    "OverseasEntity": ((None, "owners-overseas"),),
}


def _owners(store: GraphStore, frontier: Iterable[str], as_of: dt.date
            ) -> dict[str, list[dict]]:
    """Owned node id -> its owners on the date, each row with ``label``, ``node`` (the owner's
    node id), ``name``, ``country`` (overseas owners), ``ratio``, ``controls``."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node in frontier:
        label, key = split_id(node)
        by_label[label].append(key)
    above: dict[str, list[dict]] = defaultdict(list)
    for owned, keys in sorted(by_label.items()):
        for owner_label, name in OWNER_QUERIES.get(owned, ()):
            rows = [row | {"label": owner_label or row["label"]}
                    for row in run(store, name, keys=sorted(keys), as_of=as_of)]
            # per query, by owner: the order in which walks meet owners (and so the example
            # chain each owner gets) is the same on both backends
            for row in sorted(rows, key=lambda r: (r["key"], r["label"], r["owner"],
                                                   r["ratio"] is None, r["ratio"] or 0.0)):
                above[node_id(owned, row["key"])].append(
                    row | {"node": node_id(row["label"], row["owner"]),
                           "country": row.get("country")})
    return above


def ownership(store: GraphStore, subject: Subject, as_of: dt.date | None = None,
              threshold: float = 0.25) -> pd.DataFrame:
    if subject.label not in OWNER_QUERIES:
        raise CreditGraphError("ownership is asked of an enterprise (a USCC or legacy code) or "
                               "an overseas entity")
    as_of = default_as_of(as_of)
    # Read the ownership subgraph above the subject, level by level.
    edges: dict[str, list[dict]] = {}
    start = subject.node_id
    frontier, seen = [start], {start}
    for _ in range(MAX_LEVELS):
        if not frontier:
            break
        found = _owners(store, frontier, as_of)
        edges.update(found)
        frontier = sorted({r["node"] for rows in found.values() for r in rows
                           if r["label"] in OWNER_QUERIES and r["node"] not in seen})
        seen.update(frontier)
    totals: dict[str, dict] = {}

    def walk(company: str, share: float, chain: list[str], names: list[str]) -> None:
        for row in edges.get(company, []):
            owner = row["node"]
            if owner in chain:  # a cycle: this chain stops here
                continue
            shown = display_name(row["label"], row["name"], row["country"])
            entry = totals.setdefault(owner, {"label": row["label"], "name": row["name"],
                                              "country": row["country"], "share": 0.0,
                                              "levels": 99, "chains": 0, "controls": False,
                                              "example": None})
            if row["controls"]:
                entry["controls"] = entry["controls"] or len(chain) == 1
                continue
            product = share * float(row["ratio"])
            entry["share"] += product
            entry["chains"] += 1
            entry["levels"] = min(entry["levels"], len(chain))
            if entry["example"] is None:
                entry["example"] = [shown, *names]
            if row["label"] in OWNER_QUERIES:
                walk(owner, product, [owner, *chain], [shown, *names])

    walk(start, 1.0, [start], [subject.name])
    rows = [{
        "owner_id": split_id(owner)[1], "label": t["label"], "name": t["name"],
        "country": t["country"], "share": round(t["share"], 6),
        "levels": t["levels"] if t["levels"] != 99 else None, "chains": t["chains"],
        "controls": t["controls"],
        "beneficial_owner": t["label"] == "Person" and (t["share"] >= threshold
                                                        or t["controls"]),
        "example_chain": " → ".join(t["example"]) if t["example"] else "",
    } for owner, t in totals.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(["share", "owner_id"], ascending=[False, True])
        frame = frame.reset_index(drop=True)
    return frame
