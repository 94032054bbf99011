"""Reads about given subjects that a credit check, the API's subject answer and the credit
file share: the joint-punishment measures in force on them, and the major penalties in a
purpose's window.

Major penalties have two forms of one query: anchored on one enterprise's key (``$key``) and
batched over many (``$keys``). The engine decides which is cheaper (``Dialect.anchored_keys``):
the embedded engine looks a key up in its index but scans the whole ``PENALIZED`` relation for
a list (3.3 ms for one subject at 100k, 0.2 ms anchored); Neo4j uses its indexes for both and
takes the batch. The rule (in force on a date, inside a window) is written once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from graph.cypher import quote_label, quote_property, quote_rel_type
from graph.schema import Schema
from graph.store import GraphStore, Row
from queries.subjects import Subject

BATCH = 1000  # keys a batched read asks for at once

SANCTION_FIELDS = (
    "s.sanction_id AS sanction_id, s.kind AS kind, s.measure AS measure, "
    "s.departments AS departments, s.basis AS basis, s.rule AS rule, s.entry_id AS entry_id, "
    "s.list_type AS list_type, s.hops AS hops, s.weight AS weight, s.valid_from AS valid_from, "
    "s.valid_to AS valid_to, s.path AS path, s.path_types AS path_types, "
    "s.path_text AS path_text, s.as_of AS computed_for")
# basis: 国发〔2016〕33号 — a measure binds from its start until its end (none: until retracted)
SANCTION_IN_FORCE = "s.valid_from <= $as_of AND (s.valid_to IS NULL OR s.valid_to >= $as_of)"
# basis: 政府采购法 art. 22 — a major violation in the years before; "major" by category or fine
MAJOR_PENALTY = ("p.decision_date > $since AND p.decision_date <= $as_of "
                 "AND (p.category IN $categories OR p.fine_amount >= $min_fine)")
PENALTY_FIELDS = ("p.decision_no AS decision_no, p.decision_date AS decision_date, "
                  "p.category AS category, p.fine_amount AS fine_amount, "
                  "p.authority AS authority")


def _keyed(store: GraphStore, anchored: str, batched: str, keys: Sequence[str],
           params: Mapping[str, Any]) -> list[Row]:
    """The rows for ``keys``: one anchored read per key when there are few, else one batched
    read per ``BATCH``."""
    if len(keys) <= store.dialect.anchored_keys:
        return [row for key in keys for row in store.read(anchored, {**params, "key": key})]
    return [row for start in range(0, len(keys), BATCH)
            for row in store.read(batched, {**params, "keys": keys[start:start + BATCH]})]


def _sanctions_query(schema: Schema) -> str:
    return (f"MATCH (s:{quote_label(schema, 'Sanction')}) "
            f"WHERE s.subject_id IN $subject_ids AND {SANCTION_IN_FORCE} "
            f"RETURN s.subject_id AS subject_id, {SANCTION_FIELDS}")


def sanctions(store: GraphStore, subjects: Sequence[Subject], as_of: dt.date
              ) -> dict[str, list[dict]]:
    """Node id -> the measures in force on it (propagated Sanction nodes), each subject's in
    the order kind, measure, hops, entry. Always by ``subject_id`` (indexed on Neo4j), never
    through ``APPLIES_TO``: propagation writes that relationship after the nodes, so a reader
    between the two, or after a run that died there, would miss measures a batch finds."""
    by_subject: dict[str, list[dict]] = {s.node_id: [] for s in subjects}
    ids = sorted(by_subject)
    query = _sanctions_query(store.schema)
    for start in range(0, len(ids), BATCH):
        for row in store.read(query, {"subject_ids": ids[start:start + BATCH], "as_of": as_of}):
            by_subject[row.pop("subject_id")].append(row)
    for rows in by_subject.values():
        rows.sort(key=lambda r: (r["kind"] or "", r["measure"] or "", r["hops"] or 0,
                                 r["entry_id"] or ""))
    return by_subject


def _penalties_query(schema: Schema, anchored: bool) -> str:
    key = quote_property(schema.node("Enterprise").key)
    head = (f"MATCH (e:{quote_label(schema, 'Enterprise')} {{{key}: $key}})" if anchored else
            f"UNWIND $keys AS key MATCH (e:{quote_label(schema, 'Enterprise')} {{{key}: key}})")
    penalty = quote_label(schema, "Penalty")
    return (f"{head}<-[:{quote_rel_type(schema, 'PENALIZED')}]-(p:{penalty}) "
            f"WHERE {MAJOR_PENALTY} RETURN e.{key} AS key, {PENALTY_FIELDS}")


def major_penalties(store: GraphStore, keys: Sequence[str], since: dt.date, as_of: dt.date,
                    categories: Sequence[str], min_fine: float) -> dict[str, list[dict]]:
    """Enterprise key (USCC) -> its major penalties decided after ``since`` up to ``as_of``,
    oldest first."""
    by_key: dict[str, list[dict]] = {key: [] for key in keys}
    params = {"since": since, "as_of": as_of, "categories": list(categories),
              "min_fine": min_fine}
    wanted = sorted(by_key)
    for row in _keyed(store, _penalties_query(store.schema, True),
                      _penalties_query(store.schema, False), wanted, params):
        by_key[row["key"]].append(row)
    for rows in by_key.values():
        rows.sort(key=lambda r: (r["decision_date"], r["decision_no"] or ""))
    return by_key
