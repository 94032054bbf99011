"""The schema file itself, its loader's refusals, and the Cypher built from its whitelist."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from creditgraph.graph import cypher, ddl
from creditgraph.graph.errors import SchemaError
from creditgraph.graph.schema import (
    DEFAULT_SCHEMA_PATH,
    LABEL_PATTERN,
    PROPERTY_PATTERN,
    REL_TYPE_PATTERN,
    PropertySpec,
    coerce_value,
    load_schema,
    parse_schema,
)

SCHEMA = load_schema()
RAW = yaml.safe_load(DEFAULT_SCHEMA_PATH.read_text(encoding="utf-8"))

REQUIRED_LABELS = {
    "Enterprise": "uscc", "Person": "pid", "Department": "code", "Penalty": "penalty_id",
    "License": "license_id", "ListEntry": "entry_id", "Commitment": "commitment_id",
    "IntegrityRecord": "record_id", "ProcurementProject": "project_id", "Sanction": "sanction_id",
}
REQUIRED_RELATIONSHIPS = {
    "LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF", "BRANCH_OF",
    "RELATIVE_OF", "SERVES_IN", "PENALIZED", "LICENSED", "LISTED", "COMMITTED", "RECORD_OF",
    "BID_ON", "AWARDED_TO", "APPLIES_TO", "DERIVED_FROM",
}
CONTROL_RELATIONSHIPS = {"LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF",
                         "BRANCH_OF", "RELATIVE_OF", "SERVES_IN"}


def test_the_shipped_schema_declares_what_the_product_needs():
    assert {label: SCHEMA.node(label).key for label in REQUIRED_LABELS} == REQUIRED_LABELS
    assert set(SCHEMA.relationship_types) >= REQUIRED_RELATIONSHIPS
    assert SCHEMA.relationship("SHAREHOLDER_OF").properties["ratio"].type == "float"
    assert "role" in SCHEMA.relationship("EXECUTIVE_OF").properties
    assert "kind" in SCHEMA.relationship("RELATIVE_OF").properties
    for name in CONTROL_RELATIONSHIPS:  # relations that can end carry their validity
        rel = SCHEMA.relationship(name)
        assert rel.temporal, name
        assert {"start_date", "end_date"} <= set(rel.properties), name


def test_the_shipped_schema_is_consistent():
    for label, node in SCHEMA.nodes.items():
        assert LABEL_PATTERN.match(label)
        assert node.properties[node.key].required and node.properties[node.key].type == "string"
        assert node.description, f"{label} needs a description a regulator can read"
        for name, spec in node.properties.items():
            assert PROPERTY_PATTERN.match(name)
            assert spec.description, f"{label}.{name} needs a description"
    for name, rel in SCHEMA.relationships.items():
        assert REL_TYPE_PATTERN.match(name)
        assert rel.description
        for source, target in rel.endpoints:
            assert source in SCHEMA.nodes and target in SCHEMA.nodes
    # the person key is a keyed hash: the raw resident ID number has no place in the graph
    assert not {"id_number", "resident_id"} & set(SCHEMA.node("Person").properties)


def test_ddl_covers_every_label_and_type():
    neo4j = ddl.neo4j_statements(SCHEMA)
    for label, node in SCHEMA.nodes.items():
        assert (f"CREATE CONSTRAINT {label.lower()}_{node.key}_key IF NOT EXISTS FOR "
                f"(n:`{label}`) REQUIRE n.`{node.key}` IS UNIQUE") in neo4j
        for prop in node.indexed_properties():
            assert any(f"(n:`{label}`) ON (n.`{prop}`)" in s for s in neo4j)
    assert "updated_at" in SCHEMA.node("ListEntry").indexed_properties()
    assert ("CREATE INDEX legal_rep_of_updated_at IF NOT EXISTS FOR ()-[r:`LEGAL_REP_OF`]-() "
            "ON (r.`updated_at`)") in neo4j
    embedded = ddl.ladybug_statements(SCHEMA)
    assert len(embedded) == len(SCHEMA.nodes) + len(SCHEMA.relationships)
    assert ("CREATE REL TABLE IF NOT EXISTS `SHAREHOLDER_OF`(FROM `Person` TO `Enterprise`, "
            "FROM `Enterprise` TO `Enterprise`, FROM `OverseasEntity` TO `Enterprise`, "
            "FROM `Person` TO `OverseasEntity`, FROM `Enterprise` TO `OverseasEntity`, "
            "`ratio` DOUBLE") in "\n".join(embedded)
    assert "`departments` STRING[]" in ddl.ladybug_node_table(SCHEMA, "Sanction")
    assert ddl.ladybug_node_table(SCHEMA, "Person").endswith("PRIMARY KEY(`pid`))")


def test_merge_queries_are_built_from_the_whitelist_only():
    assert cypher.merge_nodes(SCHEMA, "Person", ["pid", "name"]) == (
        "UNWIND $rows AS row\n"
        "MERGE (n:`Person` {`pid`: row.`pid`})\n"
        "SET n.`name` = coalesce(row.`name`, n.`name`)"
    )
    assert cypher.merge_relationships(SCHEMA, "SHAREHOLDER_OF", "Person", "Enterprise",
                                      ["ratio"]) == (
        "UNWIND $rows AS row\n"
        "MATCH (a:`Person` {`pid`: row.src_key})\n"
        "MATCH (b:`Enterprise` {`uscc`: row.dst_key})\n"
        "MERGE (a)-[r:`SHAREHOLDER_OF` {`period`: row.`period`}]->(b)\n"
        "SET r.`ratio` = coalesce(row.`ratio`, r.`ratio`)\n"
        "RETURN count(*) AS merged"
    )
    with pytest.raises(SchemaError, match="has no property 'name`"):
        cypher.merge_nodes(SCHEMA, "Person", ["name` = 1 DETACH DELETE n //"])
    with pytest.raises(SchemaError, match="unknown node label"):
        cypher.count_nodes(SCHEMA, ["Person", "Person:Enterprise"])
    with pytest.raises(SchemaError, match="unknown relationship type"):
        cypher.count_relationships(SCHEMA, ["KNOWS"])


def broken(mutate) -> dict:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    return raw


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda r: r["nodes"]["Enterprise"]["properties"]["name"].update(type="text"),
     r"nodes\.Enterprise\.properties\.name\.type: 'text' is not one of"),
    (lambda r: r["nodes"]["Enterprise"].update(key="code"),
     r"nodes\.Enterprise\.key: 'code' is not one of its declared properties"),
    (lambda r: r["nodes"]["Person"]["properties"]["pid"].update(required=False),
     r"nodes\.Person\.key: key 'pid' must be a required string"),
    (lambda r: r["relationships"]["LEGAL_REP_OF"].update(endpoints=[["Person", "Company"]]),
     r"relationships\.LEGAL_REP_OF\.endpoints: 'Company' is not a declared label"),
    (lambda r: r["relationships"]["LEGAL_REP_OF"].update(endpoints=[]),
     r"relationships\.LEGAL_REP_OF\.endpoints: must be a non-empty list"),
    (lambda r: r["relationships"].update({"legal rep": r["relationships"]["LEGAL_REP_OF"]}),
     r"relationships\.legal rep: relationship types are UPPER_SNAKE_CASE"),
    (lambda r: r["nodes"].update({"Bad-Label": r["nodes"]["Person"]}),
     r"nodes\.Bad-Label: labels are CamelCase"),
    (lambda r: r["nodes"]["Person"]["properties"].update({"Name": {"type": "string"}}),
     r"nodes\.Person\.properties\.Name: property names are lower_snake_case"),
    (lambda r: r["nodes"]["Person"]["properties"].update({"source": {"type": "string"}}),
     r"nodes\.Person\.properties: redeclares common propert"),
    (lambda r: r["relationships"]["SHAREHOLDER_OF"]["properties"].update(
        {"src_key": {"type": "string"}}), r"'src_key' is reserved"),
    (lambda r: r["relationships"]["BRANCH_OF"].update(temporal="yes"),
     r"relationships\.BRANCH_OF\.temporal: must be true or false"),
    (lambda r: r.update(extra={}), r"<top>: unknown section"),
    (lambda r: r["nodes"]["Person"].update(colour="red"), r"nodes\.Person: unknown field"),
    (lambda r: r["nodes"]["ListEntry"].update(indexes=["changed"]),
     r"nodes\.ListEntry\.indexes: 'changed' is not one of its properties"),
    (lambda r: r["relationships"]["BRANCH_OF"].update(indexes="updated_at"),
     r"relationships\.BRANCH_OF\.indexes: must be a list"),
])
def test_a_broken_schema_is_refused_naming_file_and_key(mutate, message):
    with pytest.raises(SchemaError, match=message) as caught:
        parse_schema(broken(mutate), Path("graph/schema.yaml"))
    assert str(caught.value).startswith("graph/schema.yaml: ")


def test_unreadable_or_invalid_yaml_names_the_file(tmp_path: Path):
    with pytest.raises(SchemaError, match="cannot read schema file"):
        load_schema(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("nodes:\n  Person: [unclosed\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.yaml: line \d+: not valid YAML"):
        load_schema(bad)


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("string", "杭州", "杭州"),
    ("integer", 1975, 1975),
    ("float", 35, 35.0),
    ("boolean", False, False),
    ("date", dt.date(2016, 3, 28), dt.date(2016, 3, 28)),
    ("datetime", dt.datetime(2016, 3, 28, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
     dt.datetime(2016, 3, 28, 0, tzinfo=dt.UTC)),
    ("string_list", ("a", "b"), ["a", "b"]),
])
def test_values_are_coerced_to_their_declared_type(kind, value, expected):
    result = coerce_value(PropertySpec("x", kind), value, "here")
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("string", 12, "must be string, got int"),
    ("integer", True, "must be integer, got bool"),
    ("integer", 1.5, "must be integer, got float"),
    ("float", float("nan"), "finite number"),
    ("date", dt.datetime(2016, 3, 28), "must be date, got datetime"),
    ("date", "2016-03-28", "must be date, got str"),
    ("datetime", dt.datetime(2016, 3, 28), "must carry a time zone"),
    ("string_list", ["a", 1], "must be string_list"),
])
def test_wrong_values_are_refused(kind, value, message):
    with pytest.raises(SchemaError, match=message):
        coerce_value(PropertySpec("x", kind), value, "Enterprise row 3")


def test_required_values_must_be_present_and_not_blank():
    spec = PropertySpec("name", "string", required=True)
    with pytest.raises(SchemaError, match="required property 'name' is missing"):
        coerce_value(spec, None, "row 1")
    with pytest.raises(SchemaError, match="required property 'name' is empty"):
        coerce_value(spec, "  ", "row 1")
