"""The network around subjects, as every face and service walks it: node ids (``Label:key``),
one hop out over valid relations (``expand``), a level-by-level search from many origins with
one parent each (``search``, ``path_to``), relations explained in words (``explain``) and what
identifies a person or an overseas entity beside its name (``node_details``).

Linked-party dishonesty (``linked.py``), propagation, alerts, case bags, the API and the
dashboard's network all build on these; the engine's own shortest search is
``graph/traversal.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import NAMES as DOCUMENT_NAMES
from creditgraph.graph.store import Row
from creditgraph.graph.traversal import relations_of
from creditgraph.queries.library import run
from creditgraph.queries.subjects import display_name

if TYPE_CHECKING:
    from creditgraph.graph.store import GraphStore

CHUNK = 5000  # keys per query


# The subjects of the control graph: label -> (its key in graph/schema.yaml, the name of the
# key-list parameter the hop queries take).
SUBJECTS = {"Enterprise": ("uscc", "enterprises"), "Person": ("pid", "persons"),
            "OverseasEntity": ("entity_id", "overseas")}


@dataclass(frozen=True)
class Edge:
    source: str  # node id "Label:key" of the relationship's start
    target: str
    type: str
    ratio: float | None = None
    role: str | None = None
    kind: str | None = None


@dataclass
class Reached:
    hops: int
    parent: str | None
    edge: Edge | None
    sources: set[str] = field(default_factory=set)  # multi-source search: nearest origins


def node_id(label: str, key: str) -> str:
    return f"{label}:{key}"


def split_id(node: str) -> tuple[str, str]:
    label, _, key = node.partition(":")
    return label, key


def keyed(nodes: Iterable[str], labels: Sequence[str] = tuple(SUBJECTS)
          ) -> Iterable[dict[str, list[str]]]:
    """Node ids as the key lists the queries take (``enterprises``, ``persons``, ``overseas``:
    one per label in ``labels``), in chunks. Nodes of another subject label are left out (an
    overseas entity has no list entries to ask for); a label that is no subject is a bug."""
    by_label: dict[str, list[str]] = {label: [] for label in labels}
    for node in nodes:
        label, key = split_id(node)
        if label not in SUBJECTS:
            raise ValueError(f"not a subject node id: {node!r}")
        if label in by_label:
            by_label[label].append(key)
    longest = max((len(keys) for keys in by_label.values()), default=0)
    for start in range(0, max(longest, 1), CHUNK):
        yield {SUBJECTS[label][1]: keys[start:start + CHUNK] for label, keys in by_label.items()}


def expand(store: GraphStore, frontier: Iterable[str], types: Sequence[str], as_of: dt.date
           ) -> list[tuple[str, str, str, Edge]]:
    """One hop from every frontier node: (from node, neighbour node, neighbour name, edge).
    Only the asked-for relationship types are kept."""
    return edges_of(_neighbour_rows(store, frontier, types, as_of), types)


def hop_rows(store: GraphStore, name: str, keys: dict[str, list[str]], types: Sequence[str],
         as_of: dt.date, **extra: str) -> list[Row]:
    """A Neo4j hop query answers one row holding the list of neighbours (see its header)."""
    result = run(store, name, **keys, types=list(types), as_of=as_of, **extra)
    return result[0]["hop"] if result else []


def edges_of(rows: Iterable[Row], types: Sequence[str]) -> list[tuple[str, str, str, Edge]]:
    found = []
    for row in rows:
        if row["type"] not in types:
            continue
        here = node_id(row["from_label"], row["key"])
        there = node_id(row["label"], row["neighbour"])
        source, target = (here, there) if row["outgoing"] else (there, here)
        edge = Edge(source, target, row["type"], row["ratio"], row["role"], row["kind"])
        found.append((here, there, display_name(row["label"], row["name"], row["country"]),
                      edge))
    found.sort(key=lambda f: (f[0], f[1], *tie_order(f[3])))
    return found


def tie_order(edge: Edge) -> tuple[Any, ...]:
    """How every search orders the relations between two subjects, so that equal paths are
    chosen alike everywhere: type, start, then role, kind and share (parallel relations)."""
    return (edge.type, edge.source, edge.role or "", edge.kind or "", edge.ratio or 0.0)


def _neighbour_rows(store: GraphStore, frontier: Iterable[str], types: Sequence[str],
                    as_of: dt.date) -> Iterable[Row]:
    """One query for the whole hop, or one small query per non-empty label and direction
    (``Dialect.hop``), as the engine's dialect prefers (``Dialect.whole_hop``);
    a small frontier node by node with anchored queries where the dialect says that is
    cheaper (``Dialect.anchored_frontier``)."""
    frontier = list(frontier)
    if 0 < len(frontier) <= store.dialect.anchored_frontier:
        for node in frontier:
            label, key = split_id(node)
            if label not in SUBJECTS:
                raise ValueError(f"not a subject node id: {node!r}")
            for rel in relations_of(store, (label, key), types, as_of):
                yield {"from_label": label, "key": key, "outgoing": rel.outgoing,
                       "type": rel.type, "label": rel.label, "neighbour": rel.key,
                       "name": rel.name, "country": rel.country, "ratio": rel.ratio,
                       "role": rel.role, "kind": rel.kind}
        return
    for keys in keyed(frontier):
        if store.dialect.whole_hop:
            yield from hop_rows(store, "neighbours", keys, types, as_of)
            continue
        for label, (_, param) in SUBJECTS.items():
            if not keys[param]:
                continue
            for outgoing in (True, False):
                query = store.dialect.hop(store.schema, label, outgoing, tuple(SUBJECTS))
                for row in store.read(query, {"keys": keys[param], "as_of": as_of,
                                              "from_label": label}):
                    yield row | {"neighbour": row[SUBJECTS[row["label"]][0]]}


def search(store: GraphStore, origins: Iterable[str], max_hops: int, types: Sequence[str],
           as_of: dt.date, enough: int | None = None) -> tuple[dict[str, Reached], dict[str, str]]:
    """Level-by-level search from the origins. Each reached node keeps its distance, one parent
    on a shortest path, and every origin at that distance. ``enough``: stop after the first
    level that brings the nodes reached (origins aside) to that many; a level is the same
    whether or not the search goes on past it."""
    reached = {o: Reached(0, None, None, {o}) for o in origins}
    origin_count = len(reached)
    names: dict[str, str] = {}
    frontier = sorted(reached)
    for hops in range(1, max_hops + 1):
        if not frontier:
            break
        level: dict[str, Reached] = {}
        for here, there, name, edge in expand(store, frontier, types, as_of):
            names.setdefault(there, name)
            if there in reached:
                continue
            if there not in level:
                level[there] = Reached(hops, here, edge, set(reached[here].sources))
            else:
                level[there].sources |= reached[here].sources
        reached.update(level)
        frontier = sorted(level)
        if enough is not None and len(reached) - origin_count >= enough:
            break
    return reached, names


def path_to(reached: dict[str, Reached], node: str) -> list[tuple[str, Edge | None]]:
    """From the search origin to ``node``: (node, edge that led to it)."""
    steps = []
    current: str | None = node
    while current is not None:
        steps.append((current, reached[current].edge))
        current = reached[current].parent
    return steps[::-1]


# A relation's short name, as a caption on a drawn edge and in filters: (Chinese, English).
RELATION_WORDS = {
    "LEGAL_REP_OF": ("法定代表人", "legal representative"),
    "SHAREHOLDER_OF": ("股东", "shareholder"),
    "EXECUTIVE_OF": ("高管", "executive"),
    "ACTUAL_CONTROLLER_OF": ("实际控制人", "actual controller"),
    "BRANCH_OF": ("分支机构", "branch"),
    "RELATIVE_OF": ("亲属", "relative"),
}


def caption(edge_type: str, ratio: float | None, english: bool = False) -> str:
    """An edge's caption: the relation's short name, a shareholder's share after it
    (``股东 30.0%``)."""
    zh, en = RELATION_WORDS[edge_type]
    share = f" {ratio:.1%}" if edge_type == "SHAREHOLDER_OF" and ratio is not None else ""
    return (en if english else zh) + share


VERBS = {
    "LEGAL_REP_OF": "是{b}的法定代表人",
    "SHAREHOLDER_OF": "持有{b}{share}股份",
    "EXECUTIVE_OF": "任{b}{role}",
    "ACTUAL_CONTROLLER_OF": "是{b}的实际控制人",
    "BRANCH_OF": "是{b}的分支机构",
    "RELATIVE_OF": "与{b}是{kind}关系",
}


def explain(edge: Edge, names: dict[str, str]) -> str:
    a, b = names.get(edge.source, edge.source), names.get(edge.target, edge.target)
    share = f" {edge.ratio:.1%}" if edge.ratio is not None else ""
    return a + VERBS[edge.type].format(b=b, share=share, role=edge.role or "高管",
                                       kind=edge.kind or "亲属")


def node_details(store: GraphStore, nodes: Iterable[str]) -> dict[str, Row]:
    """What identifies persons and overseas entities beside their names, for showing them:
    a person's document type and nationality (codes and Chinese names), masked number and
    whether it was named without a number; an overseas entity's country or region (code and
    Chinese name), Chinese name and registration number. Enterprises need nothing more than
    their USCC: they get no entry. Values that are not recorded are left out."""
    details: dict[str, Row] = {}
    for keys in keyed(sorted(set(nodes)), ("Person", "OverseasEntity")):
        persons = run(store, "person-documents", keys=keys["persons"]) if keys["persons"] else []
        for row in persons:
            unresolved = bool(row["unresolved"])
            details[node_id("Person", row["key"])] = _recorded({
                "id_type": row["id_type"], "id_type_name": DOCUMENT_NAMES.get(row["id_type"] or ""),
                "id_masked": row["id_masked"], "nationality": row["nationality"],
                "nationality_name": chinese_name(row["nationality"]),
                "unresolved": unresolved or None, "scope": row["scope"] if unresolved else None})
        overseas = (run(store, "overseas-entities", keys=keys["overseas"]) if keys["overseas"]
                    else [])
        for row in overseas:
            details[node_id("OverseasEntity", row["key"])] = _recorded({
                "country": row["country"], "country_name": chinese_name(row["country"]),
                "name_zh": row["name_zh"], "registration_no": row["registration_no"]})
    return details


def _recorded(values: Row) -> Row:
    return {k: v for k, v in values.items() if v not in (None, "")}
