"""Paths between two subjects (关系路径): the shortest one and all shortest ones, over control
and affiliation relations, each explained in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.graph.traversal import relations_of, shortest_distances
from creditgraph.queries.network import Edge, explain, node_id, split_id, tie_order
from creditgraph.queries.subjects import Subject, default_as_of, display_name

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

MAX_PATHS = 100


def paths(store: GraphStore, source: Subject, target: Subject, max_length: int = 4,
          as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
          all_shortest: bool = True) -> pd.DataFrame:
    """Every shortest path from ``source`` to ``target`` within ``max_length`` relations (at
    most MAX_PATHS), or the first one only."""
    import pandas as pd
    as_of = default_as_of(as_of)
    if set(relations) - set(CONTROL_RELATIONS) or not relations:
        raise CreditGraphError(f"relations must be among {', '.join(CONTROL_RELATIONS)}")
    start, goal = source.node_id, target.node_id
    names = {start: source.name, goal: target.name}
    parents = _shortest_parents(store, start, goal, max_length, relations, as_of, names)
    columns = ["length", "path", "path_labels", "path_names", "path_types", "explanation"]
    if goal not in parents or goal == start:
        return pd.DataFrame(columns=columns)
    found: list[list[tuple[str, Edge | None]]] = []

    def unwind(node: str, tail: list[tuple[str, Edge | None]]) -> None:
        if len(found) >= MAX_PATHS:
            return
        if node == start:
            found.append([(start, None), *tail])
            return
        for parent, edge in parents[node]:
            unwind(parent, [(node, edge), *tail])
            if not all_shortest and found:
                return

    unwind(goal, [])
    rows = []
    for steps in found:
        edges = [e for _, e in steps if e is not None]
        rows.append({"length": len(edges), "path": [split_id(n)[1] for n, _ in steps],
                     "path_labels": [split_id(n)[0] for n, _ in steps],
                     "path_names": [names.get(n, "") for n, _ in steps],
                     "path_types": [e.type for e in edges],
                     "explanation": "；".join(explain(e, names) for e in edges)})
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("explanation").reset_index(drop=True)


def _shortest_parents(store: GraphStore, start: str, goal: str, max_length: int,
                      relations: Sequence[str], as_of: dt.date, names: dict[str, str]
                      ) -> dict[str, list[tuple[str, Edge]]]:
    """Each node on a shortest path from ``start`` to ``goal`` -> its parents one step nearer
    ``start``, in the order the level-by-level search meets them (parent id, relationship type,
    start). One native search gives the distance; the walk back from ``goal`` reads each
    node's relations (anchored) and, per level, which neighbours lie one step nearer."""
    parents: dict[str, list[tuple[str, Edge]]] = {start: []}
    if goal == start or max_length < 1:
        return parents
    found = shortest_distances(store, split_id(start), relations, max_length, as_of,
                               [split_id(goal)])
    if not found:
        return parents
    level = {goal}
    for hops in range(found[0].hops, 0, -1):
        around = {n: relations_of(store, split_id(n), relations, as_of) for n in sorted(level)}
        if hops == 1:
            nearer = {start}
        else:
            candidates = {(r.label, r.key) for rels in around.values() for r in rels}
            nearer = {node_id(f.label, f.key) for f in shortest_distances(
                store, split_id(start), relations, hops - 1, as_of, candidates)
                if f.hops == hops - 1}
        next_level: set[str] = set()
        for node, rels in around.items():
            options = []
            for rel in rels:
                there = node_id(rel.label, rel.key)
                if there not in nearer:
                    continue
                source, target = (node, there) if rel.outgoing else (there, node)
                names.setdefault(there, display_name(rel.label, rel.name, rel.country))
                edge = Edge(source, target, rel.type, rel.ratio, rel.role, rel.kind)
                options.append(((there, *tie_order(edge)), there, edge))
            options.sort(key=lambda o: o[0])
            parents[node] = [(there, edge) for _, there, edge in options]
            next_level.update(there for _, there, _ in options)
        level = next_level - {start}
        if not level:
            break
    return parents
