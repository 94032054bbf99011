"""The propagation engine: from black-list entries in force and the rules, every measure on every
subject it reaches, with the evidence path. Pure Python over a neighbourhood read from the store
(``Neighbourhood``), so both backends give the same sanctions.

Walks run level by level for all listed subjects at once: each level reads the adjacency of the
subjects it needs in one batched query per backend, never the whole graph.

Subjects are node ids ``Label:key`` of any subject label: enterprises, persons and overseas
entities (境外主体) — a walk over SHAREHOLDER_OF, ACTUAL_CONTROLLER_OF or BRANCH_OF reaches an
overseas shareholder, controller or parent company, and goes on through it, like a firm.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from creditgraph.graph.store import GraphStore
from creditgraph.policy.workdays import years_from
from creditgraph.propagation.rules import Reach, Rule, RuleSet, Step
from creditgraph.queries.linked import listed_neighbours
from creditgraph.queries.network import Edge, expand, explain, split_id, tie_order


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
    kind: str  # punishment | withheld (red-list incentives suspended) | incentive (granted)
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
        self.listed: dict[str, dict[str, list[tuple[str, Edge]]]] = {}
        self.queries = 0

    def fetch(self, nodes: Iterable[str]) -> None:
        missing = sorted({n for n in nodes if n not in self.adjacency})
        if missing:
            self._keep(missing, expand(self.store, missing, self.types, self.as_of),
                       self.adjacency)

    def fetch_listed(self, nodes: Iterable[str], kind: str) -> None:
        """Only the neighbours with a ``kind`` list entry in force, for nodes whose full
        adjacency is not known: the last level of a walk that looks for listed subjects (around
        a registration agent, 5 rows instead of thousands)."""
        cache = self.listed.setdefault(kind, {})
        missing = sorted({n for n in nodes if n not in self.adjacency and n not in cache})
        if missing:
            self._keep(missing, listed_neighbours(self.store, missing, self.types, self.as_of,
                                                  kind), cache)

    def _keep(self, missing: list[str], hop: Iterable[tuple[str, str, str, Edge]],
              cache: dict[str, list[tuple[str, Edge]]]) -> None:
        found: dict[str, list[tuple[str, Edge]]] = defaultdict(list)
        for here, there, name, edge in hop:
            found[here].append((there, edge))
            self.names.setdefault(there, name)
        self.queries += 1
        for node in missing:
            cache[node] = sorted(found.get(node, []), key=lambda p: (p[0], *tie_order(p[1])))

    def steps(self, node: str, allowed: tuple[Step, ...], min_ratio: float | None,
              listed: str | None = None) -> Iterable[tuple[str, Edge]]:
        pairs = self.adjacency.get(node)
        if pairs is None and listed is not None:
            pairs = self.listed.get(listed, {}).get(node, [])
        for neighbour, edge in pairs or ():
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
    detect: str | None = None  # a list kind: the last level keeps only subjects listed so
    parents: dict[str, tuple[str | None, Edge | None, int]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parents[self.origin] = (None, None, 0)
        self.frontier = [self.origin]

    def wants(self, depth: int) -> list[str]:
        return self.frontier if self.reach.allowed(depth) else []

    def last(self, depth: int) -> bool:
        return self.detect is not None and not self.reach.allowed(depth + 1)

    def advance(self, depth: int, hood: Neighbourhood) -> None:
        allowed = self.reach.allowed(depth)
        listed = self.detect if self.last(depth) else None
        level: list[str] = []
        for node in self.frontier if allowed else ():
            for neighbour, edge in hood.steps(node, allowed, self.reach.min_ratio, listed):
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
        hood.fetch(node for walk in pending if not walk.last(depth)
                   for node in walk.wants(depth))
        for kind in sorted({w.detect for w in pending if w.last(depth) and w.detect}):
            hood.fetch_listed((node for walk in pending if walk.last(depth)
                               and walk.detect == kind for node in walk.wants(depth)), kind)
        for walk in pending:
            walk.advance(depth, hood)
        depth += 1
        pending = [w for w in pending if w.frontier and w.reach.allowed(depth)]


def compute(store: GraphStore, rules: RuleSet, black: list[ListedEntry], red: list[ListedEntry],
            as_of: dt.date, names: dict[str, str], barred: frozenset[str] = frozenset()
            ) -> list[Sanction]:
    """Every sanction in force on ``as_of`` that the rules derive from the black entries, the
    red-list incentives withheld, and those granted. ``barred``: subjects under a measure that
    this computation does not see (an incremental run's stored sanctions outside its scope);
    they are granted no incentive. Sorted by id."""
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
        # from each black-listed subject to the red-listed ones near it (fewer walks than the
        # other way round, and the last level asks only for red-listed neighbours)
        red_reach = Reach(relations=tuple(Step(t, "both") for t in incentives.relations),
                          max_hops=incentives.linked_black_hops)
        for entry in black:
            walks.setdefault((entry.node, red_reach), Walk(entry.node, red_reach, "red"))
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
        _grant(chosen, rules, red, hood, barred)
    return sorted(chosen.values(), key=lambda s: s.sanction_id)


def _grant(chosen: dict[str, Sanction], rules: RuleSet, red: list[ListedEntry],
           hood: Neighbourhood, barred_elsewhere: frozenset[str]) -> None:
    """守信联合激励 granted: each incentive measure of the rule file to every red-listed subject
    with no measure of its own and nothing withheld (no black-listed party within reach), from
    its earliest red entry in force, for as long as that entry lasts. When the conditions stop
    holding, the next propagation computes a withheld measure instead, and the grant goes."""
    incentives = rules.incentives
    assert incentives is not None
    barred = {s.subject_id for s in chosen.values() if s.kind in ("punishment", "withheld")}
    barred |= barred_elsewhere
    first: dict[str, ListedEntry] = {}
    for entry in sorted(red, key=lambda e: (e.start_date, e.entry_id)):
        first.setdefault(entry.node, entry)
    for node, entry in first.items():
        if node in barred:
            continue
        for measure, basis in incentives.measures.items():
            _keep_closest(chosen, Sanction(
                sanction_id(entry.entry_id, measure, node), "incentive", measure, node,
                entry.entry_id, "red-incentives", entry.list_type, incentives.departments,
                basis, 0, 1.0, entry.start_date, entry.end_date, (node,), (),
                _path_text([node], [], hood.names)))


def _withhold(chosen: dict[str, Sanction], rules: RuleSet, red: list[ListedEntry],
              black: list[ListedEntry], walks: dict[tuple[str, Reach], Walk],
              red_reach: Reach | None, hood: Neighbourhood) -> None:
    """A red-listed subject with a measure of its own, or a black-listed party within reach,
    has its incentives withheld: one sanction per black entry that causes it. The path runs,
    like every sanction's, from the black-listed subject to the one the measure applies to."""
    incentives = rules.incentives
    assert incentives is not None
    red_by_node: dict[str, ListedEntry] = {}
    for entry in sorted(red, key=lambda e: (e.start_date, e.entry_id)):
        red_by_node.setdefault(entry.node, entry)  # the earliest red entry in force
    own: dict[str, list[Sanction]] = defaultdict(list)
    for found in chosen.values():
        if found.subject_id in red_by_node:
            own[found.entry_id].append(found)
    for entry in black:
        # red subject -> (path, relation types, path in words), closest cause first
        causes: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}
        if entry.node in red_by_node:
            causes[entry.node] = ((entry.node,), (), _path_text([entry.node], [], hood.names))
        if incentives.own_sanction:
            for found in sorted(own.get(entry.entry_id, []), key=lambda s: (s.hops, s.subject_id)):
                causes.setdefault(found.subject_id, (found.path, found.path_types,
                                                     found.path_text))
        if red_reach is not None:
            walk = walks[(entry.node, red_reach)]
            for node, _ in sorted(walk.reached(exact=False), key=lambda p: (p[1], p[0])):
                if node in red_by_node and node not in causes:
                    nodes, edges = walk.path(node)
                    causes[node] = (tuple(nodes), tuple(e.type for e in edges),
                                    _path_text(nodes, edges, hood.names))
        for node, (path, types, text) in causes.items():
            red_entry = red_by_node[node]
            ends = [d for d in (entry.end_date, red_entry.end_date) if d]
            _keep_closest(chosen, Sanction(
                sanction_id(entry.entry_id, incentives.withheld_measure, node),
                "withheld", incentives.withheld_measure, node, entry.entry_id,
                "red-incentives-withheld", entry.list_type, incentives.departments,
                incentives.basis, len(types), 1.0, max(entry.start_date, red_entry.start_date),
                min(ends) if ends else None, path, types, text))


def _keep_closest(chosen: dict[str, Sanction], candidate: Sanction) -> None:
    """One sanction per (entry, measure, subject): the closest, then the first rule."""
    held = chosen.get(candidate.sanction_id)
    if held is None or (candidate.hops, candidate.rule) < (held.hops, held.rule):
        chosen[candidate.sanction_id] = candidate


def _valid_to(entry: ListedEntry, rule: Rule) -> dt.date | None:
    ends = [entry.end_date] if entry.end_date else []
    if rule.years:
        ends.append(years_from(entry.start_date, rule.years))
    return min(ends) if ends else None


def _path_text(path: list[str], edges: list[Edge], names: dict[str, str]) -> str:
    if not edges:
        return f"{names.get(path[0], path[0])}本身被列入名单"
    return "；".join(explain(edge, names) for edge in edges)
