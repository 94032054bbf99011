"""Typed loader and checker for ``graph/schema.yaml``, the single source of graph names.

Everything that puts a label, relationship type or property name into Cypher text asks this
module first; values never go into text at all (they travel as parameters).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from creditgraph.graph.errors import SchemaError

DEFAULT_SCHEMA_PATH = Path(__file__).with_name("schema.yaml")

PropertyType = Literal["string", "integer", "float", "boolean", "date", "datetime", "string_list"]
PROPERTY_TYPES: frozenset[str] = frozenset(get_args(PropertyType))

# Names that reach Cypher text are checked against these patterns as well as the whitelist, so a
# bad schema file can never smuggle syntax into a query.
LABEL_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*$")
REL_TYPE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*$")
PROPERTY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

TEMPORAL_PROPERTIES = ("start_date", "end_date")
# A temporal relationship records one period: the same pair can hold a share 2015-2018 and again
# from 2021, two relationships told apart by ``period`` (the start the source gave, or
# UNKNOWN_START when it gave none). Loads merge on it; queries read start_date / end_date.
PERIOD_PROPERTY = "period"
UNKNOWN_START = dt.date(1, 1, 1)
# Row fields that carry the endpoint keys in relationship writes; no property may take these names.
RESERVED_PROPERTY_NAMES = frozenset({"src_key", "dst_key"})


@dataclass(frozen=True)
class PropertySpec:
    name: str
    type: PropertyType
    required: bool = False
    index: bool = False
    description: str = ""


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str
    properties: Mapping[str, PropertySpec]
    description: str = ""

    def indexed_properties(self) -> list[str]:
        return [p.name for p in self.properties.values() if p.index and p.name != self.key]


@dataclass(frozen=True)
class RelationshipType:
    name: str
    endpoints: tuple[tuple[str, str], ...]
    properties: Mapping[str, PropertySpec]
    temporal: bool = False
    description: str = ""

    def indexed_properties(self) -> list[str]:
        return [p.name for p in self.properties.values() if p.index]

    @property
    def identity(self) -> tuple[str, ...]:
        """Properties that, with the two endpoints, tell one relationship of this type from
        another between the same pair."""
        return (PERIOD_PROPERTY,) if self.temporal else ()

    def with_identity(self, props: dict[str, Any]) -> dict[str, Any]:
        """The properties with a temporal relationship's period filled in: the start date the
        source gave, else UNKNOWN_START."""
        if self.temporal and props.get(PERIOD_PROPERTY) is None:
            return props | {PERIOD_PROPERTY: props.get("start_date") or UNKNOWN_START}
        return props

    def allows(self, source_label: str, target_label: str) -> bool:
        return (source_label, target_label) in self.endpoints


@dataclass(frozen=True)
class Schema:
    version: int
    nodes: Mapping[str, NodeType]
    relationships: Mapping[str, RelationshipType]
    path: Path = field(default=DEFAULT_SCHEMA_PATH, compare=False)

    @property
    def labels(self) -> list[str]:
        return list(self.nodes)

    @property
    def relationship_types(self) -> list[str]:
        return list(self.relationships)

    def node(self, label: str) -> NodeType:
        """The node type for a whitelisted label; anything else is refused."""
        try:
            return self.nodes[label]
        except (KeyError, TypeError):
            raise SchemaError(
                f"unknown node label {label!r}; known: {', '.join(self.nodes)}"
            ) from None

    def relationship(self, name: str) -> RelationshipType:
        """The relationship type for a whitelisted name; anything else is refused."""
        try:
            return self.relationships[name]
        except (KeyError, TypeError):
            raise SchemaError(
                f"unknown relationship type {name!r}; known: {', '.join(self.relationships)}"
            ) from None

    def endpoint(self, rel_type: str, source_label: str, target_label: str) -> RelationshipType:
        rel = self.relationship(rel_type)
        self.node(source_label)
        self.node(target_label)
        if not rel.allows(source_label, target_label):
            allowed = ", ".join(f"{s}->{t}" for s, t in rel.endpoints)
            raise SchemaError(
                f"{rel_type} does not connect {source_label} to {target_label}; allowed: {allowed}"
            )
        return rel


def coerce_value(spec: PropertySpec, value: Any, where: str) -> Any:
    """Check one value against its declared type; return it in the form both backends store.

    ``where`` names the place (label, row, property) for the error message.
    """
    if value is None:
        if spec.required:
            raise SchemaError(f"{where}: required property {spec.name!r} is missing")
        return None
    kind = spec.type
    if kind == "string" and isinstance(value, str):
        if spec.required and not value.strip():
            raise SchemaError(f"{where}: required property {spec.name!r} is empty")
        return value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise SchemaError(f"{where}: property {spec.name!r} must be a finite number")
        return float(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if kind == "datetime" and isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise SchemaError(f"{where}: datetime property {spec.name!r} must carry a time zone")
        return value.astimezone(dt.UTC)
    if (
        kind == "string_list"
        and isinstance(value, list | tuple)
        and all(isinstance(v, str) for v in value)
    ):
        return list(value)
    raise SchemaError(
        f"{where}: property {spec.name!r} must be {kind}, got {type(value).__name__} {value!r:.60}"
    )


def coerce_rows(
    properties: Mapping[str, PropertySpec], rows: Iterable[Mapping[str, Any]], where: str
) -> list[dict[str, Any]]:
    """Check every row before anything is written: unknown names and wrong types are refused."""
    checked: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        place = f"{where} row {index + 1}"
        unknown = sorted(set(row) - set(properties))
        if unknown:
            raise SchemaError(f"{place}: unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                              f"{', '.join(map(repr, unknown))}")
        checked.append(
            {name: coerce_value(spec, row.get(name), place) for name, spec in properties.items()
             if name in row or spec.required}
        )
    return checked


# ---------------------------------------------------------------------------------------------
# Loading and checking the file


def _fail(path: Path, key: str, message: str) -> SchemaError:
    return SchemaError(f"{path}: {key}: {message}")


def _mapping(value: Any, path: Path, key: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(path, key, f"must be a mapping, got {type(value).__name__}")
    return value


def _properties(raw: Any, path: Path, key: str) -> dict[str, PropertySpec]:
    specs: dict[str, PropertySpec] = {}
    for name, body in _mapping(raw, path, key).items():
        where = f"{key}.{name}"
        if not isinstance(name, str) or not PROPERTY_PATTERN.match(name):
            raise _fail(path, where, "property names are lower_snake_case ASCII")
        if name in RESERVED_PROPERTY_NAMES:
            raise _fail(path, where, f"{name!r} is reserved for endpoint keys")
        body = _mapping(body, path, where)
        unknown = set(body) - {"type", "required", "index", "description"}
        if unknown:
            raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
        kind = body.get("type")
        if kind not in PROPERTY_TYPES:
            raise _fail(path, f"{where}.type", f"{kind!r} is not one of {sorted(PROPERTY_TYPES)}")
        for flag in ("required", "index"):
            if not isinstance(body.get(flag, False), bool):
                raise _fail(path, f"{where}.{flag}", "must be true or false")
        specs[name] = PropertySpec(
            name=name,
            type=kind,
            required=body.get("required", False),
            index=body.get("index", False),
            description=str(body.get("description", "")),
        )
    return specs


def _merge_common(
    own: dict[str, PropertySpec], common: dict[str, PropertySpec], path: Path, key: str
) -> dict[str, PropertySpec]:
    clash = set(own) & set(common)
    if clash:
        raise _fail(path, key, f"redeclares common propert(ies) {sorted(clash)}")
    return {**own, **common}


def _extra_indexes(props: dict[str, PropertySpec], names: Any, path: Path, key: str
                   ) -> dict[str, PropertySpec]:
    """``indexes: [prop, ...]`` indexes properties declared elsewhere (the common ones), for
    the labels and types that are searched by them."""
    if names is None:
        return props
    if not isinstance(names, list):
        raise _fail(path, key, "must be a list of property names")
    for name in names:
        if name not in props:
            raise _fail(path, key, f"{name!r} is not one of its properties")
        props[name] = replace(props[name], index=True)
    return props


def parse_schema(raw: Any, path: Path) -> Schema:
    """Build a Schema from parsed YAML, refusing anything inconsistent with a precise message."""
    top = _mapping(raw, path, "<top>")
    unknown = set(top) - {
        "version", "nodes", "relationships", "common_node_properties",
        "common_relationship_properties",
    }
    if unknown:
        raise _fail(path, "<top>", f"unknown section(s) {sorted(unknown)}")
    version = top.get("version")
    if not isinstance(version, int):
        raise _fail(path, "version", "must be an integer")
    common_nodes = _properties(top.get("common_node_properties"), path, "common_node_properties")
    common_rels = _properties(
        top.get("common_relationship_properties"), path, "common_relationship_properties"
    )

    nodes: dict[str, NodeType] = {}
    for label, body in _mapping(top.get("nodes"), path, "nodes").items():
        where = f"nodes.{label}"
        if not isinstance(label, str) or not LABEL_PATTERN.match(label):
            raise _fail(path, where, "labels are CamelCase ASCII")
        body = _mapping(body, path, where)
        unknown = set(body) - {"key", "properties", "description", "indexes"}
        if unknown:
            raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
        props = _properties(body.get("properties"), path, f"{where}.properties")
        key = body.get("key")
        if key not in props:
            raise _fail(path, f"{where}.key", f"{key!r} is not one of its declared properties")
        if props[key].type != "string" or not props[key].required:
            raise _fail(path, f"{where}.key", f"key {key!r} must be a required string")
        props = _merge_common(props, common_nodes, path, f"{where}.properties")
        props = _extra_indexes(props, body.get("indexes"), path, f"{where}.indexes")
        nodes[label] = NodeType(label, key, props, str(body.get("description", "")))
    if not nodes:
        raise _fail(path, "nodes", "declares no node label")

    rels: dict[str, RelationshipType] = {}
    for name, body in _mapping(top.get("relationships"), path, "relationships").items():
        where = f"relationships.{name}"
        if not isinstance(name, str) or not REL_TYPE_PATTERN.match(name):
            raise _fail(path, where, "relationship types are UPPER_SNAKE_CASE ASCII")
        if name in nodes:
            raise _fail(path, where, "a relationship type may not share a node label's name")
        body = _mapping(body, path, where)
        unknown = set(body) - {"endpoints", "properties", "temporal", "description", "indexes"}
        if unknown:
            raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
        raw_endpoints = body.get("endpoints")
        if not isinstance(raw_endpoints, list) or not raw_endpoints:
            raise _fail(path, f"{where}.endpoints", "must be a non-empty list of [source, target]")
        endpoints: list[tuple[str, str]] = []
        for pair in raw_endpoints:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise _fail(path, f"{where}.endpoints", f"{pair!r} is not a [source, target] pair")
            for end in pair:
                if end not in nodes:
                    raise _fail(path, f"{where}.endpoints", f"{end!r} is not a declared label")
            if tuple(pair) in endpoints:
                raise _fail(path, f"{where}.endpoints", f"{pair!r} is listed twice")
            endpoints.append((pair[0], pair[1]))
        temporal = body.get("temporal", False)
        if not isinstance(temporal, bool):
            raise _fail(path, f"{where}.temporal", "must be true or false")
        props = _properties(body.get("properties"), path, f"{where}.properties")
        if any(p.required for p in props.values()):
            raise _fail(path, f"{where}.properties", "relationship properties cannot be required")
        if temporal:
            temporal_props = {
                name: PropertySpec(name, "date", description="有效期起止") for name in
                TEMPORAL_PROPERTIES
            } | {PERIOD_PROPERTY: PropertySpec(
                PERIOD_PROPERTY, "date",
                description="本段关系的标识：来源给出的起始日（未给出为 0001-01-01）")}
            props = _merge_common(props, temporal_props, path, f"{where}.properties")
        props = _merge_common(props, common_rels, path, f"{where}.properties")
        props = _extra_indexes(props, body.get("indexes"), path, f"{where}.indexes")
        rels[name] = RelationshipType(
            name, tuple(endpoints), props, temporal, str(body.get("description", ""))
        )
    return Schema(version=version, nodes=nodes, relationships=rels, path=path)


def load_schema(path: Path | str | None = None) -> Schema:
    """Read and check a schema file (the packaged ``graph/schema.yaml`` by default)."""
    if path is None:
        return default_schema()
    return _read(Path(path))


@cache
def default_schema() -> Schema:
    return _read(DEFAULT_SCHEMA_PATH)


def _read(path: Path) -> Schema:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read schema file: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise SchemaError(f"{path}: {where}: not valid YAML: {exc}") from None
    return parse_schema(raw, path)
