"""Equity penetration (股权穿透): everyone above an enterprise with their cumulative share —
the product of the ratios along each ownership chain, summed over chains. A chain never passes
through the same subject twice, so cross-holdings and cycles are not counted over and over.
Beneficial owners: natural persons at or above the threshold (25% by default) or in control.

The rule for what is not a number, the same here and in propagation (``min_ratio``):
- Control is a fact, recorded as ACTUAL_CONTROLLER_OF into the subject itself (``controls``); it
  is never read from a missing share, and control of a company further up is that company's
  matter (its own penetration names it), so it gives no row here.
- A holding with no recorded share is a holding of unknown size: the holder is listed, the
  chain is counted in ``unknown_chains``, it adds nothing to ``share`` (a lower bound then), it
  meets no threshold, and every chain above it is unknown too.

Chains run through overseas holding companies (境外主体) as through enterprises: a mainland
person holding 60% of a Hong Kong company that holds 50% of a Hangzhou firm holds 30% of it.
An overseas owner is named with its label and its country (ISO code in ``country``, the Chinese
name in the chain); its own owners are read as far as the graph records them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore, Row
from creditgraph.graph.traversal import relations_of, shortest_distances
from creditgraph.queries.network import node_id, split_id
from creditgraph.queries.subjects import Subject, default_as_of, display_name

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

MAX_LEVELS = 12
COLUMNS = ["owner_id", "label", "name", "country", "share", "levels", "chains",
           "unknown_chains", "controls", "beneficial_owner", "example_chain"]
# Who may be owned (and so walked above), and by whom (SHAREHOLDER_OF and
# ACTUAL_CONTROLLER_OF endpoints in graph/schema.yaml).
OWNED_BY: dict[str, tuple[str, ...]] = {
    "Enterprise": ("Person", "Enterprise", "OverseasEntity"),
    "OverseasEntity": ("Person", "Enterprise"),
}


OWNERSHIP_RELATIONS = ("SHAREHOLDER_OF", "ACTUAL_CONTROLLER_OF")


def _owner_order(owned_label: str, row: Row) -> tuple[Any, ...]:
    """The order in which walks meet a subject's owners, and so the example chain each owner
    gets: an enterprise's persons, then enterprises, then overseas owners; an overseas entity's
    owners by label; within that by owner key, then share."""
    ranks = {"Person": 0, "Enterprise": 1, "OverseasEntity": 2}
    rank = ranks[row["label"]] if owned_label == "Enterprise" else 0
    return (rank, row["label"], row["owner"], row["ratio"] is None, row["ratio"] or 0.0)


def _owners(store: GraphStore, subject: str, as_of: dt.date) -> dict[str, list[Row]]:
    """The ownership subgraph above ``subject`` on the date: owned node id -> its owners, each
    row with ``label``, ``node`` (the owner's node id), ``name``, ``country`` (overseas
    owners), ``ratio``, ``controls``. One native search finds every enterprise and overseas
    entity above (within MAX_LEVELS); each one's owners are then read by an anchored query."""
    found = shortest_distances(store, split_id(subject), OWNERSHIP_RELATIONS, MAX_LEVELS - 1,
                               as_of, direction="in")
    above = [subject, *sorted(node_id(f.label, f.key) for f in found if f.label in OWNED_BY)]
    edges: dict[str, list[Row]] = {}
    for owned in above:
        label, key = split_id(owned)
        rows = [{"key": key, "owner": r.key, "name": r.name, "ratio": r.ratio,
                 "controls": r.type == "ACTUAL_CONTROLLER_OF", "label": r.label,
                 "country": r.country,
                 "node": node_id(r.label, r.key)}
                for r in relations_of(store, (label, key), OWNERSHIP_RELATIONS, as_of, "in")
                if r.label in OWNED_BY[label]]
        if rows:
            edges[owned] = sorted(rows, key=lambda r: _owner_order(label, r))
    return edges


def ownership(store: GraphStore, subject: Subject, as_of: dt.date | None = None,
              threshold: float = 0.25) -> pd.DataFrame:
    return penetration(store, subject, as_of, threshold)[0]


def holdings(store: GraphStore, subject: Subject, as_of: dt.date | None = None) -> list[Row]:
    """The relations the penetration walks, for drawing it (the dashboard's 股权穿透 chart):
    one row per holding or control in force above the subject — ``owner`` and ``owned`` node
    ids, the owner's ``label``, ``name`` and ``country``, the direct ``ratio`` (None where not
    recorded) and ``controls``."""
    return penetration(store, subject, as_of)[1]


def penetration(store: GraphStore, subject: Subject, as_of: dt.date | None = None,
                threshold: float = 0.25) -> tuple[pd.DataFrame, list[Row]]:
    """``ownership`` and ``holdings`` from one walk of the ownership subgraph (a page that
    draws the chart and lists the owners asks once)."""
    import pandas as pd
    if subject.label not in OWNED_BY:
        raise CreditGraphError("ownership is asked of an enterprise (a USCC or legacy code) or "
                               "an overseas entity")
    as_of = default_as_of(as_of)
    start = subject.node_id
    edges = _owners(store, start, as_of)
    drawn = [{"owner": row["node"], "owned": owned, "label": row["label"], "name": row["name"],
              "country": row["country"], "ratio": row["ratio"], "controls": row["controls"]}
             for owned, rows in edges.items() for row in rows]
    totals: dict[str, Row] = {}

    def entry_of(owner: str, row: Row) -> Row:
        return totals.setdefault(owner, {"label": row["label"], "name": row["name"],
                                         "country": row["country"], "share": 0.0, "levels": 99,
                                         "chains": 0, "unknown_chains": 0, "controls": False,
                                         "example": None})

    def walk(company: str, share: float | None, chain: list[str], names: list[str]) -> None:
        """``share``: the company's share of the subject, None where a link is unknown."""
        for row in edges.get(company, []):
            owner = row["node"]
            if owner in chain:  # a cycle: this chain stops here
                continue
            if row["controls"]:
                if len(chain) == 1:  # control of the subject itself (see the module's rule)
                    entry_of(owner, row)["controls"] = True
                continue
            shown = display_name(row["label"], row["name"], row["country"])
            entry = entry_of(owner, row)
            ratio = row["ratio"]
            product = None if share is None or ratio is None else share * float(ratio)
            if product is None:
                entry["unknown_chains"] += 1
            else:
                entry["share"] += product
            entry["chains"] += 1
            entry["levels"] = min(entry["levels"], len(chain))
            if entry["example"] is None:
                entry["example"] = [shown, *names]
            if row["label"] in OWNED_BY:
                walk(owner, product, [owner, *chain], [shown, *names])

    walk(start, 1.0, [start], [subject.name])
    rows = [{
        "owner_id": split_id(owner)[1], "label": t["label"], "name": t["name"],
        "country": t["country"], "share": round(t["share"], 6),
        "levels": t["levels"] if t["levels"] != 99 else None, "chains": t["chains"],
        "unknown_chains": t["unknown_chains"], "controls": t["controls"],
        "beneficial_owner": t["label"] == "Person" and (t["share"] >= threshold
                                                        or t["controls"]),
        "example_chain": " → ".join(t["example"]) if t["example"] else "",
    } for owner, t in totals.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(["share", "owner_id"], ascending=[False, True])
        frame = frame.reset_index(drop=True)
    return frame, drawn

