"""Native graph search, written once per Cypher dialect: the shortest distance from one subject
to a set of others over valid relations (one variable-length query), and one subject's valid
relations (one anchored query). ``queries/`` builds linked-party search and paths on these and
never asks which engine it talks to.

Why two dialects: LadybugDB writes a filtered shortest search as
``-[:T* SHORTEST 1..3 (r, n | WHERE ...)]-`` and has no ``startNode()``; Neo4j 5 writes it as
``SHORTEST 1 (s)(()-[r:T WHERE ...]-()){1,3}(m)``. Both filter every relationship of the path on
the date, so a path never runs through an ended relation.

Labels, relationship types and property names come only from the schema's whitelist (quoted by
``graph.cypher``); the hop bound is a checked integer (neither engine takes it as a parameter);
every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.predicates import (
    CONTROL_RELATIONS,
    entry_in_force,
    measure_in_force,
    valid_on,
)
from creditgraph.graph.schema import Schema

if TYPE_CHECKING:
    from creditgraph.graph.store import GraphStore

MAX_HOPS = 12


@dataclass(frozen=True)
class Found:
    """A subject reached by a shortest search, at ``hops`` relations from the origin."""

    label: str
    key: str
    name: str | None
    country: str | None
    hops: int


@dataclass(frozen=True)
class Relation:
    """One valid relation of a subject, seen from it: ``outgoing`` when the subject is its start."""

    type: str
    label: str
    key: str
    name: str | None
    country: str | None
    ratio: float | None
    role: str | None
    kind: str | None
    outgoing: bool


@dataclass(frozen=True)
class Path:
    """One shortest path from an origin: its subjects in order, each (label, key, name,
    country), and the relation from each to the next, seen from the nearer one
    (``Relation.outgoing``: the nearer subject is its start)."""

    nodes: tuple[tuple[str, str, str | None, str | None], ...]
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Listed:
    """Search ends: every subject with a list entry of ``kind`` (black / red) in force on the
    search's date, tested by the engine on each node reached — no list to send."""

    kind: str


@dataclass(frozen=True)
class Sanctioned:
    """Search ends: every subject a measure of ``kind`` (``punishment``, or ``withheld`` for a
    red-list incentive suspended) in force on the search's date applies to, tested by the
    engine on each node reached — no list of such subjects to read and send."""

    kind: str


@dataclass(frozen=True)
class AnyOf:
    """Search ends: every subject that meets any of ``tests`` (at most one ``Listed`` and one
    ``Sanctioned``, nothing else) — one search where two would walk the same relations from
    the same origins. Which test a subject met is not returned: read it for the few found."""

    tests: tuple[Listed | Sanctioned, ...]


Ends = Iterable[tuple[str, str]] | Listed | Sanctioned | AnyOf | None


def _checked_hops(max_hops: int) -> int:
    if not isinstance(max_hops, int) or isinstance(max_hops, bool) or not (
            1 <= max_hops <= MAX_HOPS):
        raise CreditGraphError(f"hops must be a whole number from 1 to {MAX_HOPS}; got "
                               f"{max_hops!r}")
    return max_hops


def _check_dated(schema: Schema, types: Sequence[str]) -> None:
    """Searches filter every relation on its dates: only dated (temporal) types qualify."""
    undated = [t for t in types if not schema.relationship(t).temporal]
    if undated:
        raise CreditGraphError(f"relations without dates cannot be searched: "
                               f"{', '.join(undated)}")


def _labels_touched(schema: Schema, types: Sequence[str]) -> set[str]:
    return {label for t in types for pair in schema.relationship(t).endpoints for label in pair}


def _types_from(schema: Schema, label: str, types: Sequence[str], outgoing: bool) -> list[str]:
    """The asked-for types that can start (``outgoing``) or end at ``label``."""
    side = 0 if outgoing else 1
    return [t for t in types if any(pair[side] == label
                                    for pair in schema.relationship(t).endpoints)]


def _far_labels(schema: Schema, label: str, types: Sequence[str], outgoing: bool) -> list[str]:
    """The labels at the far end of ``label``'s relations of ``types`` in that direction."""
    return sorted({b if outgoing else a for t in types
                   for a, b in schema.relationship(t).endpoints
                   if (a if outgoing else b) == label})


def _alternatives(schema: Schema, types: Iterable[str]) -> str:
    return "|".join(quote_rel_type(schema, t) for t in types)


def _key(schema: Schema, label: str) -> str:
    return quote_property(schema.node(label).key)


def _has(schema: Schema, labels: Iterable[str], prop: str, rel_types: Iterable[str] = ()
         ) -> bool:
    return (any(prop in schema.node(label).properties for label in labels)
            or any(prop in schema.relationship(t).properties for t in rel_types))


class Dialect:
    """The query text of one engine. Subclasses differ only where the languages do.

    ``whole_hop``: a level-by-level search (the scan, propagation walks) reads a hop for every
    label and direction in one query (Neo4j: round trips dominate); otherwise one small query
    per label and direction (the embedded engine pays for every UNION branch instead), and the
    last hop's list-entry test runs as a second query rather than on the server. The same
    preference joins a label's relations in both directions into one query
    (``relations_of_many``)."""

    whole_hop = False
    # a frontier this small is read node by node with anchored queries (an index look-up
    # each) rather than by one ``UNWIND $keys`` query, which this engine answers by scanning
    # the relationship tables (about 250 ms a query at 100,000 enterprises)
    anchored_frontier = 128
    # this few keys are read with one anchored query each rather than one ``IN $keys`` query,
    # which this engine answers by scanning the label's table (a key look-up 0.4 ms, a scan of
    # 100,000 enterprises 3 ms; a shortest search from a few origins by IN, ~100 ms)
    anchored_keys = 8
    # relationships between given pairs are read from one end (``UNWIND $keys`` keyed on the
    # end with fewer keys) and the pairs kept in Python: with both ends keyed this engine
    # joins badly (5,000 pairs at 40,000 enterprises: 2.1 s, against 0.1 s from one end)
    pairs_from_one_end = True

    def shortest_search(self, schema: Schema, origin_label: str, types: Sequence[str],
                        max_hops: int, end_labels: Sequence[str], direction: str,
                        ends: str, many: bool = False) -> str:
        """``direction``: ``both``, ``out`` (relations leaving the origin's side) or ``in``;
        ``ends``: ``every`` node reached, the ``keys`` in ``$ends_<Label>``, the ``listed`` (a
        list entry of kind ``$list_kind`` in force), the ``sanctioned`` (a measure of kind
        ``$sanction_kind`` in force), or several of these joined by ``|`` (any); ``many``:
        from every origin in ``$keys`` at once (each row names its ``origin``), else from
        ``$key``."""
        raise NotImplementedError

    def near_any(self, schema: Schema, origin_labels: Sequence[str], end_labels: Sequence[str],
                 types: Sequence[str], max_hops: int) -> str | None:
        """One query for the least distance (1 or 2; ``hops``) of each end in ``$ends_<Label>``
        from the set of origins in ``$origins_<Label>`` — or None where this engine has no set
        search for ``max_hops``: the per-origin search then answers (``nearest_to_any``)."""
        return None

    def around_many(self, schema: Schema, origin_label: str, types: Sequence[str],
                    max_hops: int, end_labels: Sequence[str], ends: str) -> str | None:
        """``shortest_search`` for many origins in ``$keys``, both ways, as the nodes next to
        them: a row per such node (``node``), the ``origins`` it is next to, whether it is an
        end (``is_end``) and the ``ends`` next to it — or None where this engine has no such
        form for ``max_hops``. ``shortest_distances_from`` puts the
        distances together (``_around``)."""
        return None

    def all_shortest(self, schema: Schema, origin_label: str, types: Sequence[str],
                     max_hops: int, end_labels: Sequence[str], ends: str) -> str | None:
        """Every shortest path from ``$key`` to each end (``ends`` as ``shortest_search``
        takes it), at most ``$cap`` of them: a row per path, its ``nodes`` (maps as
        ``_node_map`` makes them) and ``relations`` (type, ``outgoing`` from the nearer node,
        ratio, role, kind) — or None where this engine has no such form (``shortest_paths``)."""
        return None

    def index_hint(self, schema: Schema, var: str, name: str, prop: str) -> str:
        """`` USING INDEX`` for a variable of label or relationship type ``name`` on ``prop``
        where the engine takes hints and its planner would not pick the index itself (Neo4j
        scans the smaller end's label rather than seek a relationship index on ``>=``)."""
        return ""

    def relations(self, schema: Schema, label: str, types: Sequence[str], outgoing: bool,
                  many: bool = False, toward: Sequence[str] = (),
                  columns: Sequence[str] | None = None) -> str:
        """One subject's (``$key``) valid relations of ``types`` leaving it (``outgoing``) or
        ending at it; ``many``: of every subject in ``$keys`` (each row names its ``node``);
        ``toward``: only those whose far end is in ``$ends_<Label>`` for these labels;
        ``columns``: the far labels given a ``key_<Label>`` column (by default those these
        relations reach), the same for both directions when they are read as one query."""
        raise NotImplementedError

    def hop(self, schema: Schema, label: str, outgoing: bool, subjects: Sequence[str]) -> str:
        """One hop of the control and affiliation graph (CONTROL_RELATIONS) from the ``label``
        subjects in ``$keys``, in one direction: a row per valid relation with the near
        subject's ``key``, ``$from_label``, ``outgoing``, the relation's type, ratio, role and
        kind, and the far node's label, name, country and key in a column named after the key
        property of each of ``subjects``. Where a hop is not one query (``whole_hop``): the
        embedded engine pays for every UNION branch, type filter and coalesce() over node
        tables whatever the frontier, so it gets one small query per label and direction; the
        caller skips empty frontiers and filters relationship types itself."""
        arrow = ("-[r:{t}]->" if outgoing else "<-[r:{t}]-").format(
            t=_alternatives(schema, CONTROL_RELATIONS))
        key = _key(schema, label)
        far_keys = ", ".join(f"m.{_key(schema, far)} AS {_key(schema, far)}" for far in subjects)
        return (f"UNWIND $keys AS key MATCH (n:{quote_label(schema, label)} {{{key}: key}})"
                f"{arrow}(m) WHERE {valid_on('r')} "
                f"RETURN $from_label AS from_label, key, {'true' if outgoing else 'false'} "
                f"AS outgoing, label(r) AS type, label(m) AS label, {far_keys}, "
                f"m.name AS name, m.country AS country, r.ratio AS ratio, r.role AS role, "
                f"r.kind AS kind")

    def _toward(self, schema: Schema, toward: Sequence[str]) -> str:
        return f" AND ({self._end_filter(schema, toward, 'm', 'keys')})" if toward else ""

    # -- shared pieces -----------------------------------------------------------------------

    @staticmethod
    def _node_map(schema: Schema, var: str, labels: Sequence[str]) -> str:
        """A subject as a map: its label, ``key_<Label>`` for each of ``labels``, name and
        country."""
        keys = ", ".join(f"key_{label}: {var}.{_key(schema, label)}" for label in labels)
        country = f"{var}.country" if _has(schema, labels, "country") else "NULL"
        return f"{{label: labels({var})[0], {keys}, name: {var}.name, country: {country}}}"

    def _end_columns(self, schema: Schema, end_labels: Sequence[str], var: str) -> str:
        keys = ", ".join(f"{var}.{_key(schema, label)} AS key_{label}" for label in end_labels)
        country = (f"{var}.country" if _has(schema, end_labels, "country") else "NULL")
        return f"{keys}, {var}.name AS name, {country} AS country"

    @classmethod
    def _end_filter(cls, schema: Schema, end_labels: Sequence[str], var: str, ends: str) -> str:
        if "|" in ends:  # any of several tests
            return " OR ".join(f"({cls._end_filter(schema, end_labels, var, one)})"
                               for one in ends.split("|"))
        if ends == "every":
            return "true"
        if ends == "listed":
            return (f"EXISTS {{ MATCH (l:{quote_label(schema, 'ListEntry')})"
                    f"-[:{quote_rel_type(schema, 'LISTED')}]->({var}) "
                    f"WHERE l.list_kind = $list_kind AND {entry_in_force('l')} }}")
        if ends == "sanctioned":
            return (f"EXISTS {{ MATCH (x:{quote_label(schema, 'Sanction')})"
                    f"-[:{quote_rel_type(schema, 'APPLIES_TO')}]->({var}) "
                    f"WHERE x.kind = $sanction_kind AND {measure_in_force('x')} }}")
        return " OR ".join(f"{var}.{_key(schema, label)} IN $ends_{label}"
                           for label in end_labels)


ARROWS = {"both": ("-", "-"), "out": ("-", "->"), "in": ("<-", "-")}


class EmbeddedDialect(Dialect):
    def shortest_search(self, schema: Schema, origin_label: str, types: Sequence[str],
                        max_hops: int, end_labels: Sequence[str], direction: str,
                        ends: str, many: bool = False) -> str:
        left, right = ARROWS[direction]
        label, key = quote_label(schema, origin_label), _key(schema, origin_label)
        # many: ``IN $keys``, never ``UNWIND``: this engine would run the search per row
        # over whole tables (minutes for a thousand origins, against two seconds)
        start = (f"MATCH (s:{label}) WHERE s.{key} IN $keys MATCH p = (s)" if many
                 else f"MATCH p = (s:{label} {{{key}: $key}})")
        return (f"{start}"
                f"{left}[:{_alternatives(schema, types)}* SHORTEST 1..{_checked_hops(max_hops)} "
                f"(r, v | WHERE {valid_on('r')})]{right}(m) "
                f"WHERE {self._end_filter(schema, end_labels, 'm', ends)} "
                f"RETURN s.{key} AS origin, label(m) AS label, "
                f"{self._end_columns(schema, end_labels, 'm')}, length(p) AS hops")

    def relations(self, schema: Schema, label: str, types: Sequence[str], outgoing: bool,
                  many: bool = False, toward: Sequence[str] = (),
                  columns: Sequence[str] | None = None) -> str:
        arrow = ("-[r:{t}]->" if outgoing else "<-[r:{t}]-").format(
            t=_alternatives(schema, types))
        far = _far_labels(schema, label, types, outgoing) if columns is None else columns
        props = ", ".join(f"{'r.' + p if _has(schema, (), p, types) else 'NULL'} AS {p}"
                          for p in ("ratio", "role", "kind"))
        key = _key(schema, label)
        start = (f"MATCH (n:{quote_label(schema, label)}){arrow}(m) "
                 f"WHERE n.{key} IN $keys AND " if many else
                 f"MATCH (n:{quote_label(schema, label)} {{{key}: $key}}){arrow}(m) WHERE ")
        return (f"{start}{valid_on('r')}{self._toward(schema, toward)} "
                f"RETURN n.{key} AS node, label(r) AS type, label(m) AS label, "
                f"{self._end_columns(schema, far, 'm')}, {props}, "
                f"{'true' if outgoing else 'false'} AS outgoing")


class Neo4jDialect(Dialect):
    whole_hop = True
    anchored_frontier = 0  # one round trip for the whole hop is cheaper
    anchored_keys = 1  # IN and UNWIND use the key index: only a lone key goes alone
    pairs_from_one_end = False  # both ends seek their key index

    def near_any(self, schema: Schema, origin_labels: Sequence[str], end_labels: Sequence[str],
                 types: Sequence[str], max_hops: int) -> str | None:
        """Met in the middle: the origins' neighbours are gathered once (``near``); an end is
        1 hop away if it is one of them, 2 if one of its own relations reaches one. Walked
        from both sides, a hub next to many origins is read once, not once per origin (at a
        million enterprises, 2,500 origins: 0.3 s against 0.7 s). Farther than 2 hops the
        ends' side would be walked too far: the per-origin search."""
        if _checked_hops(max_hops) > 2:
            return None
        kinds = _alternatives(schema, types)

        def nodes(var: str, labels: Sequence[str], param: str) -> str:
            return " UNION ".join(
                f"UNWIND ${param}_{label} AS k MATCH ({var}:{quote_label(schema, label)} "
                f"{{{_key(schema, label)}: k}}) RETURN {var}" for label in labels)

        two = (f" WHEN EXISTS {{ MATCH (c)-[r2:{kinds}]-(x) WHERE {valid_on('r2')} "
               f"AND x IN near }} THEN 2" if max_hops == 2 else "")
        return (f"CALL {{ {nodes('s', origin_labels, 'origins')} }} "
                f"MATCH (s)-[r1:{kinds}]-(m) WHERE {valid_on('r1')} "
                f"WITH collect(DISTINCT m) AS near "
                f"CALL {{ {nodes('c', end_labels, 'ends')} }} "
                f"WITH c, CASE WHEN c IN near THEN 1{two} END AS hops WHERE hops IS NOT NULL "
                f"RETURN labels(c)[0] AS label, {self._end_columns(schema, end_labels, 'c')}, "
                f"hops")

    def around_many(self, schema: Schema, origin_label: str, types: Sequence[str],
                    max_hops: int, end_labels: Sequence[str], ends: str) -> str | None:
        """Met in the middle: each node next to an origin is read once with the origins it is
        next to, and its own relations and the end test of what they reach once — a hub next
        to fifty origins has its thousands of relations read and tested once, not fifty
        times (at a million enterprises, 560 watched firms: 0.2 s against 0.47 s for the
        per-origin shortest search). At 1 hop the shortest search is as cheap, and farther
        than 2 it is the one that does not read too far."""
        if _checked_hops(max_hops) != 2:
            return None
        kinds, key = _alternatives(schema, types), _key(schema, origin_label)
        touched = sorted(_labels_touched(schema, types))
        return (f"UNWIND $keys AS origin MATCH (s:{quote_label(schema, origin_label)} "
                f"{{{key}: origin}})-[r1:{kinds}]-(a) WHERE {valid_on('r1')} AND a <> s "
                f"WITH a, collect(DISTINCT origin) AS origins "
                f"CALL (a) {{ MATCH (a)-[r2:{kinds}]-(b) WHERE {valid_on('r2')} "
                f"AND ({self._end_filter(schema, end_labels, 'b', ends)}) "
                f"RETURN collect(DISTINCT {self._node_map(schema, 'b', end_labels)}) AS ends }} "
                f"RETURN {self._node_map(schema, 'a', touched)} AS node, origins, "
                f"({self._end_filter(schema, end_labels, 'a', ends)}) AS is_end, ends")

    def index_hint(self, schema: Schema, var: str, name: str, prop: str) -> str:
        quoted = (quote_label(schema, name) if name in schema.nodes
                  else quote_rel_type(schema, name))
        return f" USING INDEX {var}:{quoted}({quote_property(prop)})"

    def all_shortest(self, schema: Schema, origin_label: str, types: Sequence[str],
                     max_hops: int, end_labels: Sequence[str], ends: str) -> str | None:
        """One round trip for a subject's paths (at two million enterprises, 100 firms 3 hops
        out, by hand on a warm server: p95 11-16 ms for the whole answer, against 19-34 ms for
        the search and the walk back; docs/scaling.md)."""
        label, key = quote_label(schema, origin_label), _key(schema, origin_label)
        touched = sorted(_labels_touched(schema, types))
        return (f"MATCH p = ALL SHORTEST (s:{label} {{{key}: $key}})"
                f"(()-[r:{_alternatives(schema, types)} WHERE {valid_on('r')}]-())"
                f"{{1,{_checked_hops(max_hops)}}}(m) "
                f"WHERE m <> s AND ({self._end_filter(schema, end_labels, 'm', ends)}) "
                f"WITH p, r LIMIT $cap "
                f"RETURN [n IN nodes(p) | {self._node_map(schema, 'n', touched)}] AS nodes, "
                f"[i IN range(0, size(r) - 1) | {{type: type(r[i]), "
                f"outgoing: startNode(r[i]) = nodes(p)[i], ratio: r[i].ratio, "
                f"role: r[i].role, kind: r[i].kind}}] AS relations")

    def shortest_search(self, schema: Schema, origin_label: str, types: Sequence[str],
                        max_hops: int, end_labels: Sequence[str], direction: str,
                        ends: str, many: bool = False) -> str:
        left, right = ARROWS[direction]
        label, key = quote_label(schema, origin_label), _key(schema, origin_label)
        start = (f"UNWIND $keys AS origin MATCH (s:{label} {{{key}: origin}}) "
                 f"MATCH p = SHORTEST 1 (s)" if many
                 else f"MATCH p = SHORTEST 1 (s:{label} {{{key}: $key}})")
        return (f"{start}"
                f"((){left}[r:{_alternatives(schema, types)} WHERE {valid_on('r')}]{right}())"
                f"{{1,{_checked_hops(max_hops)}}}(m) "
                f"WHERE m <> s AND ({self._end_filter(schema, end_labels, 'm', ends)}) "
                f"RETURN s.{key} AS origin, labels(m)[0] AS label, "
                f"{self._end_columns(schema, end_labels, 'm')}, length(p) AS hops")

    def relations(self, schema: Schema, label: str, types: Sequence[str], outgoing: bool,
                  many: bool = False, toward: Sequence[str] = (),
                  columns: Sequence[str] | None = None) -> str:
        arrow = ("-[r:{t}]->" if outgoing else "<-[r:{t}]-").format(
            t=_alternatives(schema, types))
        far = _far_labels(schema, label, types, outgoing) if columns is None else columns
        key = _key(schema, label)
        start = (f"UNWIND $keys AS node MATCH (n:{quote_label(schema, label)} {{{key}: node}})"
                 if many else f"MATCH (n:{quote_label(schema, label)} {{{key}: $key}})")
        return (f"{start}{arrow}(m) WHERE {valid_on('r')}{self._toward(schema, toward)} "
                f"RETURN n.{key} AS node, type(r) AS type, labels(m)[0] AS label, "
                f"{self._end_columns(schema, far, 'm')}, r.ratio AS ratio, r.role AS role, "
                f"r.kind AS kind, {'true' if outgoing else 'false'} AS outgoing")


def shortest_distances(store: GraphStore, origin: tuple[str, str], types: Sequence[str],
                       max_hops: int, as_of: dt.date,
                       ends: Ends = None,
                       direction: str = "both") -> list[Found]:
    """Each of ``ends`` (label, key) — or every subject listed as ``ends`` (``Listed``) asks,
    or under a measure as ``ends`` (``Sanctioned``) asks, or either (``AnyOf``),
    or, with ``ends=None``, every subject — within ``max_hops`` valid relations of ``types``
    from ``origin``, with its distance; the origin itself is never among them. ``direction``
    ``in`` follows relations towards the origin only (its owners, their owners, ...). One
    query."""
    return shortest_distances_from(store, [origin], types, max_hops, as_of, ends,
                                   direction).get(origin, [])


BATCH = 1000  # origins a many-origin search asks for at once
SPLIT = 100  # the fewest a query asks for when a batch is split for reads side by side


def _end_test(schema: Schema, test: Listed | Sanctioned, params: dict[str, Any]
              ) -> tuple[str, set[str]]:
    """A ``Listed`` / ``Sanctioned`` test's mode (``Dialect.shortest_search``) and the labels
    it can hold for; its kind goes in ``params``."""
    if isinstance(test, Listed):
        if test.kind not in ("black", "red"):
            raise ValueError(f"list kind {test.kind!r}")
        params["list_kind"] = test.kind
        return "listed", {target for _, target in schema.relationship("LISTED").endpoints}
    if test.kind not in ("punishment", "withheld"):
        raise ValueError(f"measure kind {test.kind!r}")
    params["sanction_kind"] = test.kind
    return "sanctioned", {target for _, target in schema.relationship("APPLIES_TO").endpoints}


def _end_spec(schema: Schema, types: Sequence[str], ends: Ends, params: dict[str, Any]
              ) -> tuple[list[str], str]:
    """The labels a search's ``ends`` can be and its mode (``Dialect.shortest_search``); their
    parameters go in ``params``."""
    touched = _labels_touched(schema, types)
    if ends is None:
        return sorted(touched), "every"
    if isinstance(ends, Listed | Sanctioned | AnyOf):
        tests = ends.tests if isinstance(ends, AnyOf) else (ends,)
        if (not tests or not all(isinstance(test, Listed | Sanctioned) for test in tests)
                or len({type(test) for test in tests}) < len(tests)):
            raise ValueError(f"ends {ends!r}: one test of each kind, at least one")
        modes, testable = zip(*(_end_test(schema, test, params) for test in tests),
                              strict=True)
        return sorted(touched & set().union(*testable)), "|".join(modes)
    wanted: dict[str, set[str]] = {}
    for end_label, end_key in ends:
        schema.node(end_label)
        wanted.setdefault(end_label, set()).add(end_key)
    end_labels = sorted(set(wanted) & touched)
    params |= {f"ends_{end}": sorted(wanted[end]) for end in end_labels}
    return end_labels, "keys"


def shortest_distances_from(store: GraphStore, origins: Sequence[tuple[str, str]],
                            types: Sequence[str], max_hops: int, as_of: dt.date,
                            ends: Ends = None,
                            direction: str = "both") -> dict[tuple[str, str], list[Found]]:
    """``shortest_distances`` for many origins: one query per origin label and ``BATCH``
    origins, not one per origin. Origins that reach nothing are left out."""
    if direction not in ARROWS:
        raise ValueError(f"direction {direction!r}")
    schema = store.schema
    _check_dated(schema, types)
    params: dict[str, Any] = {"as_of": as_of}
    end_labels, mode = _end_spec(schema, types, ends, params)
    found: dict[tuple[str, str], list[Found]] = {}
    if not end_labels:
        return found
    leaving = {"both": (True, False), "out": (True,), "in": (False,)}[direction]
    statements: list[tuple[str, dict[str, Any]]] = []
    labels: list[tuple[str, bool]] = []  # each statement's origin label; met in the middle?
    many_keys = False  # a batch: worth reading side by side; anchored look-ups are not
    for label, keys in _keys_by_label(schema, origins).items():
        if not any(_types_from(schema, label, types, outgoing) for outgoing in leaving):
            continue  # no asked-for relation can touch such an origin from that side
        many = len(keys) > store.dialect.anchored_keys
        many_keys |= many
        met = (store.dialect.around_many(schema, label, types, max_hops, end_labels, mode)
               if many and direction == "both" else None)
        query = met or store.dialect.shortest_search(schema, label, types, max_hops,
                                                     end_labels, direction, mode, many)
        # met in the middle, a batch is not split: a hub next to origins of two chunks
        # would be read twice
        chunks = ([keys[i:i + BATCH] for i in range(0, len(keys), BATCH)] if met
                  else _chunks(store, keys, many))
        for chunk in chunks:
            statements.append((query, params | ({"keys": chunk} if many
                                                else {"key": chunk[0]})))
            labels.append((label, met is not None))
    for (label, around), rows in zip(labels, store.read_many(statements, side_by_side=many_keys),
                                     strict=True):
        if around:
            for origin, parties in _around(label, end_labels, rows).items():
                found.setdefault((label, origin), []).extend(parties)
            continue
        for row in rows:
            end_key = row[f"key_{row['label']}"]
            if (row["label"], end_key) == (label, row["origin"]):
                continue
            found.setdefault((label, row["origin"]), []).append(
                Found(row["label"], end_key, row["name"], row["country"], row["hops"]))
    return found


PATHS_CAP = 2000  # more shortest paths than this from one subject: walk back instead


def shortest_paths(store: GraphStore, origin: tuple[str, str], types: Sequence[str],
                   max_hops: int, as_of: dt.date, ends: Ends = None) -> list[Path] | None:
    """Every shortest path of valid relations of ``types`` from ``origin`` to each of
    ``ends`` (as ``shortest_distances`` takes them) within ``max_hops``, in one query — or
    None where the engine has no such form (``Dialect.all_shortest``) or a hub gives more
    than ``PATHS_CAP`` paths: the caller then finds the ends and walks their paths back
    (``shortest_distances``, ``relations_of_many``), a few queries a level."""
    schema = store.schema
    _check_dated(schema, types)
    label, key = origin
    schema.node(label)
    params: dict[str, Any] = {"as_of": as_of, "key": key, "cap": PATHS_CAP + 1}
    end_labels, mode = _end_spec(schema, types, ends, params)
    if not end_labels or not _types_from(schema, label, types, True) + _types_from(
            schema, label, types, False):
        return []
    query = store.dialect.all_shortest(schema, label, types, max_hops, end_labels, mode)
    if query is None:
        return None
    rows = store.read(query, params)
    if len(rows) > PATHS_CAP:
        return None
    paths = []
    for row in rows:
        nodes = tuple((n["label"], n[f"key_{n['label']}"], n["name"], n["country"])
                      for n in row["nodes"])
        relations = tuple(Relation(r["type"], *there, r["ratio"], r["role"], r["kind"],
                                   bool(r["outgoing"]))
                          for r, there in zip(row["relations"], nodes[1:], strict=True))
        paths.append(Path(nodes, relations))
    return paths


def _around(label: str, end_labels: Sequence[str], rows: Iterable[dict[str, Any]]
            ) -> dict[str, list[Found]]:
    """Origin key (of ``label``) -> the ends found, from the rows of ``around_many``: a node
    next to an origin is 1 hop from it; an end next to such a node, 2 — unless it is the
    origin or next to it itself."""
    rows = list(rows)
    beside: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows:
        node = row["node"]
        for origin in row["origins"]:
            beside[origin].add((node["label"], node[f"key_{node['label']}"]))
    found: dict[str, dict[tuple[str, str], Found]] = defaultdict(dict)
    for row in rows:
        node = row["node"]
        if row["is_end"] and node["label"] in end_labels:
            one = Found(node["label"], node[f"key_{node['label']}"], node["name"],
                        node["country"], 1)
            for origin in row["origins"]:
                found[origin][(one.label, one.key)] = one
        for end in row["ends"]:
            there = (end["label"], end[f"key_{end['label']}"])
            two = Found(*there, end["name"], end["country"], 2)
            for origin in row["origins"]:
                if there != (label, origin) and there not in beside[origin]:
                    found[origin].setdefault(there, two)
    return {origin: list(parties.values()) for origin, parties in found.items()}


def nearest_to_any(store: GraphStore, origins: Iterable[tuple[str, str]],
                   ends: Iterable[tuple[str, str]], types: Sequence[str], max_hops: int,
                   as_of: dt.date) -> dict[tuple[str, str], int]:
    """Each of ``ends`` within ``max_hops`` valid relations of ``types`` (either way) of any
    of ``origins``, with its least distance from them (an end that is an origin: 0). One
    question about the whole set where the engine has a set search (``Dialect.near_any``),
    else the least of the per-origin search."""
    schema = store.schema
    starts, wanted = dict.fromkeys(origins), set(ends)
    near = {end: 0 for end in wanted if end in starts}
    _check_dated(schema, types)
    if max_hops == 0 or not starts or not wanted:
        return near  # never a search without ends: the planner picks it badly
    _checked_hops(max_hops)
    touched = _labels_touched(schema, types)
    by_origin = {label: keys for label, keys in _keys_by_label(schema, starts).items()
                 if label in touched}
    by_end = {label: keys for label, keys in _keys_by_label(schema, wanted).items()
              if label in touched}
    if not by_origin or not by_end:
        return near
    query = store.dialect.near_any(schema, sorted(by_origin), sorted(by_end), types, max_hops)
    if query is None:
        found = shortest_distances_from(store, list(starts), types, max_hops, as_of,
                                        ends=sorted(wanted))
        reached = [(f.label, f.key, f.hops) for parties in found.values() for f in parties]
    else:
        reached = [(row["label"], row[f"key_{row['label']}"], row["hops"]) for row in store.read(
            query, {"as_of": as_of}
            | {f"origins_{label}": keys for label, keys in by_origin.items()}
            | {f"ends_{label}": keys for label, keys in by_end.items()})]
    for label, key, hops in reached:
        near[(label, key)] = min(near.get((label, key), hops), hops)
    return near


def _chunks(store: GraphStore, keys: list[str], many: bool) -> list[list[str]]:
    """The keys as the queries take them: one each (anchored), or ``BATCH`` a query — split
    further, down to ``SPLIT`` a query, so that a store answering reads side by side
    (``parallel_reads``) has a query for each of its threads."""
    if not many:
        return [[key] for key in keys]
    size = min(BATCH, max(SPLIT, -(-len(keys) // store.parallel_reads)))
    return [keys[start:start + size] for start in range(0, len(keys), size)]


def _keys_by_label(schema: Schema, nodes: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(label, key) pairs as label -> keys, each once, in the order given; labels checked."""
    by_label: dict[str, list[str]] = {}
    for label, key in dict.fromkeys(nodes):
        schema.node(label)
        by_label.setdefault(label, []).append(key)
    return by_label


def relations_of(store: GraphStore, node: tuple[str, str], types: Sequence[str],
                 as_of: dt.date, direction: str = "both") -> list[Relation]:
    """The relations of ``types`` of one subject valid on the date (``direction`` ``in``:
    those ending at it): one anchored query per direction (an index look-up, then its own
    relations only), both directions in one where the engine prefers (``relations_of_many``)."""
    return relations_of_many(store, [node], types, as_of, direction).get(node, [])


def relations_of_many(store: GraphStore, nodes: Iterable[tuple[str, str]],
                      types: Sequence[str], as_of: dt.date, direction: str = "both",
                      toward: Iterable[tuple[str, str]] | None = None
                      ) -> dict[tuple[str, str], list[Relation]]:
    """``relations_of`` for many subjects: one query per label, direction and ``BATCH``
    subjects (a few keys go one anchored query each, as the engine answers them faster); on
    an engine whose round trips cost more than its ``UNION`` branches (``whole_hop``), both
    directions of a label in one query where the keys go in one. ``toward``: only the
    relations to these nodes, filtered where they are read — a person with hundreds of firms
    sends back the one relation asked for, not all of them."""
    schema = store.schema
    _check_dated(schema, types)
    wanted = _keys_by_label(schema, toward) if toward is not None else None
    out: dict[tuple[str, str], list[Relation]] = {}
    statements: list[tuple[str, dict[str, Any]]] = []
    labels: list[str] = []
    many_keys = False  # a batch: worth reading side by side; anchored look-ups are not
    for label, keys in _keys_by_label(schema, nodes).items():
        for key in keys:
            out[(label, key)] = []
        many = len(keys) > store.dialect.anchored_keys
        many_keys |= many
        reads = []  # (outgoing, types, far labels filtered on) of each direction to read
        for outgoing in {"both": (True, False), "out": (True,), "in": (False,)}[direction]:
            chosen = _types_from(schema, label, types, outgoing)
            # only the far labels asked for, each with its keys to test
            ends = ([] if wanted is None else
                    [far for far in _far_labels(schema, label, chosen, outgoing) if far in wanted])
            if chosen and (wanted is None or ends):
                reads.append((outgoing, chosen, ends))
        chunks = _chunks(store, keys, many)
        # joined only where it saves a round trip: a batch split for reads side by side keeps
        # its directions apart, each chunk on a thread of its own
        joined = store.dialect.whole_hop and len(reads) > 1 and len(chunks) == 1
        columns = (sorted({far for outgoing, chosen, _ in reads
                           for far in _far_labels(schema, label, chosen, outgoing)})
                   if joined else None)
        queries = [(store.dialect.relations(schema, label, chosen, outgoing, many, toward=ends,
                                            columns=columns), ends)
                   for outgoing, chosen, ends in reads]
        if joined:  # one round trip: the branches share their parameters and columns
            queries = [("\nUNION ALL\n".join(query for query, _ in queries),
                        sorted({far for _, ends in queries for far in ends}))]
        for query, ends in queries:
            for chunk in chunks:
                asked = {"keys": chunk} if many else {"key": chunk[0]}
                far_keys = {f"ends_{far}": wanted[far] for far in ends} if wanted else {}
                statements.append((query, {**asked, "as_of": as_of, **far_keys}))
                labels.append(label)
    for label, rows in zip(labels, store.read_many(statements, side_by_side=many_keys),
                           strict=True):
        for row in rows:
            out[(label, row["node"])].append(Relation(
                row["type"], row["label"], row[f"key_{row['label']}"], row["name"],
                row["country"], row["ratio"], row["role"], row["kind"], bool(row["outgoing"])))
    return out
