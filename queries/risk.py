"""Network risk (网络风险): personalised PageRank over the control graph, seeded on subjects with
a black-list entry in force. Subjects close to many black-listed parties, through well-connected
people and firms, rank high; each top row says which black-listed parties are nearest.

PageRank runs in rustworkx (Apache-2.0): at 2,000,000 enterprises 6× faster than networkx on half
its memory, the same scores within 1e-6 (bench/algorithms.py)."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import TYPE_CHECKING

import rustworkx as rx

from creditgraph.graph.gc_pause import collection_paused
from creditgraph.graph.store import GraphStore
from creditgraph.queries.library import run
from creditgraph.queries.linked import linked_dishonesty, listed_in_force
from creditgraph.queries.network import keyed, node_id, split_id
from creditgraph.queries.subjects import Subject, default_as_of

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

DAMPING = 0.85
TOLERANCE = 1e-9  # the library default (1e-6) leaves scores 1e-4 off on a small graph


PAGE = 20_000  # subjects in a page of the control graph: within the Neo4j store's packed answers

# the control graph's pages: the query and the label it pages through (the relations' far end);
# the columns of each page's rows that hold the near ends' keys, by label
PAGES = (("control-into-enterprises", "Enterprise"),
         ("control-into-persons", "Person"),
         ("control-into-overseas", "OverseasEntity"))
NEAR_COLUMNS = (("persons", "Person"), ("enterprises", "Enterprise"),
                ("overseas", "OverseasEntity"))


def control_graph(store: GraphStore, as_of: dt.date, page: int = PAGE
                  ) -> tuple[dict[tuple[str, str], int], list[tuple[int, int]]]:
    """The control and affiliation relations valid on ``as_of`` as an undirected graph: its
    subjects ((label, key) → number, numbered 0, 1, ... in the order read) and its edges, each
    relation both ways. Read subject by subject into whom the relations run, a page at a time:
    at two million firms, one record per relation took the driver over three minutes (8 million
    records). The pages are separate reads: a load committed while they are read may show in
    the later pages only (a ranking is an estimate; the next run sees the load whole)."""
    if page < 1:
        raise ValueError(f"a page holds at least one subject; got {page}")
    index: dict[tuple[str, str], int] = {}
    edges: list[tuple[int, int]] = []
    with collection_paused():  # millions of small tuples: at 2M the cyclic collector's passes
        _read_pages(store, as_of, page, index, edges)  # took 135 of the read's 235 s
    return index, edges


def _read_pages(store: GraphStore, as_of: dt.date, page: int,
                index: dict[tuple[str, str], int], edges: list[tuple[int, int]]) -> None:
    for query, label in PAGES:
        after = ""
        while True:
            rows = run(store, query, after=after, page=page, as_of=as_of)
            for row in rows:
                near = [index.setdefault((near_label, key), len(index))
                        for column, near_label in NEAR_COLUMNS for key in row.get(column) or ()]
                if near:  # a page lists every subject of its label, related or not
                    far = index.setdefault((label, row["key"]), len(index))
                    edges += [pair for i in near for pair in ((i, far), (far, i))]
            if len(rows) < page:
                break
            after = rows[-1]["key"]


def subject_names(store: GraphStore, subjects: list[tuple[str, str]]
                  ) -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for keys in keyed(node_id(label, key) for label, key in subjects):
        names.update(((row["label"], row["key"]), row["name"])
                     for row in run(store, "subject-names", **keys))
    return names


# why a subject ranks where it does, in Chinese and English (the CLI's ``reason`` is the
# English; the dashboard writes it in the page's language from black_within and nearest_path)
REASON = ("{hops} 跳内有 {n} 个失信主体；最近：{path}",
          "{n} black-listed part(ies) within {hops} hops; nearest: {path}")


def risk_rank(store: GraphStore, top: int = 20, max_hops: int = 3,
              as_of: dt.date | None = None) -> pd.DataFrame:
    import pandas as pd
    as_of = default_as_of(as_of)
    index, edges = control_graph(store, as_of)
    black = listed_in_force(store, "black", as_of)  # read once: the seeds, then the searches
    seeds = {subject: len(entries) for node, entries in black.items()
             if (subject := split_id(node)) in index}
    columns = ["subject_id", "label", "name", "score", "nearest_black", "hops", "black_within",
               "nearest_path", "reason"]
    if not seeds:
        return pd.DataFrame(columns=columns)
    graph = rx.PyDiGraph(multigraph=False)  # two relations between a pair: one edge
    graph.add_nodes_from(list(index))
    graph.extend_from_edge_list(edges)
    ranks = rx.pagerank(graph, alpha=DAMPING, tol=TOLERANCE, max_iter=1000,
                        personalization={index[node]: n for node, n in seeds.items()})
    with collection_paused():  # a key for each of three million subjects
        ranked = heapq.nsmallest(top, (node for node in index if node not in seeds),
                                 key=lambda node: (-ranks[index[node]], node))
    names = subject_names(store, ranked)
    rows = []
    for label, key in ranked:
        ranked_subject = Subject(label, key, names.get((label, key), ""))
        linked = linked_dishonesty(store, ranked_subject, max_hops, as_of, black=black)
        nearest = linked.iloc[0] if not linked.empty else None
        rows.append({
            "subject_id": key, "label": label, "name": ranked_subject.name,
            "score": round(ranks[index[(label, key)]], 8),
            "nearest_black": nearest["name"] if nearest is not None else None,
            "hops": int(nearest["hops"]) if nearest is not None else None,
            "black_within": len(linked),
            "nearest_path": nearest["explanation"] if nearest is not None else "",
            "reason": REASON[1].format(n=len(linked), hops=max_hops,
                                       path=nearest["explanation"]) if nearest is not None
            else "",
        })
    return pd.DataFrame(rows, columns=columns)
