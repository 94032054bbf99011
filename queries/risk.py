"""Network risk (网络风险): personalised PageRank over the control graph, seeded on subjects with
a black-list entry in force. Subjects close to many black-listed parties, through well-connected
people and firms, rank high; each top row says which black-listed parties are nearest."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd

from graph.store import GraphStore
from queries.library import run
from queries.linked import linked_dishonesty, listed_in_force
from queries.subjects import Subject, default_as_of

DAMPING = 0.85


def risk_rank(store: GraphStore, top: int = 20, max_hops: int = 3,
              as_of: dt.date | None = None) -> pd.DataFrame:
    as_of = default_as_of(as_of)
    graph = nx.Graph()
    names: dict[tuple[str, str], str] = {}
    for edge in run(store, "control-edges", as_of=as_of):
        a, b = (edge["a_label"], edge["a"]), (edge["b_label"], edge["b"])
        graph.add_edge(a, b)
        names[a], names[b] = edge["a_name"], edge["b_name"]
    seeds: dict[tuple[str, str], int] = {}
    for row in run(store, "list-entries-all", kind="black", as_of=as_of):
        node = (row["label"], row["key"])
        seeds[node] = seeds.get(node, 0) + 1
        names[node] = row["name"]
    seeds = {node: n for node, n in seeds.items() if node in graph}
    columns = ["subject_id", "label", "name", "score", "nearest_black", "hops", "reason"]
    if not seeds:
        return pd.DataFrame(columns=columns)
    scores = nx.pagerank(graph, alpha=DAMPING, personalization=seeds)
    ranked = sorted((node for node in scores if node not in seeds),
                    key=lambda node: (-scores[node], node))[:top]
    rows = []
    black = listed_in_force(store, "black", as_of)
    for label, key in ranked:
        subject = Subject(label, key, names.get((label, key), ""))
        linked = linked_dishonesty(store, subject, max_hops, as_of, black=black)
        nearest = linked.iloc[0] if not linked.empty else None
        rows.append({
            "subject_id": key, "label": label, "name": subject.name,
            "score": round(scores[(label, key)], 8),
            "nearest_black": nearest["name"] if nearest is not None else None,
            "hops": int(nearest["hops"]) if nearest is not None else None,
            "reason": (f"{len(linked)} black-listed part(ies) within {max_hops} hops; nearest: "
                       f"{nearest['explanation']}") if nearest is not None else "",
        })
    return pd.DataFrame(rows, columns=columns)
