"""Paths between two subjects (关系路径): the shortest one and all shortest ones, over control
and affiliation relations, each explained in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from graph.errors import CreditGraphError
from graph.store import GraphStore
from queries.linked import CONTROL_RELATIONS, Edge, expand, explain, split_id
from queries.subjects import Subject, default_as_of

MAX_PATHS = 100


def paths(store: GraphStore, source: Subject, target: Subject, max_length: int = 4,
          as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
          all_shortest: bool = True) -> pd.DataFrame:
    """Breadth-first from ``source``, keeping every parent at the shortest distance, until
    ``target`` is reached or ``max_length`` relations have been followed."""
    as_of = default_as_of(as_of)
    if set(relations) - set(CONTROL_RELATIONS) or not relations:
        raise CreditGraphError(f"relations must be among {', '.join(CONTROL_RELATIONS)}")
    start, goal = source.node_id, target.node_id
    names = {start: source.name, goal: target.name}
    parents: dict[str, list[tuple[str, Edge]]] = {start: []}
    frontier = [start]
    for _ in range(max_length):
        if goal in parents or not frontier:
            break
        level: dict[str, list[tuple[str, Edge]]] = {}
        for here, there, name, edge in expand(store, frontier, relations, as_of):
            names.setdefault(there, name)
            if there in parents:
                continue
            level.setdefault(there, []).append((here, edge))
        parents.update(level)
        frontier = sorted(level)
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
