"""Schema definition statements for each backend, generated from ``schema.yaml``.

Neo4j is schema-optional: it gets a uniqueness constraint per node key and an index per
``index: true`` property. The embedded engine (LadybugDB) is schema-first: every label is a node
table with typed columns and every relationship type a relationship table listing its endpoint
pairs. This module is the one place where that difference lives.
"""

from __future__ import annotations

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.schema import PropertySpec, Schema

LADYBUG_TYPES = {
    "string": "STRING",
    "integer": "INT64",
    "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "string_list": "STRING[]",
}


def _name(*parts: str) -> str:
    return "_".join(p.lower() for p in parts)


def neo4j_statements(schema: Schema) -> list[str]:
    """Constraints and indexes; every statement is idempotent (``IF NOT EXISTS``)."""
    statements = []
    for node in schema.nodes.values():
        label = quote_label(schema, node.label)
        key = quote_property(node.key)
        statements.append(
            f"CREATE CONSTRAINT {_name(node.label, node.key, 'key')} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"
        )
        for prop in node.indexed_properties():
            statements.append(
                f"CREATE INDEX {_name(node.label, prop)} IF NOT EXISTS "
                f"FOR (n:{label}) ON (n.{quote_property(prop)})"
            )
    for rel in schema.relationships.values():
        rel_type = quote_rel_type(schema, rel.name)
        for prop in rel.indexed_properties():
            statements.append(
                f"CREATE INDEX {_name(rel.name, prop)} IF NOT EXISTS "
                f"FOR ()-[r:{rel_type}]-() ON (r.{quote_property(prop)})"
            )
    return statements


def neo4j_names(schema: Schema) -> dict[str, str]:
    """The name of every constraint and index ``neo4j_statements`` creates → what it is for."""
    names = {}
    for node in schema.nodes.values():
        names[_name(node.label, node.key, "key")] = f"unique key {node.label}.{node.key}"
        for prop in node.indexed_properties():
            names[_name(node.label, prop)] = f"index {node.label}.{prop}"
    for rel in schema.relationships.values():
        for prop in rel.indexed_properties():
            names[_name(rel.name, prop)] = f"index {rel.name}.{prop}"
    return names


def ladybug_column(spec: PropertySpec) -> str:
    return f"{quote_property(spec.name)} {LADYBUG_TYPES[spec.type]}"


def ladybug_node_table(schema: Schema, label: str) -> str:
    node = schema.node(label)
    columns = [ladybug_column(spec) for spec in node.properties.values()]
    columns.append(f"PRIMARY KEY({quote_property(node.key)})")
    return f"CREATE NODE TABLE IF NOT EXISTS {quote_label(schema, label)}({', '.join(columns)})"


def ladybug_rel_table(schema: Schema, rel_type: str) -> str:
    rel = schema.relationship(rel_type)
    parts = [
        f"FROM {quote_label(schema, s)} TO {quote_label(schema, t)}" for s, t in rel.endpoints
    ]
    parts += [ladybug_column(spec) for spec in rel.properties.values()]
    return f"CREATE REL TABLE IF NOT EXISTS {quote_rel_type(schema, rel_type)}({', '.join(parts)})"


def ladybug_statements(schema: Schema) -> list[str]:
    """Node tables first (relationship tables refer to them); each ``IF NOT EXISTS``."""
    return [ladybug_node_table(schema, label) for label in schema.nodes] + [
        ladybug_rel_table(schema, rel) for rel in schema.relationships
    ]


def ladybug_add_column(schema: Schema, table: str, spec: PropertySpec) -> str:
    """Bring an older store up to a schema that gained a property."""
    quoted = (
        quote_label(schema, table) if table in schema.nodes else quote_rel_type(schema, table)
    )
    return f"ALTER TABLE {quoted} ADD {ladybug_column(spec)}"


def ladybug_add_endpoint(schema: Schema, rel_type: str, source: str, target: str) -> str:
    """Bring an older store up to a schema whose relationship type gained an endpoint pair."""
    return (
        f"ALTER TABLE {quote_rel_type(schema, rel_type)} "
        f"ADD FROM {quote_label(schema, source)} TO {quote_label(schema, target)}"
    )


def ladybug_table_info(schema: Schema, table: str) -> str:
    """Column listing of one table. The engine wants the name as a literal, not a parameter; it
    is a whitelisted, pattern-checked schema name, never input."""
    quote_label(schema, table) if table in schema.nodes else quote_rel_type(schema, table)
    return f"CALL table_info('{table}') RETURN name"


def ladybug_table_endpoints(schema: Schema, rel_type: str) -> str:
    quote_rel_type(schema, rel_type)
    return f"CALL show_connection('{rel_type}') RETURN *"
