"""Which files and headers mean what: ``loaders/columns.yaml`` plus an optional user mapping."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from creditgraph.loaders.errors import StructuralError

COLUMNS_FILE = Path(__file__).with_name("columns.yaml")

# The order files are loaded in: whatever a row refers to is loaded before it.
LOAD_ORDER = (
    "departments", "enterprises", "code_mappings", "overseas_entities", "persons", "relations",
    "civil_servants",
    "integrity_records", "penalties", "licenses", "list_entries", "commitments", "procurement",
    "repairs",
)


def header_key(text: str) -> str:
    """Headers compare after NFKC (full-width → half-width), without spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    file_names: tuple[str, ...]
    columns: Mapping[str, Column]

    def required(self) -> list[str]:
        return [c.name for c in self.columns.values() if c.required]


@dataclass(frozen=True)
class Spec:
    kinds: Mapping[str, KindSpec]
    file_overrides: Mapping[str, str] = field(default_factory=dict)
    header_overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def kind_of(self, path: Path) -> str | None:
        """``penalties.csv``, ``penalties-2016-03.xlsx``, ``行政处罚.csv`` → ``penalties``."""
        if path.name in self.file_overrides:
            return self.file_overrides[path.name]
        stem = header_key(path.stem)
        for kind in LOAD_ORDER:
            for name in self.kinds[kind].file_names:
                key = header_key(name)
                if stem == key or (stem.startswith(key) and stem[len(key)] in "-_.(（ 0123456789"):
                    return kind
        return None

    def match_headers(self, kind: str, headers: Sequence[str], file: str) -> dict[int, str]:
        """Column index → canonical name. Refuses a file whose required columns are missing or
        whose columns collide."""
        spec = self.kinds[kind]
        lookup: dict[str, str] = {}
        for column in spec.columns.values():
            for alias in (column.name, *column.aliases):
                lookup.setdefault(header_key(alias), column.name)
        for header, overridden in self.header_overrides.get(kind, {}).items():
            lookup[header_key(header)] = overridden
        matched: dict[int, str] = {}
        taken: dict[str, str] = {}
        for index, header in enumerate(headers):
            canonical = lookup.get(header_key(header or ""))
            if canonical is None:
                continue
            if canonical in taken:
                raise StructuralError(
                    f"{file}: columns {taken[canonical]!r} and {header!r} both mean {canonical!r}; "
                    "keep one or map one elsewhere with --mapping"
                )
            taken[canonical] = header
            matched[index] = canonical
        missing = [c for c in spec.required() if c not in taken]
        if missing:
            names = "; ".join(
                f"{c} (or {' / '.join(spec.columns[c].aliases[:3])})" if spec.columns[c].aliases
                else c for c in missing
            )
            raise StructuralError(f"{file}: missing required column(s): {names}")
        return matched


@cache
def default_spec() -> Spec:
    return _parse(yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8")), COLUMNS_FILE)


def _parse(raw: Any, path: Path) -> Spec:
    kinds: dict[str, KindSpec] = {}
    for kind, body in raw["kinds"].items():
        columns = {
            name: Column(name, bool(col.get("required", False)),
                         tuple(str(a) for a in col.get("aliases", [])))
            for name, col in body["columns"].items()
        }
        kinds[kind] = KindSpec(kind, tuple(body["files"]), columns)
    if set(kinds) != set(LOAD_ORDER):
        raise StructuralError(f"{path}: kinds must be exactly {', '.join(LOAD_ORDER)}")
    return Spec(kinds)


def load_spec(mapping: Path | None = None) -> Spec:
    """The default spec, with a user's ``--mapping`` file applied. A malformed mapping is refused
    as a whole, naming the file and key: nothing is applied partly."""
    spec = default_spec()
    if mapping is None:
        return spec
    try:
        raw = yaml.safe_load(mapping.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise StructuralError(f"{mapping}: cannot read mapping file: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise StructuralError(f"{mapping}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or set(raw) - {"files", "columns"}:
        raise StructuralError(f"{mapping}: expected the sections 'files' and/or 'columns'")
    files = raw.get("files") or {}
    if not isinstance(files, dict):
        raise StructuralError(f"{mapping}: files: expected file name: kind pairs")
    for name, kind in files.items():
        if kind not in spec.kinds:
            raise StructuralError(f"{mapping}: files.{name}: unknown kind {kind!r}; "
                                  f"known: {', '.join(LOAD_ORDER)}")
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict):
        raise StructuralError(f"{mapping}: columns: expected kind: {{header: column}}")
    headers: dict[str, dict[str, str]] = {}
    for kind, pairs in columns.items():
        if kind not in spec.kinds:
            raise StructuralError(f"{mapping}: columns.{kind}: unknown kind")
        if not isinstance(pairs, dict):
            raise StructuralError(f"{mapping}: columns.{kind}: expected header: column pairs")
        for header, canonical in pairs.items():
            if canonical not in spec.kinds[kind].columns:
                raise StructuralError(
                    f"{mapping}: columns.{kind}.{header}: {canonical!r} is not a column of "
                    f"{kind}; known: {', '.join(spec.kinds[kind].columns)}"
                )
        headers[kind] = {str(h): str(c) for h, c in pairs.items()}
    return Spec(spec.kinds, {str(k): str(v) for k, v in files.items()}, headers)
