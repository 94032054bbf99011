"""Suspicious association (可疑关联): enterprises that share an address, a phone number, a legal
representative or an officer without any declared relation between them; and phoenix firms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.queries.library import run
from creditgraph.queries.network import expand, node_id
from creditgraph.queries.subjects import default_as_of

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

MAX_GROUP = 50  # a shared value held by more firms than this is listed, not paired


def clusters(store: GraphStore, min_size: int = 2, as_of: dt.date | None = None
             ) -> pd.DataFrame:
    """Groups of enterprises sharing something, keeping only those members that have no
    declared relation (direct, on the date) with another member of the group."""
    import pandas as pd
    as_of = default_as_of(as_of)
    groups = [row | {"name": None} for row in run(store, "shared-contacts", min_size=min_size)]
    groups += run(store, "shared-officers", min_size=min_size, as_of=as_of)
    rows = []
    for group in groups:
        firms = sorted(set(group["firms"]))
        linked_pairs = _declared(store, firms, as_of) if len(firms) <= MAX_GROUP else set()
        undeclared = sorted({f for a, b in combinations(firms, 2)
                             if (a, b) not in linked_pairs for f in (a, b)})
        if len(undeclared) < min_size:
            continue
        shared = group["shared"]
        value = group["value"] if shared != "officer" else group["name"]
        rows.append({"shared": shared, "value": value, "size": len(undeclared),
                     "firms": undeclared, "too_large_to_pair": len(firms) > MAX_GROUP})
    frame = pd.DataFrame(rows, columns=["shared", "value", "size", "firms",
                                        "too_large_to_pair"])
    if not frame.empty:
        frame = frame.sort_values(["size", "shared", "value"], ascending=[False, True, True])
        frame = frame.reset_index(drop=True)
    return frame


def _declared(store: GraphStore, firms: list[str], as_of: dt.date) -> set[tuple[str, str]]:
    members = {node_id("Enterprise", f): f for f in firms}
    pairs = set()
    for here, there, _, _ in expand(store, members, CONTROL_RELATIONS, as_of):
        if there in members:
            a, b = sorted((members[here], members[there]))
            pairs.add((a, b))
    return pairs


def phoenix_firms(store: GraphStore, as_of: dt.date | None = None,
                  keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Firms founded by a black-listed person, or by the representative of a black-listed firm,
    after the listing (or, ``keys``, those of these persons)."""
    import pandas as pd
    if keys is not None and not keys:
        keys = [""]  # nobody: the embedded engine cannot type an empty list parameter
    # '' rather than NULL in the first branch: the embedded engine will not unite NULL with text
    rows = [row | {"listed_firm": row["listed_firm"] or None}
            for row in (run(store, "phoenix-firms", as_of=default_as_of(as_of)) if keys is None
                        else run(store, "phoenix-firms-of", as_of=default_as_of(as_of),
                                 keys=list(keys)))]
    frame = pd.DataFrame(rows, columns=["person_id", "person_name", "person_masked", "listed",
                                        "entry_id", "list_type", "listed_on", "listed_firm",
                                        "firm_id", "firm_name", "established"])
    if not frame.empty:
        frame = frame.drop_duplicates(["person_id", "entry_id", "firm_id"]).sort_values(
            ["person_id", "established", "firm_id"]).reset_index(drop=True)
    return frame
