"""What changed since a time, for an incremental alert run: the subjects a write touched since
then (a list entry, penalty, license, award, measure or relation of theirs, or the subject
itself, or a commitment it made), and those whose state turned by the calendar (an entry,
relation or measure starting or ending, a repair taking effect) between that day and the run's.
Rules are then asked only about the subjects within their reach of these (alerts/evaluate.py);
any subject whose answer can have changed is among them:

a subject's answer changes only when something within the rule's reach of it changes; the first
changed thing along the old or the new path is reached from the subject over relations that did
not change, which are in the graph now — so a search from the changed subjects over today's
graph finds every subject whose answer moved.

Queries are generated from graph/schema.yaml (labels, types and properties from its whitelist
only); every value is a parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.schema import Schema
from creditgraph.graph.store import GraphStore
from creditgraph.graph.traversal import nearest_to_any
from creditgraph.queries.audits import publication_outcome

SUBJECT_LABELS = ("Enterprise", "Person", "OverseasEntity")
# record -[type]-> subject: records whose writing or dates change what a rule sees of a subject
RECORDS = (("ListEntry", "LISTED", ("start_date", "end_date", "status_date", "repaired_on"), ()),
           ("Penalty", "PENALIZED", ("decision_date",), ("repaired_on",)),
           ("License", "LICENSED", ("decision_date",), ()),
           ("ProcurementProject", "AWARDED_TO", ("project_date",), ()),
           ("Sanction", "APPLIES_TO", ("valid_from", "valid_to"), ()),
           ("Watch", "WATCHES", (), ()))  # a subject watched anew, or for other rules
# subject -[type]-> record
MADE = (("Commitment", "COMMITTED"),)
# a subject's own dates a rule reads (a firm founded: the phoenix-firm rule)
OWN_DATES = {"Enterprise": ("established",)}
# decisions (七天双公示): a decision's outcome turns at most this long after it is decided
# (8 working days; the longest holidays and weekends included) or on the day it is published
DECISIONS = ("Penalty", "License")
DUE_SPAN = dt.timedelta(days=45)
SEARCH_RATIO = 20  # search from the changed subjects when they are fewer than 20× the candidates


ANY = "*"  # a change of no known kind: every rule reads it
# what changed, by kind (the ``source`` of a change): ``subject`` (the subject node itself, or
# its own dates), a record label of RECORDS / MADE (``ListEntry``, ``Penalty``, ``Sanction``,
# ...), ``relation`` (a dated relation between subjects, or a post), ``Department`` (a
# decision to publish, by its department) — each alert rule reads some of them only
SOURCES = ("subject", "relation", "Department",
           *(record for record, *_ in RECORDS), *(record for record, _ in MADE))


@dataclass(frozen=True)
class Changes:
    """The subjects changed since a time, by what changed of them (``SOURCES``; ``ANY``: a
    change of any kind). A rule is asked about what changed in what it reads: a new black
    entry changes nothing a civil servant's finding reads."""

    by_source: Mapping[str, frozenset[tuple[str, str]]]

    @classmethod
    def of_any(cls, subjects: Iterable[tuple[str, str]]) -> Changes:
        """Subjects changed in ways not told apart: every rule reads them."""
        return cls({ANY: frozenset(subjects)})

    def subjects(self, sources: Iterable[str] | None = None) -> set[tuple[str, str]]:
        """The subjects changed in any of ``sources`` (None: in anything)."""
        wanted = None if sources is None else {*sources, ANY}
        return {subject for source, changed in self.by_source.items()
                if wanted is None or source in wanted for subject in changed}

    def adding(self, source: str, subjects: Iterable[tuple[str, str]]) -> Changes:
        """These changes and ``subjects`` changed in ``source``."""
        merged = dict(self.by_source)
        merged[source] = merged.get(source, frozenset()) | frozenset(subjects)
        return Changes(merged)

    def __len__(self) -> int:
        return len(self.subjects())


def changed_subjects(store: GraphStore, since: dt.datetime, as_of: dt.date,
                     previous_days: Sequence[dt.date]) -> set[tuple[str, str]]:
    """Every subject ``changes_since`` finds, whatever changed of it."""
    return changes_since(store, since, as_of, previous_days).subjects()


def changes_since(store: GraphStore, since: dt.datetime, as_of: dt.date,
                  previous_days: Sequence[dt.date]) -> Changes:
    """(label, key) of every subject touched since ``since``, or whose records turned by date
    between the days the previous runs were evaluated on (``previous_days``: the last complete
    run's, and those of runs of some rules since) and ``as_of``; and ("Department", key) of
    every department (as the late-publication rule keys it) with a decision written since, or
    whose 七天双公示 outcome differs between the earliest and the latest of those days — each
    by what changed (``SOURCES``).

    What was written is found by indexed ``updated_at`` (graph/schema.yaml), one query per
    property tested, so that cost follows what changed, not the size of the graph. What turned
    by date is read only when the day moved (a daily run): those dates are left without
    indexes on purpose (graph/schema.yaml's header says why)."""
    day_from, day_to = min(*previous_days, as_of), max(*previous_days, as_of)
    params = {"since": since, "day_from": day_from, "day_to": day_to,
              "due_from": day_from - DUE_SPAN}
    dated = day_from != day_to
    found: dict[str, set[tuple[str, str]]] = {}
    subjects = _queries(store, dated)
    decisions = _decision_queries(store, dated)
    answers = store.read_many([(query, params) for _, query in subjects]
                              + [(query, params) for query, _ in decisions])
    for (source, _), rows in zip(subjects, answers[:len(subjects)], strict=True):
        for row in rows:
            for label, key in ((row["a_label"], row["a"]), (row["b_label"], row["b"])):
                if key is not None:
                    found.setdefault(source, set()).add((label, key))
    departments = found.setdefault("Department", set())
    for (_, turned), rows in zip(decisions, answers[len(subjects):], strict=True):
        for row in rows:
            if turned and (publication_outcome(row["decided"], row["published"], day_from)
                          == publication_outcome(row["decided"], row["published"], day_to)):
                continue  # the outcome is monotone in the day: unchanged at both ends, unchanged
            departments.add(("Department", department_key(row["code"], row["authority"])))
            if not turned:  # it may have been keyed by its name before it was linked
                departments.add(("Department", department_key(None, row["authority"])))
    return Changes({source: frozenset(changed) for source, changed in found.items()
                    if changed})


def department_key(code: str | None, authority: str | None) -> str:
    """How the late-publication rule names a deciding department: its code when the decision
    is linked to it (ISSUED_BY), else its name as the decision gives it."""
    return code or f"name:{authority}"


def distances(store: GraphStore, changed: Iterable[tuple[str, str]],
              candidates: Iterable[tuple[str, str]], types: Sequence[str], reach: int,
              as_of: dt.date) -> dict[tuple[str, str], int] | None:
    """The candidates within ``reach`` valid relations of ``types`` of any changed subject
    (one changed itself: 0), with their least distance from them. None when the changed
    subjects are many next to the candidates (a first load): asking every candidate then
    costs less than the search, and gives the same answer."""
    changed = {c for c in changed if c[0] in SUBJECT_LABELS}
    candidates = set(candidates)
    if reach and candidates and len(changed) >= SEARCH_RATIO * len(candidates):
        return None
    return nearest_to_any(store, changed, candidates, types, reach, as_of)


def _queries(store: GraphStore, dated: bool) -> list[tuple[str, str]]:
    """(source, query): one query per property tested (an OR across properties would scan),
    each written since through its index; the dates only when ``dated``."""
    schema, hint = store.schema, store.dialect.index_hint
    written = "updated_at >= $since"
    queries = []
    for label in SUBJECT_LABELS:
        node = quote_label(schema, label)
        key = f"s.{quote_property(schema.node(label).key)}"
        back = _ends(label, key, label, key)
        queries.append(("subject", f"MATCH (s:{node}){hint(schema, 's', label, 'updated_at')} "
                                   f"WHERE s.{written}{back}"))
        queries += [("subject", f"MATCH (s:{node}) WHERE "
                                f"{_between(f's.{quote_property(day)}')}{back}")
                    for day in OWN_DATES.get(label, ()) if dated]
    for record, rel_type, dates, rel_dates in RECORDS:
        for _, target in schema.relationship(rel_type).endpoints:
            if target not in SUBJECT_LABELS:
                continue
            match = _match(schema, "x", record, rel_type, "s", target)
            key = f"s.{quote_property(schema.node(target).key)}"
            back = _ends(target, key, target, key)
            queries += [(record, query)
                        for query in _written(store, match, record, rel_type, back)]
            if dated:
                queries += [(record, f"{match} WHERE {_between(f'x.{quote_property(d)}')}{back}")
                            for d in dates]
                queries += [(record, f"{match} WHERE {_between(f'r.{quote_property(d)}')}{back}")
                            for d in rel_dates]
    for record, rel_type in MADE:
        for source, _ in schema.relationship(rel_type).endpoints:
            match = _match(schema, "s", source, rel_type, "x", record)
            key = f"s.{quote_property(schema.node(source).key)}"
            queries += [(record, query) for query in _written(
                store, match, record, rel_type, _ends(source, key, source, key))]
    for rel_type in schema.relationship_types:
        if not schema.relationship(rel_type).temporal:
            continue
        for source, target in schema.relationship(rel_type).endpoints:
            match = _match(schema, "a", source, rel_type, "b", target)
            back = _ends(source, f"a.{quote_property(schema.node(source).key)}",
                         target, f"b.{quote_property(schema.node(target).key)}")
            queries.append(("relation", f"{match}{hint(schema, 'r', rel_type, 'updated_at')} "
                                        f"WHERE r.{written}{back}"))
            if dated:
                queries += [("relation", f"{match} WHERE {_between(f'r.{day}')}{back}")
                            for day in ("start_date", "end_date")]
    return queries


def _written(store: GraphStore, match: str, record: str, rel_type: str, back: str
             ) -> list[str]:
    """A record ``x`` or its link ``r`` written since, each through its own index."""
    hint = store.dialect.index_hint
    return [f"{match}{hint(store.schema, var, name, 'updated_at')} "
            f"WHERE {var}.updated_at >= $since{back}"
            for var, name in (("x", record), ("r", rel_type))]


def _decision_queries(store: GraphStore, dated: bool) -> list[tuple[str, bool]]:
    """Licenses and penalties written since (or linked anew to a department), and those whose
    publication outcome may have turned between the two days (decided in or shortly before
    the window, or published in it): (query, whether the outcome must be compared)."""
    schema, hint = store.schema, store.dialect.index_hint
    department = quote_label(schema, "Department")
    issued = quote_rel_type(schema, "ISSUED_BY")
    queries = []
    for label in DECISIONS:
        node = quote_label(schema, label)
        back = (f" OPTIONAL MATCH (d)-[:{issued}]->(a:{department}) "
                "RETURN a.code AS code, d.authority AS authority, "
                "d.decision_date AS decided, d.publish_date AS published")
        queries.append((f"MATCH (d:{node}){hint(schema, 'd', label, 'updated_at')} "
                        f"WHERE d.updated_at >= $since{back}", False))
        queries.append((f"MATCH (d:{node})-[r:{issued}]->(:{department})"
                        f"{hint(schema, 'r', 'ISSUED_BY', 'updated_at')} "
                        f"WHERE r.updated_at >= $since WITH DISTINCT d{back}", False))
        if dated:
            queries.append((f"MATCH (d:{node}) WHERE d.decision_date >= $due_from "
                            f"AND d.decision_date <= $day_to{back}", True))
            queries.append((f"MATCH (d:{node}) WHERE {_between('d.publish_date')}{back}",
                            True))
    return queries


def _match(schema: Schema, a: str, a_label: str, rel_type: str, b: str, b_label: str) -> str:
    return (f"MATCH ({a}:{quote_label(schema, a_label)})-[r:{quote_rel_type(schema, rel_type)}]->"
            f"({b}:{quote_label(schema, b_label)})")


def _between(prop: str) -> str:
    return f"({prop} >= $day_from AND {prop} <= $day_to)"


def _ends(a_label: str, a: str, b_label: str, b: str) -> str:
    """Labels come from the schema's whitelist (checked by quote_label in the MATCH)."""
    return f" RETURN '{a_label}' AS a_label, {a} AS a, '{b_label}' AS b_label, {b} AS b"
