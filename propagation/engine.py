"""The propagation engine: from black-list entries in force and the rules, every measure on every
subject it reaches, with the evidence path. Pure Python over a neighbourhood read from the store
(``Neighbourhood``), so both backends give the same sanctions.

Walks run level by level for all listed subjects at once: each level reads the adjacency of the
subjects it needs in one batched query per backend, never the whole graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.store import GraphStore
from propagation.rules import Reach, Rule, RuleSet, Step
from queries.linked import Edge, expand, explain, split_id


@dataclass(frozen=True)
class ListedEntry:
    entry_id: str
    node: str  # "Label:key" of the listed subject
    name: str
    list_kind: str
    list_type: str
    start_date: dt.date
    end_date: dt.date | None


@dataclass(frozen=True)
class Sanction:
    sanction_id: str
    kind: str  # punishment | withheld
    measure: str
    subject_id: str
    entry_id: str
    rule: str
    list_type: str
    departments: tuple[str, ...]
    basis: str
    hops: int
    weight: float
    valid_from: dt.date
    valid_to: dt.date | None
    path: tuple[str, ...]
    path_types: tuple[str, ...]
    path_text: str

    @property
    def fingerprint(self) -> str:
        """What a recomputation must leave unchanged for the stored node to stay as it is."""
        content = [self.kind, self.measure, self.subject_id, self.entry_id, self.rule,
                   self.list_type, list(self.departments), self.basis, self.hops,
                   round(self.weight, 9), str(self.valid_from), str(self.valid_to),
                   list(self.path), list(self.path_types), self.path_text]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:32]


def sanction_id(entry_id: str, measure: str, subject: str) -> str:
    digest = hashlib.sha256(f"{entry_id}\x1f{measure}\x1f{subject}".encode()).hexdigest()
    return f"S-{digest[:24]}"


class Neighbourhood:
    """Adjacency read from the store on demand, cached: node -> [(neighbour, edge)], sorted so
    that walks break ties the same way every time."""

    def __init__(self, store: GraphStore, types: tuple[str, ...], as_of: dt.date) -> None:
        self.store, self.types, self.as_of = store, types, as_of
        self.adjacency: dict[str, list[tuple[str, Edge]]] = {}
        self.names: dict[str, str] = {}
        self.queries = 0

    def fetch(self, nodes: Iterable[str]) -> None:
        missing = sorted({n for n in nodes if n not in self.adjacency})
        if not missing:
            return
        found: dict[str, list[tuple[str, Edge]]] = defaultdict(list)
        for here, there, name, edge in expand(self.store, missing, self.types, self.as_of):
            found[here].append((there, edge))
            self.names.setdefault(there, name)
        self.queries += 1
        for node in missing:
            self.adjacency[node] = sorted(found.get(node, []),
                                          key=lambda p: (p[0], p[1].type, p[1].source))

    def steps(self, node: str, allowed: tuple[Step, ...], min_ratio: float | None
              ) -> Iterable[tuple[str, Edge]]:
        for neighbour, edge in self.adjacency.get(node, ()):
            if not any(_matches(step, edge, node) for step in allowed):
                continue
            if edge.type == "SHAREHOLDER_OF" and min_ratio is not None and (
                    edge.ratio is None or edge.ratio < min_ratio):
                continue  # an unrecorded share is not taken to reach the threshold
            yield neighbour, edge


def _matches(step: Step, edge: Edge, node: str) -> bool:
    if step.type != edge.type:
        return False
    outgoing = edge.source == node
    return step.direction == "both" or (step.direction == "out") == outgoing


@dataclass
class Walk:
    """A breadth-first walk from one subject under one reach; keeps one shortest path to each
    subject reached (the first in sorted order)."""

    origin: str
    reach: Reach
    parents: dict[str, tuple[str | None, Edge | None, int]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parents[self.origin] = (None, None, 0)
        self.frontier = [self.origin]

    def wants(self, depth: int) -> list[str]:
        return self.frontier if self.reach.allowed(depth) else []

    def advance(self, depth: int, hood: Neighbourhood) -> None:
        allowed = self.reach.allowed(depth)
        level: list[str] = []
        for node in self.frontier if allowed else ():
            for neighbour, edge in hood.steps(node, allowed, self.reach.min_ratio):
                if neighbour not in self.parents:
                    self.parents[neighbour] = (node, edge, depth + 1)
                    level.append(neighbour)
        self.frontier = sorted(level)

    def reached(self, exact: bool) -> Iterable[tuple[str, int]]:
        """Subjects reached and their distance; with ``exact`` (a steps reach) only those at
        the end of the whole sequence."""
        for node, (_, _, hops) in self.parents.items():
            if hops and (not exact or hops == self.reach.hops):
                yield node, hops

    def path(self, node: str) -> tuple[list[str], list[Edge]]:
        nodes, edges = [], []
        current: str | None = node
        while current is not None:
            parent, edge, _ = self.parents[current]
            nodes.append(current)
            if edge is not None:
                edges.append(edge)
            current = parent
        return nodes[::-1], edges[::-1]


def walk_all(hood: Neighbourhood, walks: Iterable[Walk]) -> None:
    """Advance every walk level by level; each level reads the adjacency it needs in one go."""
    pending = list(walks)
    depth = 0
    while pending:
        hood.fetch(node for walk in pending for node in walk.wants(depth))
        for walk in pending:
            walk.advance(depth, hood)
        depth += 1
        pending = [w for w in pending if w.frontier and w.reach.allowed(depth)]


def compute(store: GraphStore, rules: RuleSet, black: list[ListedEntry], red: list[ListedEntry],
            as_of: dt.date, names: dict[str, str]) -> list[Sanction]:
    """Every sanction in force on ``as_of`` that the rules derive from the black entries, and
    the red-list incentives withheld; sorted by id."""
    hood = Neighbourhood(store, rules.relation_types, as_of)
    hood.names.update(names)
    walks: dict[tuple[str, Reach], Walk] = {}
    for entry in black:
        for rule in rules.for_entry(entry.list_type, split_id(entry.node)[0]):
            if rule.reach.hops:
                walks.setdefault((entry.node, rule.reach), Walk(entry.node, rule.reach))
    incentives = rules.incentives
    red_reach = None
    if incentives and incentives.linked_black_hops and red:
        red_reach = Reach(relations=tuple(Step(t, "both") for t in incentives.relations),
                          max_hops=incentives.linked_black_hops)
        for entry in red:
            walks.setdefault((entry.node, red_reach), Walk(entry.node, red_reach))
    walk_all(hood, walks.values())

    chosen: dict[str, Sanction] = {}
    for entry in black:
        for rule in rules.for_entry(entry.list_type, split_id(entry.node)[0]):
            valid_to = _valid_to(entry, rule)
            if valid_to is not None and valid_to < as_of:
                continue  # the rule's own term is over
            targets: list[tuple[str, list[str], list[Edge]]] = []
            if rule.self_applies:
                targets.append((entry.node, [entry.node], []))
            if rule.reach.hops:
                walk = walks[(entry.node, rule.reach)]
                for node, _ in walk.reached(exact=bool(rule.reach.steps)):
                    if node != entry.node:
                        targets.append((node, *walk.path(node)))
            for node, path, edges in targets:
                for measure_name in rule.measures:
                    measure = rules.measures[measure_name]
                    candidate = Sanction(
                        sanction_id(entry.entry_id, measure_name, node), "punishment",
                        measure_name, node, entry.entry_id, rule.id, entry.list_type,
                        measure.departments, measure.basis, len(edges),
                        rule.reach.decay ** len(edges), entry.start_date, valid_to,
                        tuple(path), tuple(e.type for e in edges),
                        _path_text(path, edges, hood.names))
                    _keep_closest(chosen, candidate)
    if incentives:
        _withhold(chosen, rules, red, black, walks, red_reach, hood)
    return sorted(chosen.values(), key=lambda s: s.sanction_id)


def _withhold(chosen: dict[str, Sanction], rules: RuleSet, red: list[ListedEntry],
              black: list[ListedEntry], walks: dict[tuple[str, Reach], Walk],
              red_reach: Reach | None, hood: Neighbourhood) -> None:
    """A red-listed subject with a measure of its own, or a black-listed party within reach,
    has its incentives withheld: one sanction per black entry that causes it. The path runs,
    like every sanction's, from the black-listed subject to the one the measure applies to."""
    incentives = rules.incentives
    assert incentives is not None
    entries = {entry.entry_id: entry for entry in black}
    black_by_node: dict[str, list[ListedEntry]] = defaultdict(list)
    for entry in black:
        black_by_node[entry.node].append(entry)
    own: dict[str, list[Sanction]] = defaultdict(list)
    for found in chosen.values():
        own[found.subject_id].append(found)
    for red_entry in red:
        # entry id -> (black entry, path, relation types, path in words)
        causes: dict[str, tuple[ListedEntry, tuple[str, ...], tuple[str, ...], str]] = {}
        for entry in black_by_node.get(red_entry.node, []):
            causes[entry.entry_id] = (entry, (red_entry.node,), (), _path_text(
                [red_entry.node], [], hood.names))
        if incentives.own_sanction:
            for found in sorted(own.get(red_entry.node, []), key=lambda s: (s.hops, s.entry_id)):
                if found.entry_id not in causes:
                    causes[found.entry_id] = (entries[found.entry_id], found.path,
                                              found.path_types, found.path_text)
        if red_reach is not None:
            walk = walks[(red_entry.node, red_reach)]
            for node, _ in sorted(walk.reached(exact=False), key=lambda p: (p[1], p[0])):
                for entry in black_by_node.get(node, []):
                    if entry.entry_id not in causes:
                        nodes, edges = walk.path(node)
                        causes[entry.entry_id] = (
                            entry, tuple(nodes[::-1]), tuple(e.type for e in edges[::-1]),
                            _path_text(nodes[::-1], edges[::-1], hood.names))
        for entry, path, types, text in causes.values():
            valid_from = max(entry.start_date, red_entry.start_date)
            ends = [d for d in (entry.end_date, red_entry.end_date) if d]
            _keep_closest(chosen, Sanction(
                sanction_id(entry.entry_id, incentives.withheld_measure, red_entry.node),
                "withheld", incentives.withheld_measure, red_entry.node, entry.entry_id,
                "red-incentives-withheld", entry.list_type, incentives.departments,
                incentives.basis, len(types), 1.0, valid_from, min(ends) if ends else None,
                path, types, text))


def _keep_closest(chosen: dict[str, Sanction], candidate: Sanction) -> None:
    """One sanction per (entry, measure, subject): the closest, then the first rule."""
    held = chosen.get(candidate.sanction_id)
    if held is None or (candidate.hops, candidate.rule) < (held.hops, held.rule):
        chosen[candidate.sanction_id] = candidate


def _valid_to(entry: ListedEntry, rule: Rule) -> dt.date | None:
    ends = [entry.end_date] if entry.end_date else []
    if rule.years:
        start = entry.start_date
        try:
            ends.append(start.replace(year=start.year + rule.years))
        except ValueError:  # 29 February
            ends.append(start.replace(year=start.year + rule.years, day=28))
    return min(ends) if ends else None


def _path_text(path: list[str], edges: list[Edge], names: dict[str, str]) -> str:
    if not edges:
        return f"{names.get(path[0], path[0])}本身被列入名单"
    return "；".join(explain(edge, names) for edge in edges)
