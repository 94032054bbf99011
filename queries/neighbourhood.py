"""The network around subjects, as the dashboard draws it and a case bag records it: one walk,
one cap, one way to flag a node — so the picture an investigator explored and the evidence
exported from it are the same graph.

The walk goes breadth first from the subjects over valid relations, nearest first, never past
``max_hops``, and keeps at most ``cap`` nodes. How it meets the cap is the caller's choice:
- the dashboard's page asks node by node and stops at the first neighbour past the cap (a
  registration agent's thousand firms cost one capped walk); the nodes kept are those met
  first, and ``more`` counts the neighbours of that node left out (a lower bound);
- a case bag (``exact``) asks a level at a time to ``max_hops``: at the level where the cap
  falls the nodes kept are the least by node id, and ``more`` is the exact number left out.
Either way the relations kept are every valid relation between two kept nodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from creditgraph.graph.store import GraphStore
from creditgraph.queries import linked
from creditgraph.queries.library import run
from creditgraph.queries.network import Edge, expand
from creditgraph.queries.subjects import Subject

EXPAND_CAP = 30  # neighbours one expanded node adds at most


@dataclass
class Subgraph:
    """Nodes nearest first (``hops``: distance from the nearest subject; ``names``), the
    relations among them, each node's flags (``black``, ``red``, ``sanctioned``: node ids), and
    whether the cap cut the walk (``more``: nodes seen and left out)."""

    hops: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    flags: dict[str, set[str]] = field(default_factory=dict)
    cut: bool = False
    more: int = 0
    left_out: set[str] = field(default_factory=set)  # exact walks: every node left out

    def keep(self, node: str, name: str, hops: int) -> None:
        self.hops[node] = hops
        self.names[node] = name

    def add(self, edge: Edge) -> None:
        if edge.source in self.hops and edge.target in self.hops:
            self.edges[(edge.source, edge.target, edge.type)] = edge


def walk(store: GraphStore, subjects: Sequence[Subject], max_hops: int, as_of: dt.date,
         relations: Sequence[str], cap: int, expanded: Sequence[str] = (),
         exact: bool = False) -> Subgraph:
    """Breadth first from ``subjects`` up to ``max_hops``, at most ``cap`` nodes (see the module
    for ``exact``), then one hop around each ``expanded`` node of this graph (at most EXPAND_CAP
    more each: the dashboard's expansions); flags for every node kept."""
    found = Subgraph()
    for subject in subjects:
        found.keep(subject.node_id, subject.name, 0)
    frontier = list(found.hops)
    level = 0
    while frontier and level < max_hops and (exact or not found.cut):
        level += 1
        if exact:
            frontier = _exact_level(store, found, frontier, level, relations, as_of, cap)
        else:
            frontier = _capped_level(store, found, frontier, level, relations, as_of, cap)
    if level == max_hops and (exact or not found.cut):  # relations among the farthest nodes
        farthest = [n for n, hops in found.hops.items() if hops == max_hops]
        for batch in ([farthest] if exact else [[node] for node in farthest]):
            for _, _, _, edge in expand(store, batch, relations, as_of):
                found.add(edge)
    for node in dict.fromkeys(expanded):
        if node in found.hops:
            _capped_level(store, found, [node], found.hops[node] + 1, relations, as_of,
                          len(found.hops) + EXPAND_CAP)
    found.flags = node_flags(store, sorted(found.hops), as_of)
    return found


def _capped_level(store: GraphStore, found: Subgraph, frontier: list[str], level: int,
                  relations: Sequence[str], as_of: dt.date, cap: int) -> list[str]:
    """One hop from ``frontier``, a node at a time, until a neighbour past ``cap`` is met:
    that node's neighbours left out are counted (``more``, never summed over calls: a lower
    bound). Returns the nodes kept."""
    new: list[str] = []
    for node in frontier:
        surplus: set[str] = set()
        for _, there, name, edge in expand(store, [node], relations, as_of):
            if there not in found.hops:
                if len(found.hops) >= cap:
                    surplus.add(there)
                    continue
                found.keep(there, name, level)
                new.append(there)
            found.add(edge)
        if surplus:
            found.cut = True
            found.more = max(found.more, len(surplus))
            break
    return new


def _exact_level(store: GraphStore, found: Subgraph, frontier: list[str], level: int,
                 relations: Sequence[str], as_of: dt.date, cap: int) -> list[str]:
    """One hop from the whole ``frontier`` (kept nodes and those left out alike, so that the
    count of what is left out is exact): the new nodes kept while there is room, least node
    id first; the rest counted in ``more``. Returns every new node."""
    met: dict[str, str] = {}
    edges = []
    for _, there, name, edge in expand(store, frontier, relations, as_of):
        if there not in found.hops and there not in found.left_out:
            met.setdefault(there, name)
        edges.append(edge)
    new = sorted(met)
    room = max(cap - len(found.hops), 0)
    for node in new[:room]:
        found.keep(node, met[node], level)
    found.left_out.update(new[room:])
    found.more = len(found.left_out)
    found.cut = found.cut or len(new) > room
    for edge in edges:
        found.add(edge)
    return new


def node_flags(store: GraphStore, nodes: Sequence[str], as_of: dt.date) -> dict[str, set[str]]:
    """Which nodes carry a black or red list entry in force, and which are under a
    joint-punishment measure in force (a granted incentive is none) on the date."""
    return {
        "black": set(linked.entries_in_force(store, nodes, "black", as_of)),
        "red": set(linked.entries_in_force(store, nodes, "red", as_of)),
        "sanctioned": {row["subject_id"] for row in run(
            store, "sanctioned-subjects", ids=list(nodes), as_of=as_of)},
    }
