"""Reads about given subjects that a credit check, the API's subject answer and the credit
file share: the joint-punishment measures in force on them, and the major penalties in a
purpose's window.

Measures are read by ``subject_id`` (``sanctions-of-subjects.cypher``, indexed on Neo4j), never
through ``APPLIES_TO``: propagation writes that relationship after the Sanction nodes, so a
reader between the two, or after a run that died there, would miss measures.

Major penalties have two forms of one query: anchored on one enterprise's key (``$key``) and
batched over many (``$keys``). The engine decides which is cheaper (``Dialect.anchored_keys``):
the embedded engine looks a key up in its index but scans the whole ``PENALIZED`` relation for
a list (3.3 ms for one subject at 100k, 0.2 ms anchored); Neo4j uses its indexes for both and
takes the batch. The rule (a major penalty inside the window) is written once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.schema import Schema
from creditgraph.graph.store import GraphStore, Row
from creditgraph.queries.library import run
from creditgraph.queries.subjects import Subject

BATCH = 1000  # keys a batched read asks for at once

# basis: 政府采购法 art. 22 — a major violation in the years before; "major" by category or fine
MAJOR_PENALTY = ("p.decision_date > $since AND p.decision_date <= $as_of "
                 "AND (p.category IN $categories OR p.fine_amount >= $min_fine)")


def sanctions(store: GraphStore, subjects: Sequence[Subject], as_of: dt.date
              ) -> dict[str, list[Row]]:
    """Node id -> the measures in force on it (propagated Sanction nodes), each subject's in
    the order kind, measure, hops, entry."""
    by_subject: dict[str, list[Row]] = {s.node_id: [] for s in subjects}
    ids = sorted(by_subject)
    for start in range(0, len(ids), BATCH):
        for row in run(store, "sanctions-of-subjects", subject_ids=ids[start:start + BATCH],
                       as_of=as_of):
            by_subject[row.pop("subject_id")].append(row)
    return by_subject


def _penalties_query(schema: Schema, anchored: bool) -> str:
    key = quote_property(schema.node("Enterprise").key)
    enterprise = quote_label(schema, "Enterprise")
    head = (f"MATCH (e:{enterprise} {{{key}: $key}})" if anchored else
            f"UNWIND $keys AS key MATCH (e:{enterprise} {{{key}: key}})")
    return (f"{head}<-[:{quote_rel_type(schema, 'PENALIZED')}]-"
            f"(p:{quote_label(schema, 'Penalty')}) WHERE {MAJOR_PENALTY} "
            f"RETURN e.{key} AS key, p.decision_no AS decision_no, "
            "p.decision_date AS decision_date, p.category AS category, "
            "p.fine_amount AS fine_amount, p.authority AS authority "
            "ORDER BY key, decision_date, decision_no")


def major_penalties(store: GraphStore, keys: Sequence[str], since: dt.date, as_of: dt.date,
                    categories: Sequence[str], min_fine: float) -> dict[str, list[Row]]:
    """Enterprise key (USCC) -> its major penalties decided after ``since`` up to ``as_of``,
    oldest first."""
    by_key: dict[str, list[Row]] = {key: [] for key in keys}
    wanted = sorted(by_key)
    params = {"since": since, "as_of": as_of, "categories": list(categories),
              "min_fine": min_fine}
    if len(wanted) <= store.dialect.anchored_keys:
        query = _penalties_query(store.schema, anchored=True)
        rows = [row for key in wanted for row in store.read(query, {**params, "key": key})]
    else:
        query = _penalties_query(store.schema, anchored=False)
        rows = [row for start in range(0, len(wanted), BATCH)
                for row in store.read(query, {**params, "keys": wanted[start:start + BATCH]})]
    for row in rows:
        by_key[row["key"]].append(row)
    return by_key


def _decided_query(schema: Schema, label: str, anchored: bool) -> str:
    key = quote_property(schema.node(label).key)
    subject = quote_label(schema, label)
    head = (f"MATCH (s:{subject} {{{key}: $key}})" if anchored else
            f"MATCH (s:{subject})")
    where = "" if anchored else f"s.{key} IN $keys AND "
    return (f"{head}<-[:{quote_rel_type(schema, 'PENALIZED')}]-"
            f"(p:{quote_label(schema, 'Penalty')}) WHERE {where}p.decision_date <= $as_of "
            f"RETURN s.{key} AS key, p.decision_no AS decision_no, "
            "p.decision_date AS decision_date, p.authority AS authority "
            "ORDER BY key, decision_date, decision_no")


def penalties(store: GraphStore, subjects: Sequence[Subject], as_of: dt.date
              ) -> dict[str, list[Row]]:
    """Node id -> every penalty decided against it up to ``as_of`` (enterprises and persons;
    what the credit file lists), oldest first: one anchored read per subject or one per
    thousand, as the engine prefers (``Dialect.anchored_keys``)."""
    by_subject: dict[str, list[Row]] = {s.node_id: [] for s in subjects}
    for label in ("Enterprise", "Person"):
        keys = sorted({s.key for s in subjects if s.label == label})
        if len(keys) <= store.dialect.anchored_keys:
            query = _decided_query(store.schema, label, anchored=True)
            rows = [row for key in keys for row in store.read(query, {"as_of": as_of,
                                                                      "key": key})]
        else:
            query = _decided_query(store.schema, label, anchored=False)
            rows = [row for start in range(0, len(keys), BATCH) for row in store.read(
                query, {"as_of": as_of, "keys": keys[start:start + BATCH]})]
        for row in rows:
            by_subject[f"{label}:{row['key']}"].append(row)
    return by_subject

