"""Linked-party dishonesty: black-listed subjects reachable over control and affiliation
relations, with the path that links them, explained in words.

One subject's search is the engine's own shortest search (``graph/traversal.py``): where the
engine gives every shortest path at once (Neo4j) one query, the path chosen among them in
Python (``tree_of_paths``); elsewhere one query, then a few to walk the paths back
(``shortest_trees``). Searches from many subjects at once (the whole-graph scan) go level by
level, one store query per hop for the whole frontier. All pick the same path among equals: at
every node the nearer parent first by node id, relationship type and start.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.predicates import CONTROL_RELATIONS, entry_in_force
from creditgraph.graph.store import GraphStore, Row
from creditgraph.graph.traversal import (
    MAX_HOPS,
    Found,
    Listed,
    Path,
    Relation,
    relations_of_many,
    shortest_distances,
    shortest_distances_from,
    shortest_paths,
)
from creditgraph.queries.library import run
from creditgraph.queries.network import (
    CHUNK,
    SUBJECTS,
    Edge,
    Reached,
    edges_of,
    expand,
    explain,
    hop_rows,
    keyed,
    node_id,
    path_to,
    search,
    split_id,
    tie_order,
)
from creditgraph.queries.subjects import Subject, default_as_of, display_name

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

# a batch of path walks reads everything this near its origins at once (farther: origin by origin)
EVERY_WITHIN = 2
# Labels a list entry can name (LISTED in graph/schema.yaml): overseas entities carry none.
LISTED_LABELS = ("Enterprise", "Person")


def listed_neighbours(store: GraphStore, frontier: Iterable[str], types: Sequence[str],
                      as_of: dt.date, kind: str = "black") -> list[tuple[str, str, str, Edge]]:
    """The hop of ``expand`` restricted to neighbours with a list entry of ``kind`` in force: the
    last hop of a search for listed parties needs no other. Where a hop is one query
    (``Dialect.whole_hop``) the server filters (listed-neighbours.neo4j.cypher); otherwise the
    hop is expanded and then its entries checked."""
    frontier = list(frontier)
    if store.dialect.whole_hop:
        rows = [row for keys in keyed(frontier)
                for row in hop_rows(store, "listed-neighbours", keys, types, as_of, kind=kind)]
        return edges_of(rows, types)
    found = expand(store, frontier, types, as_of)
    listed = set(entries_in_force(store, {there for _, there, _, _ in found}, kind, as_of))
    return [f for f in found if f[1] in listed]


def entries_in_force(store: GraphStore, nodes: Iterable[str], kind: str, as_of: dt.date
                     ) -> dict[str, list[Row]]:
    """The red or black entries in force for each node that has any (never an overseas
    entity: no list entry names one)."""
    return entries_by_kind(store, nodes, (kind,), as_of)[kind]


def _entries_query(store: GraphStore, label: str, anchored: bool) -> str:
    """The list entries of kinds ``$kinds`` in force on ``$as_of`` of one subject (``$key``,
    ``anchored``) or of several (``$keys``) of ``label``."""
    schema = store.schema
    key = quote_property(schema.node(label).key)
    subject = (f"(s:{quote_label(schema, label)} {{{key}: $key}})" if anchored
               else f"(s:{quote_label(schema, label)})")
    return (f"MATCH (l:{quote_label(schema, 'ListEntry')})-[:{quote_rel_type(schema, 'LISTED')}]"
            f"->{subject} "
            f"WHERE {'' if anchored else f's.{key} IN $keys AND '}l.list_kind IN $kinds "
            f"AND {entry_in_force('l')} "
            f"RETURN '{label}' AS label, s.{key} AS key, l.list_kind AS kind, "
            "l.entry_id AS entry_id, l.list_type AS list_type, l.start_date AS start_date, "
            "l.end_date AS end_date, l.authority AS authority, s.name AS name")


def listed_subjects(store: GraphStore, kind: str, as_of: dt.date) -> set[tuple[str, str]]:
    """Every subject (label, key) with a ``kind`` (red / black) list entry in force, each
    once and nothing else of it: what a search takes as its ends (the entries' columns would
    cost their reading, dates above all)."""
    schema = store.schema
    found: set[tuple[str, str]] = set()
    for label in LISTED_LABELS:
        key = quote_property(schema.node(label).key)
        query = (f"MATCH (l:{quote_label(schema, 'ListEntry')})"
                 f"-[:{quote_rel_type(schema, 'LISTED')}]->(s:{quote_label(schema, label)}) "
                 f"WHERE l.list_kind = $kind AND {entry_in_force('l')} "
                 f"RETURN DISTINCT s.{key} AS key")
        found |= {(label, row["key"]) for row in store.read(query, {"kind": kind,
                                                                   "as_of": as_of})}
    return found


def entries_by_kind(store: GraphStore, nodes: Iterable[str], kinds: Sequence[str],
                    as_of: dt.date) -> dict[str, dict[str, list[Row]]]:
    """``entries_in_force`` for several kinds in one read: kind -> node id -> entries, each
    node's ordered by entry id as ``listed_in_force`` orders them. Basis: 信用修复 — a
    repaired, revoked or expired entry no longer counts, nor anything derived from it."""
    found: dict[str, dict[str, list[Row]]] = {kind: defaultdict(list) for kind in kinds}
    by_label: dict[str, list[str]] = {}
    for node in dict.fromkeys(nodes):  # a subject asked for twice is read once
        label, key = split_id(node)
        if label not in SUBJECTS:
            raise ValueError(f"not a subject node id: {node!r}")
        if label in LISTED_LABELS:  # no list entry names an overseas entity
            by_label.setdefault(label, []).append(key)
    params = {"kinds": list(kinds), "as_of": as_of}
    rows = []
    for label, keys in by_label.items():
        if len(keys) <= store.dialect.anchored_keys:
            query = _entries_query(store, label, anchored=True)
            rows += [row for key in keys for row in store.read(query, params | {"key": key})]
        else:
            query = _entries_query(store, label, anchored=False)
            rows += [row for start in range(0, len(keys), CHUNK)
                     for row in store.read(query, params | {"keys": keys[start:start + CHUNK]})]
    for row in rows:
        found[row.pop("kind")][node_id(row["label"], row["key"])].append(row)
    for entries in found.values():
        for listed in entries.values():
            listed.sort(key=lambda e: e["entry_id"])
    return {kind: dict(entries) for kind, entries in found.items()}


COLUMNS = ["subject_id", "label", "name", "hops", "entries", "list_types", "path", "path_labels",
           "path_names", "path_types", "explanation"]


def listed_in_force(store: GraphStore, kind: str, as_of: dt.date) -> dict[str, list[Row]]:
    """Every subject with a ``kind`` (red / black) list entry in force: node id -> its entries
    (entry_id, list_type, authority, start and end date). One query; a batch of checks reads
    it once."""
    listed: dict[str, list[Row]] = defaultdict(list)
    for row in run(store, "list-entries-all", kind=kind, as_of=as_of):
        listed[node_id(row["label"], row["key"])].append(row)
    return dict(listed)


def linked_dishonesty(store: GraphStore, subject: Subject, max_hops: int = 2,
                      as_of: dt.date | None = None,
                      relations: Sequence[str] = CONTROL_RELATIONS,
                      black: Mapping[str, list[Row]] | None = None) -> pd.DataFrame:
    """``linked_rows`` as a table (the CLI's and the dashboard's)."""
    return _frame(linked_rows(store, subject, max_hops, as_of, relations, black))


def linked_rows(store: GraphStore, subject: Subject, max_hops: int = 2,
                as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
                black: Mapping[str, list[Row]] | None = None,
                found: Sequence[Found] | None = None) -> list[Row]:
    """Every subject with a black-list entry in force, reachable from ``subject`` within
    ``max_hops`` over the given relations, closest first, with the path. ``black``: the
    result of ``listed_in_force`` for the same date, when the caller has it already (a graph-
    wide ranking); without it the search tests each node it reaches, so one subject's question
    never reads the whole list. ``found``: this subject's share of ``listed_within`` (a batch
    of checks searched at once), so that only the paths remain to be walked. Many subjects'
    paths at once: ``linked_rows_many``."""
    as_of = default_as_of(as_of)
    _check_relations(relations)
    _check_hops(max_hops)
    origin = subject.node_id
    if max_hops < 1:
        return []
    paths = (shortest_paths(store, split_id(origin), relations, max_hops, as_of,
                            Listed("black")) if black is None and found is None else None)
    if paths is not None:  # the engine gave every shortest path at once: pick as the walk would
        reached, names = tree_of_paths(origin, paths)
        ends = sorted({node_id(*path.nodes[-1][:2]) for path in paths})
        listed = entries_in_force(store, ends, "black", as_of)
    elif black is None:  # the engine tests each node reached: no list is read or sent
        if found is None:  # else the caller searched for this origin among others
            found = shortest_distances(store, split_id(origin), relations, max_hops, as_of,
                                       Listed("black"))
        reached, names = shortest_trees(store, {origin: found}, relations, as_of)[origin]
        listed = entries_in_force(store, _listed_ends(found), "black", as_of)
    else:
        listed = dict(black)
        listed.pop(origin, None)
        if not listed:
            return []
        reached, names = shortest_tree(store, origin, listed, max_hops, relations, as_of)
    names[origin] = subject.name
    rows = [_row(node, there.hops, listed[node], path_to(reached, node), names)
            for node, there in reached.items() if node in listed]
    return sorted(rows, key=lambda row: (row["hops"], row["subject_id"]))  # as ``_frame``


def listed_within(store: GraphStore, subjects: Sequence[Subject], max_hops: int,
                  as_of: dt.date, relations: Sequence[str] = CONTROL_RELATIONS
                  ) -> dict[str, list[Found]]:
    """For many subjects at once, the black-listed parties within ``max_hops`` and their
    distances (one search per thousand subjects): what ``linked_rows(found=...)`` and
    ``linked_rows_many`` start from, so that a batch does not search subject by subject.
    Subjects with none are left out."""
    _check_relations(relations)
    found = shortest_distances_from(store, [split_id(s.node_id) for s in subjects], relations,
                                    max_hops, as_of, Listed("black"))
    return {node_id(*origin): parties for origin, parties in found.items()}


def linked_rows_many(store: GraphStore, subjects: Sequence[Subject], max_hops: int,
                     as_of: dt.date, relations: Sequence[str] = CONTROL_RELATIONS,
                     found: dict[str, list[Found]] | None = None) -> dict[str, list[Row]]:
    """``linked_rows`` for many subjects at once (node id -> rows; subjects with none left
    out): one search for the batch, then the paths walked back for all of them together, a
    few queries a level — what a batch of watches or checks costs instead of a search each.

    ``found``: the search's answer, made by the caller (node id -> parties within
    ``max_hops`` over ``relations``, nearest distances): every black-listed one among them,
    and possibly others, which are left out — the alert rule searches for listed and
    punished parties at once."""
    _check_relations(relations)
    _check_hops(max_hops)
    if max_hops < 1:
        return {}
    if found is None:
        found = listed_within(store, subjects, max_hops, as_of, relations)
    listed = entries_in_force(store, _listed_ends(f for parties in found.values()
                                                  for f in parties), "black", as_of)
    found = {origin: kept for origin, parties in found.items()
             if (kept := [f for f in parties if node_id(f.label, f.key) in listed])}
    trees = shortest_trees(store, found, relations, as_of)
    out = {}
    for subject in subjects:
        origin = subject.node_id
        if origin not in trees:
            continue
        reached, names = trees[origin]
        names[origin] = subject.name
        rows = [_row(node, there.hops, listed[node], path_to(reached, node), names)
                for node, there in reached.items() if node != origin and node in listed]
        out[origin] = sorted(rows, key=lambda row: (row["hops"], row["subject_id"]))
    return out


def linked_dishonesty_level_by_level(store: GraphStore, subject: Subject, max_hops: int,
                                     as_of: dt.date,
                                     relations: Sequence[str] = CONTROL_RELATIONS
                                     ) -> pd.DataFrame:
    """``linked_dishonesty`` by the level-by-level search, one query per hop: the reference the
    native search is tested against (tests/queries/test_queries.py) and measured beside (bench/)."""
    _check_relations(relations)
    reached, names = search(store, [subject.node_id], max_hops, relations, as_of)
    names[subject.node_id] = subject.name
    entries = entries_in_force(store, [n for n in reached if n != subject.node_id], "black",
                               as_of)
    return _frame([_row(node, reached[node].hops, found, path_to(reached, node), names)
                   for node, found in entries.items()])


def _listed_ends(found: Iterable[Found]) -> list[str]:
    """The black-listed parties a listing search found, whose entries the rows show: a node on
    the path to one of them, nearer, is found by the same search if it is listed itself."""
    return sorted({node_id(f.label, f.key) for f in found})


def shortest_tree(store: GraphStore, origin: str, ends: Iterable[str] | Listed, max_hops: int,
                  types: Sequence[str], as_of: dt.date
                  ) -> tuple[dict[str, Reached], dict[str, str]]:
    """The ``ends`` within ``max_hops`` of ``origin``, each with one shortest path: the one
    ``search`` picks level by level — at every node the parent one step nearer that comes
    first by node id, then relationship type and start — so that both engines, and the
    level-by-level search, agree on ties.

    One native shortest search finds the ends and their distances; the paths are then walked
    back as ``shortest_trees`` walks them."""
    wanted = ends if isinstance(ends, Listed) else (split_id(n) for n in ends)
    first = shortest_distances(store, split_id(origin), types, max_hops, as_of, wanted)
    return shortest_trees(store, {origin: first}, types, as_of)[origin]


def tree_of_paths(origin: str, paths: Iterable[Path]
                  ) -> tuple[dict[str, Reached], dict[str, str]]:
    """The paths ``shortest_trees`` would walk back, chosen among every shortest path to each
    end (``graph.traversal.shortest_paths``): the walk takes at each node the nearer parent
    first by node id, relationship type and start (``tie_order``), so its path is the least
    when compared from the end back — a choice that depends only on the node, which is why
    paths through one node share what lies between it and the origin. The origin's own name
    is the caller's to set."""
    best: dict[str, tuple[tuple[Any, ...], list[tuple[str, Edge]]]] = {}
    names: dict[str, str] = {}
    for path in paths:
        ids = [node_id(label, key) for label, key, _, _ in path.nodes]
        if ids[0] != origin:
            raise ValueError(f"a path from {ids[0]}, not from {origin}")
        for here, (label, _, name, country) in zip(ids[1:], path.nodes[1:], strict=True):
            names.setdefault(here, display_name(label, name, country))
        steps = []
        for near, far, rel in zip(ids[:-1], ids[1:], path.relations, strict=True):
            source, target = (near, far) if rel.outgoing else (far, near)
            steps.append((near, Edge(source, target, rel.type, rel.ratio, rel.role, rel.kind)))
        order = tuple((near, *tie_order(edge)) for near, edge in reversed(steps))
        if ids[-1] not in best or order < best[ids[-1]][0]:
            best[ids[-1]] = (order, steps)
    reached = {origin: Reached(0, None, None, {origin})}
    for end, (_, steps) in best.items():
        for hops, ((parent, edge), node) in enumerate(
                zip(steps, [*(near for near, _ in steps[1:]), end], strict=True), start=1):
            reached.setdefault(node, Reached(hops, parent, edge, {origin}))
    return reached, names


def shortest_trees(store: GraphStore, firsts: Mapping[str, Sequence[Found]],
                   types: Sequence[str], as_of: dt.date
                   ) -> dict[str, tuple[dict[str, Reached], dict[str, str]]]:
    """For each origin, the paths to what its shortest search found (``firsts``: origin node
    id -> the parties and their distances), walked back from the ends one level at a time for
    every origin together: the relations of the level's nodes (one query per label), and for
    those one step nearer, one more shortest search per level — except the last two levels,
    which the origins' own relations answer (read once): the nodes one step from an origin are
    the nearer side of level 2, and its relations to them are the last step of every path. An
    origin that found nothing costs nothing. The origins' own names are the caller's to set."""
    reached = {o: {o: Reached(0, None, None, {o})} for o in firsts}
    names: dict[str, dict[str, str]] = {o: {} for o in firsts}
    pending: dict[str, dict[str, int]] = {o: {} for o in firsts}
    for origin, first in firsts.items():
        for found in first:
            node = node_id(found.label, found.key)
            pending[origin][node] = found.hops
            names[origin][node] = display_name(found.label, found.name, found.country)
    top = max((d for waiting in pending.values() for d in waiting.values()), default=0)
    own: dict[str, dict[str, list[Relation]]] = {o: defaultdict(list) for o in firsts}
    if top:
        for (label, key), relations in relations_of_many(
                store, sorted(split_id(o) for o, waiting in pending.items() if waiting), types,
                as_of).items():
            for rel in relations:
                own[node_id(label, key)][node_id(rel.label, rel.key)].append(rel)
    for hops in range(top, 0, -1):
        level = {o: sorted(n for n, d in waiting.items() if d == hops)
                 for o, waiting in pending.items()}
        level = {o: nodes for o, nodes in level.items() if nodes}
        if hops == 1:  # the origin is the parent; its relations to the node are the options
            around: Mapping[tuple[str, str], list[Relation]] = {}
            nearer = {o: {o} for o in level}
        else:
            here = sorted({split_id(n) for nodes in level.values() for n in nodes})
            if hops == 2:  # one step nearer is an origin's own neighbours: read only toward them
                nearer = {o: set(own[o]) - {o} for o in level}
                around = relations_of_many(store, here, types, as_of, toward=sorted(
                    {split_id(n) for near in nearer.values() for n in near}))
            else:
                around = relations_of_many(store, here, types, as_of)
                nearer = _one_step_nearer(store, level, around, hops, types, as_of)
        for origin, nodes in level.items():
            for node in nodes:
                options = []
                for rel in (around[split_id(node)] if hops > 1
                            else [_seen_from(r, origin) for r in own[origin][node]]):
                    there = node_id(rel.label, rel.key)
                    if there not in nearer[origin]:
                        continue
                    source, target = (node, there) if rel.outgoing else (there, node)
                    edge = Edge(source, target, rel.type, rel.ratio, rel.role, rel.kind)
                    options.append(((there, *tie_order(edge)), edge,
                                    display_name(rel.label, rel.name, rel.country)))
                if not options:  # the data changed between the two reads: not reached after all
                    continue
                _, edge, name = min(options, key=lambda o: o[0])
                parent = edge.source if edge.target == node else edge.target
                names[origin].setdefault(parent, name)
                reached[origin][node] = Reached(hops, parent, edge, {origin})
                if parent not in reached[origin] and parent not in pending[origin]:
                    pending[origin][parent] = hops - 1
    # a node whose parent was lost to a concurrent change has no path to the origin
    return {o: ({n: r for n, r in tree.items() if _leads_home(tree, n)}, names[o])
            for o, tree in reached.items()}


def _seen_from(rel: Relation, origin: str) -> Relation:
    """An origin's relation to a node, as the node sees it (the origin at its far end; the
    origin's name is not read here: the caller has it)."""
    label, key = split_id(origin)
    return Relation(rel.type, label, key, None, None, rel.ratio, rel.role, rel.kind,
                    not rel.outgoing)


def _one_step_nearer(store: GraphStore, level: Mapping[str, list[str]],
                     around: Mapping[tuple[str, str], list[Relation]], hops: int,
                     types: Sequence[str], as_of: dt.date) -> dict[str, set[str]]:
    """For each origin, the nodes at ``hops - 1`` from it among its level's neighbours. Many
    origins, near: one search from all of them for everything within ``hops - 1`` — the
    neighbours of every origin's nodes sent as the ends of every origin's search would be
    tested against a list as long as all of them at each step (minutes at 200,000
    enterprises, against a second). One origin, or farther: a search per origin for just its
    neighbours."""
    if len(level) > 1 and hops - 1 <= EVERY_WITHIN:
        found = shortest_distances_from(store, sorted(split_id(o) for o in level), types,
                                        hops - 1, as_of)
    else:  # one origin, or so far that everything within reach would be too much to read
        found = {}
        for origin, nodes in level.items():
            candidates = {(r.label, r.key) for n in nodes for r in around[split_id(n)]}
            found |= shortest_distances_from(store, [split_id(origin)], types, hops - 1,
                                             as_of, candidates)
    return {origin: {node_id(f.label, f.key) for f in found.get(split_id(origin), [])
                     if f.hops == hops - 1} for origin in level}


def _leads_home(reached: dict[str, Reached], node: str) -> bool:
    while (found := reached.get(node)) is not None and found.parent is not None:
        node = found.parent
    return found is not None


def linked_dishonesty_scan(store: GraphStore, max_hops: int = 2, as_of: dt.date | None = None,
                           relations: Sequence[str] = CONTROL_RELATIONS,
                           limit: int | None = None) -> pd.DataFrame:
    """Every subject not itself black-listed with a black-listed party within ``max_hops``,
    ranked closest first, then by the number of entries; the path leads to one nearest party.

    With a ``limit`` the search stops after the first hop that finds that many: everyone found
    within fewer hops ranks before anyone further away, so the first rows do not change (the
    first ten at two million firms, without the whole two-hop scan of 143,000 subjects; the
    overview counts them all, so it runs the whole scan, shared with the 关联失信 page)."""
    as_of = default_as_of(as_of)
    _check_relations(relations)
    listed: dict[str, list[Row]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in run(store, "list-entries-all", kind="black", as_of=as_of):
        node = node_id(row["label"], row["key"])
        listed[node].append(row)
        names[node] = row["name"]
    reached, found_names = search(store, sorted(listed), max_hops, relations, as_of,
                                  limit or None)
    names.update(found_names)
    rows = []
    for node, found in reached.items():
        if node in listed:
            continue
        entries = [e for origin in sorted(found.sources) for e in listed[origin]]
        steps = path_to(reached, node)[::-1]  # from the subject to its black-listed party
        flipped = [(n, steps[i - 1][1] if i else None) for i, (n, _) in enumerate(steps)]
        rows.append(_row(node, found.hops, entries, flipped, names))
    frame = _frame(rows)
    if not frame.empty:
        frame["entry_count"] = frame["entries"].map(len)
        frame = frame.sort_values(["hops", "entry_count", "subject_id"],
                                  ascending=[True, False, True]).drop(columns="entry_count")
        frame = frame.reset_index(drop=True)
    return frame.head(limit) if limit else frame


def _row(node: str, hops: int, entries: list[Row], steps: list[tuple[str, Edge | None]],
         names: dict[str, str]) -> Row:
    label, key = split_id(node)
    edges = [edge for _, edge in steps if edge is not None]
    return {
        "subject_id": key, "label": label, "name": names.get(node, ""), "hops": hops,
        "entries": sorted({e["entry_id"] for e in entries}),
        "list_types": sorted({e["list_type"] for e in entries}),
        "path": [split_id(n)[1] for n, _ in steps],
        "path_labels": [split_id(n)[0] for n, _ in steps],  # a key alone does not say its label
        "path_names": [names.get(n, "") for n, _ in steps],
        "path_types": [e.type for e in edges],
        "explanation": "；".join(explain(e, names) for e in edges),
    }


def _frame(rows: list[Row]) -> pd.DataFrame:
    import pandas as pd
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not frame.empty:
        frame = frame.sort_values(["hops", "subject_id"]).reset_index(drop=True)
    return frame


def _check_hops(max_hops: int) -> None:
    if not 0 <= max_hops <= MAX_HOPS:
        raise CreditGraphError(f"hops must be a whole number from 1 to {MAX_HOPS}; got "
                               f"{max_hops!r}")


def _check_relations(relations: Sequence[str]) -> None:
    unknown = set(relations) - set(CONTROL_RELATIONS)
    if unknown or not relations:
        raise CreditGraphError(f"relations must be among {', '.join(CONTROL_RELATIONS)}; "
                               f"got {', '.join(sorted(unknown)) or 'none'}")
