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
from collections.abc import Iterable, Sequence

from graph.cypher import quote_label, quote_property, quote_rel_type
from graph.schema import Schema
from graph.store import GraphStore
from graph.traversal import shortest_distances_from

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
SEARCH_RATIO = 20  # search from the changed subjects when they are fewer than 20× the candidates


def changed_subjects(store: GraphStore, since: dt.datetime, as_of: dt.date,
                     day_from: dt.date | None = None, day_to: dt.date | None = None
                     ) -> set[tuple[str, str]]:
    """(label, key) of every subject and department touched since ``since``, or whose records
    turned by date between ``day_from`` (default: the day before ``since``) and ``day_to``
    (default: ``as_of``)."""
    params = {"since": since, "day_from": day_from or since.date() - dt.timedelta(days=1),
              "day_to": day_to or as_of}
    found: set[tuple[str, str]] = set()
    for query in _queries(store.schema):
        for row in store.read(query, params):
            for label, key in ((row["a_label"], row["a"]), (row["b_label"], row["b"])):
                if key is not None:
                    found.add((label, key))
    return found


def distances(store: GraphStore, changed: Iterable[tuple[str, str]],
              candidates: Iterable[tuple[str, str]], types: Sequence[str], reach: int,
              as_of: dt.date) -> dict[tuple[str, str], int] | None:
    """For the candidates within ``reach`` valid relations of ``types`` of a changed subject
    (or changed themselves), the least such distance; the others are left out. None when the
    changed subjects are many next to the candidates (a first load): asking every candidate
    then costs less than the search, and gives the same answer."""
    changed = {c for c in changed if c[0] in SUBJECT_LABELS}
    candidates = set(candidates)
    near = {c: 0 for c in candidates & changed}
    if not changed or reach < 1 or len(near) == len(candidates):
        return near
    if len(changed) >= SEARCH_RATIO * len(candidates):
        return None
    found = shortest_distances_from(store, sorted(changed), types, reach, as_of,
                                    ends=sorted(candidates))
    for parties in found.values():
        for party in parties:
            node = (party.label, party.key)
            near[node] = min(near.get(node, party.hops), party.hops)
    return near


def _queries(schema: Schema) -> list[str]:
    queries = []
    for label in SUBJECT_LABELS:
        key = quote_property(schema.node(label).key)
        queries.append(f"MATCH (s:{quote_label(schema, label)}) WHERE s.updated_at >= $since"
                       + _ends(label, f"s.{key}", label, f"s.{key}"))
        for day in OWN_DATES.get(label, ()):
            queries.append(f"MATCH (s:{quote_label(schema, label)}) WHERE "
                           f"{_between(f's.{quote_property(day)}')}"
                           + _ends(label, f"s.{key}", label, f"s.{key}"))
    for record, rel_type, dates, rel_dates in RECORDS:
        for _, target in schema.relationship(rel_type).endpoints:
            if target not in SUBJECT_LABELS:
                continue
            match = _match(schema, "x", record, rel_type, "s", target)
            key = f"s.{quote_property(schema.node(target).key)}"
            back = _ends(target, key, target, key)
            queries.append(f"{match} WHERE x.updated_at >= $since OR r.updated_at >= $since"
                           + back)
            turned = [_between(f"x.{quote_property(d)}") for d in dates]
            turned += [_between(f"r.{quote_property(d)}") for d in rel_dates]
            if turned:
                queries.append(f"{match} WHERE {' OR '.join(turned)}{back}")
    for record, rel_type in MADE:
        for source, _ in schema.relationship(rel_type).endpoints:
            match = _match(schema, "s", source, rel_type, "x", record)
            key = f"s.{quote_property(schema.node(source).key)}"
            queries.append(f"{match} WHERE x.updated_at >= $since OR r.updated_at >= $since"
                           + _ends(source, key, source, key))
    for rel_type in schema.relationship_types:
        if not schema.relationship(rel_type).temporal:
            continue
        for source, target in schema.relationship(rel_type).endpoints:
            match = _match(schema, "a", source, rel_type, "b", target)
            back = _ends(source, f"a.{quote_property(schema.node(source).key)}",
                         target, f"b.{quote_property(schema.node(target).key)}")
            queries.append(f"{match} WHERE r.updated_at >= $since{back}")
            queries.append(f"{match} WHERE {_between('r.start_date')} OR "
                           f"{_between('r.end_date')}{back}")
    return queries


def _match(schema: Schema, a: str, a_label: str, rel_type: str, b: str, b_label: str) -> str:
    return (f"MATCH ({a}:{quote_label(schema, a_label)})-[r:{quote_rel_type(schema, rel_type)}]->"
            f"({b}:{quote_label(schema, b_label)})")


def _between(prop: str) -> str:
    return f"({prop} >= $day_from AND {prop} <= $day_to)"


def _ends(a_label: str, a: str, b_label: str, b: str) -> str:
    """Labels come from the schema's whitelist (checked by quote_label in the MATCH)."""
    return f" RETURN '{a_label}' AS a_label, {a} AS a, '{b_label}' AS b_label, {b} AS b"
