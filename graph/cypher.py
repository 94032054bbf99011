"""Cypher text built from the schema's whitelist. Values are never placed in text: every value is
a ``$parameter``; labels, relationship types and property names come only from ``Schema`` and are
checked against strict patterns before they are quoted.

The text produced here runs unchanged on Neo4j 5 and on the embedded LadybugDB engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from creditgraph.graph.errors import SchemaError
from creditgraph.graph.schema import LABEL_PATTERN, PROPERTY_PATTERN, REL_TYPE_PATTERN, Schema


def quote_label(schema: Schema, label: str) -> str:
    schema.node(label)
    return _quote(label, LABEL_PATTERN)


def quote_rel_type(schema: Schema, rel_type: str) -> str:
    schema.relationship(rel_type)
    return _quote(rel_type, REL_TYPE_PATTERN)


def quote_property(name: str) -> str:
    """Quote a property name that the caller has already taken from the schema."""
    return _quote(name, PROPERTY_PATTERN)


def _quote(name: str, pattern: re.Pattern[str]) -> str:
    return f"`{_checked_name(name, pattern)}`"


def _checked_name(name: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(name, str) or not pattern.match(name):
        raise SchemaError(f"name {name!r} may not appear in a query")
    return name


def _quote_properties(allowed: Iterable[str], names: Iterable[str], owner: str) -> list[str]:
    allowed = set(allowed)
    quoted = []
    for name in names:
        if name not in allowed:
            raise SchemaError(f"{owner} has no property {name!r}")
        quoted.append(quote_property(name))
    return quoted


def shared_parameter(name: str) -> str:
    """Parameter carrying a value every row of a batch shares (sent once, not once a row)."""
    quote_property(name)
    return f"shared_{name}"


def _value(name: str, shared: Iterable[str]) -> str:
    return f"${shared_parameter(name)}" if name in shared else f"row.{quote_property(name)}"


def _sets(var: str, names: Iterable[str], shared: Iterable[str],
          authoritative: Iterable[str] = ()) -> str:
    """SET clauses: a null keeps the stored value, except for ``authoritative`` properties,
    whose null clears it (the source withdrew the value)."""
    shared, authoritative = set(shared), set(authoritative)
    return ", ".join(
        f"{var}.{quote_property(n)} = {_value(n, shared)}" if n in authoritative else
        f"{var}.{quote_property(n)} = coalesce({_value(n, shared)}, {var}.{quote_property(n)})"
        for n in names
    )


def merge_nodes(schema: Schema, label: str, properties: Iterable[str],
                shared: Iterable[str] = ()) -> str:
    """``UNWIND $rows`` upsert of nodes by key. A null in a row leaves the stored value as it is."""
    node = schema.node(label)
    key = quote_property(node.key)
    props = [p for p in properties if p != node.key]
    _quote_properties(node.properties, props, label)
    lines = [
        "UNWIND $rows AS row",
        f"MERGE (n:{quote_label(schema, label)} {{{key}: row.{key}}})",
    ]
    if props:
        lines.append("SET " + _sets("n", props, shared))
    return "\n".join(lines)


def merge_relationships(
    schema: Schema, rel_type: str, source_label: str, target_label: str,
    properties: Iterable[str], shared: Iterable[str] = (), cleared: Iterable[str] = (),
    authoritative: Iterable[str] = (),
) -> str:
    """``UNWIND $rows`` upsert of relationships between existing nodes, matched by their keys
    (``row.src_key`` / ``row.dst_key``) and the type's identity properties (a temporal
    relationship's ``period``, always in every row). Rows whose endpoints do not exist write
    nothing; the query returns how many rows did (``merged``). ``authoritative`` properties
    take the row's value even when null; ``cleared`` ones, null in every row, are set to null
    (a literal: the embedded engine cannot type an all-null parameter column)."""
    rel = schema.endpoint(rel_type, source_label, target_label)
    src_key = quote_property(schema.node(source_label).key)
    dst_key = quote_property(schema.node(target_label).key)
    identity = list(rel.identity)
    properties = [p for p in properties if p not in identity]
    cleared = [p for p in cleared if p not in properties and p not in identity]
    _quote_properties(rel.properties, [*properties, *cleared, *identity], rel_type)
    pattern = ", ".join(f"{quote_property(p)}: row.{quote_property(p)}" for p in identity)
    lines = [
        "UNWIND $rows AS row",
        f"MATCH (a:{quote_label(schema, source_label)} {{{src_key}: row.src_key}})",
        f"MATCH (b:{quote_label(schema, target_label)} {{{dst_key}: row.dst_key}})",
        f"MERGE (a)-[r:{quote_rel_type(schema, rel_type)}"
        + (f" {{{pattern}}}" if pattern else "") + "]->(b)",
    ]
    sets = [_sets("r", properties, shared, authoritative)] if properties else []
    sets += [f"r.{quote_property(p)} = NULL" for p in cleared]
    if sets:
        lines.append("SET " + ", ".join(sets))
    # A count, not a row per input: streaming 5,000 result rows back costs Neo4j more than the
    # writes. The rare shortfall is explained by missing_endpoints().
    lines.append("RETURN count(*) AS merged")
    return "\n".join(lines)


def missing_endpoints(schema: Schema, source_label: str, target_label: str) -> str:
    """Rows of ``$rows`` whose source or target node does not exist."""
    src_key = quote_property(schema.node(source_label).key)
    dst_key = quote_property(schema.node(target_label).key)
    return (
        "UNWIND $rows AS row\n"
        f"OPTIONAL MATCH (a:{quote_label(schema, source_label)} {{{src_key}: row.src_key}})\n"
        f"OPTIONAL MATCH (b:{quote_label(schema, target_label)} {{{dst_key}: row.dst_key}})\n"
        "WITH row, a, b WHERE a IS NULL OR b IS NULL\n"
        "RETURN row.src_key AS src_key, row.dst_key AS dst_key"
    )


def count_nodes(schema: Schema, labels: Sequence[str]) -> tuple[str, dict[str, str]]:
    """One question for the node count of every label in ``labels``: a query each cost the
    loader's set-up 45 round trips (each name a parameter, ``name``/``count`` rows; counted
    before the name is added, or an empty label, grouped by its name, would give no row)."""
    return _counts([f"MATCH (n:{quote_label(schema, label)}) WITH count(n) AS count "
                    f"RETURN $n{i} AS name, count" for i, label in enumerate(labels)], labels)


def count_relationships(schema: Schema, rel_types: Sequence[str]) -> tuple[str, dict[str, str]]:
    return _counts([f"MATCH ()-[r:{quote_rel_type(schema, rel)}]->() WITH count(r) AS count "
                    f"RETURN $n{i} AS name, count" for i, rel in enumerate(rel_types)], rel_types)


def _counts(branches: list[str], names: Sequence[str]) -> tuple[str, dict[str, str]]:
    return "\nUNION ALL\n".join(branches), {f"n{i}": name for i, name in enumerate(names)}


def delete_label(schema: Schema, label: str) -> str:
    return f"MATCH (n:{quote_label(schema, label)}) DETACH DELETE n"


def lookup(schema: Schema, label: str, prop: str) -> str:
    """Nodes whose ``prop`` is one of ``$values``: returns the matched value, key and name.
    ``UNWIND`` + a property match uses the key or index on both backends, where ``IN $values``
    makes the embedded engine scan the table."""
    node = schema.node(label)
    quoted = _quote_properties(node.properties, [prop], label)[0]
    key = quote_property(node.key)
    name = "n.`name`" if "name" in node.properties else "NULL"
    resolved = "n.`resolved_to`" if "resolved_to" in node.properties else "NULL"
    return (
        f"UNWIND $values AS value MATCH (n:{quote_label(schema, label)} {{{quoted}: value}}) "
        f"RETURN value, n.{key} AS key, {name} AS name, {resolved} AS resolved_to"
    )


def copy_nodes(schema: Schema, label: str) -> str:
    """The embedded engine's bulk path: ``COPY`` a table of new nodes (``$rows``, one column per
    property of the label, in schema order) into an empty store."""
    node = schema.node(label)
    columns = ", ".join(quote_property(p) for p in node.properties)
    return f"COPY {quote_label(schema, label)}({columns}) FROM $rows"


def copy_relationships(schema: Schema, rel_type: str, source_label: str,
                       target_label: str) -> str:
    """The embedded engine's bulk path for relationships: ``$rows`` has the source and target
    keys first, then one column per property of the type, in schema order."""
    rel = schema.endpoint(rel_type, source_label, target_label)
    columns = ", ".join(quote_property(p) for p in rel.properties)
    source, target = (_checked_name(label, LABEL_PATTERN) for label in (source_label,
                                                                        target_label))
    return (f"COPY {quote_rel_type(schema, rel_type)}({columns}) FROM $rows "
            f"(from='{source}', to='{target}')")


def create_nodes(schema: Schema, label: str, properties: Iterable[str],
                 shared: Iterable[str] = ()) -> str:
    """``UNWIND $rows`` insert of nodes known not to exist yet (the caller checked)."""
    node = schema.node(label)
    properties = list(properties)
    _quote_properties(node.properties, properties, label)
    shared = set(shared)
    fields = ", ".join(f"{quote_property(p)}: {_value(p, shared)}" for p in properties)
    return f"UNWIND $rows AS row CREATE (n:{quote_label(schema, label)} {{{fields}}})"


def update_nodes(schema: Schema, label: str, properties: Iterable[str],
                 shared: Iterable[str] = ()) -> str:
    """``UNWIND $rows`` update of existing nodes by key; a null leaves the value unchanged."""
    node = schema.node(label)
    key = quote_property(node.key)
    props = [p for p in properties if p != node.key]
    _quote_properties(node.properties, props, label)
    text = f"UNWIND $rows AS row MATCH (n:{quote_label(schema, label)} {{{key}: row.{key}}})"
    if props:
        text += " SET " + _sets("n", props, shared)
    return text


def relationships_between(schema: Schema, rel_type: str, source_label: str, target_label: str,
                          properties: Sequence[str], anchor: str = "pairs") -> str:
    """The stored ``rel_type`` relationships of each of ``$pairs`` (``src_key`` / ``dst_key``),
    with ``properties``; or, ``anchor`` ``source`` / ``target``, every one of the nodes keyed
    ``$keys`` on that end (the caller keeps the pairs it asked for: an engine that seeks one
    keyed node fast may join two badly)."""
    rel = schema.endpoint(rel_type, source_label, target_label)
    _quote_properties(rel.properties, list(properties), rel_type)
    columns = "".join(f", r.{quote_property(p)} AS {quote_property(p)}" for p in properties)
    src_key = quote_property(schema.node(source_label).key)
    dst_key = quote_property(schema.node(target_label).key)
    if anchor == "pairs":
        return ("UNWIND $pairs AS p\n"
                + _pair_match(schema, rel_type, source_label, target_label, "p", "r") + "\n"
                f"RETURN p.src_key AS src_key, p.dst_key AS dst_key{columns}")
    if anchor not in ("source", "target"):
        raise ValueError(f"anchor {anchor!r}: pairs, source or target")
    a_key = f" {{{src_key}: k}}" if anchor == "source" else ""
    b_key = f" {{{dst_key}: k}}" if anchor == "target" else ""
    return (f"UNWIND $keys AS k\n"
            f"MATCH (a:{quote_label(schema, source_label)}{a_key})"
            f"-[r:{quote_rel_type(schema, rel_type)}]->"
            f"(b:{quote_label(schema, target_label)}{b_key})\n"
            f"RETURN a.{src_key} AS src_key, b.{dst_key} AS dst_key{columns}")


def _pair_match(schema: Schema, rel_type: str, source_label: str, target_label: str,
                row: str, rel: str = "", rel_props: str = "") -> str:
    """``MATCH (a)-[rel:TYPE rel_props]->(b)`` between the nodes keyed ``row.src_key`` and
    ``row.dst_key``."""
    schema.endpoint(rel_type, source_label, target_label)
    src_key = quote_property(schema.node(source_label).key)
    dst_key = quote_property(schema.node(target_label).key)
    return (f"MATCH (a:{quote_label(schema, source_label)} {{{src_key}: {row}.src_key}})"
            f"-[{rel}:{quote_rel_type(schema, rel_type)}{rel_props}]->"
            f"(b:{quote_label(schema, target_label)} {{{dst_key}: {row}.dst_key}})")


def end_unconfirmed(schema: Schema, rel_type: str) -> str:
    """Close the open relationships of one source that the current load did not confirm."""
    return (
        f"MATCH ()-[r:{quote_rel_type(schema, rel_type)}]->()\n"
        "WHERE r.`source` = $source AND r.`end_date` IS NULL AND r.`load_id` <> $load_id\n"
        "SET r.`end_date` = $end_date, r.`ended_by` = 'load', r.`updated_at` = $now\n"
        "RETURN count(r) AS ended"
    )


def reopen_confirmed(schema: Schema, rel_type: str) -> str:
    """Reopen relationships an earlier load had closed because they were missing, now that the
    current load lists them again."""
    return (
        f"MATCH ()-[r:{quote_rel_type(schema, rel_type)}]->()\n"
        "WHERE r.`load_id` = $load_id AND r.`ended_by` = 'load'\n"
        "SET r.`end_date` = NULL, r.`ended_by` = NULL, r.`updated_at` = $now\n"
        "RETURN count(r) AS reopened"
    )


def fill_periods(schema: Schema, rel_type: str) -> str:
    """Give relationships written before periods existed the period their start date names."""
    return (
        f"MATCH ()-[r:{quote_rel_type(schema, rel_type)}]->()\n"
        "WHERE r.`period` IS NULL\n"
        "WITH r LIMIT $limit\n"
        "SET r.`period` = coalesce(r.`start_date`, $unknown)\n"
        "RETURN count(r) AS filled"
    )


def count_open(schema: Schema, rel_type: str) -> str:
    """Open relationships of one source, and how many of them the current load did not list."""
    return (
        f"MATCH ()-[r:{quote_rel_type(schema, rel_type)}]->()\n"
        "WHERE r.`source` = $source AND r.`end_date` IS NULL\n"
        "RETURN count(r) AS open, "
        "sum(CASE WHEN r.`load_id` = $load_id THEN 0 ELSE 1 END) AS unlisted"
    )


def move_periods(schema: Schema, rel_type: str, source_label: str, target_label: str) -> str:
    """Give a relationship stored without a start (``row.old``) the start a source now names
    (``row.new``), so that the dated row merges into it instead of doubling it."""
    return (
        "UNWIND $rows AS row\n"
        + _pair_match(schema, rel_type, source_label, target_label, "row", "r",
                      " {`period`: row.old}") + "\n"
        "SET r.`period` = row.new, r.`updated_at` = $now\n"
        "RETURN count(r) AS moved"
    )


def supersede_relations(schema: Schema, rel_type: str, label: str) -> str:
    """Relationships of nodes ``$keys`` that a resolution made duplicates: never in force on any
    date (``end_date`` = ``$never``, ``ended_by`` = 'resolved'), kept for the record."""
    key = quote_property(schema.node(label).key)
    return (
        f"UNWIND $keys AS key MATCH (n:{quote_label(schema, label)} {{{key}: key}})"
        f"-[r:{quote_rel_type(schema, rel_type)}]->()\n"
        "WHERE r.`ended_by` IS NULL OR r.`ended_by` <> 'resolved'\n"
        "SET r.`end_date` = $never, r.`ended_by` = 'resolved', r.`updated_at` = $now\n"
        "RETURN count(r) AS superseded"
    )
