"""Shared helpers for the row transformers: reading a cell as the type a column needs, and
resolving the subject a row is about. Each raises ``Reject`` naming the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.identifiers import (
    CodeCheck,
    classify,
    mask_resident_id,
    normalize_code,
    resident_facts,
)
from graph.schema import Schema
from loaders import values
from loaders.plan import Plan, Reject
from loaders.reading import SourceRow
from loaders.registry import Registry, Subject, Unresolved

T = TypeVar("T")


@dataclass
class Context:
    file: str
    source: str  # source tag stored on what this file writes
    load_id: str
    registry: Registry
    schema: Schema
    strict: bool
    now: dt.datetime

    @property
    def stamp(self) -> dict[str, Any]:
        """Provenance carried by every node and relationship a row writes."""
        return {"source": self.source, "updated_at": self.now}

    @property
    def rel_stamp(self) -> dict[str, Any]:
        return self.stamp | {"load_id": self.load_id}


class Cells:
    """Typed access to one row's cells; problems become ``Reject`` or plan warnings."""

    def __init__(self, row: SourceRow) -> None:
        self.row = row

    def raw(self, column: str) -> Any:
        return self.row.values.get(column, "")

    def _parsed(self, column: str, parse: Callable[[Any], T], required: bool = False) -> T | None:
        """A cell through its parser; a bad or missing required value rejects the row."""
        try:
            value = parse(self.raw(column))
        except values.BadValue as exc:
            raise Reject(column, str(exc), self.raw(column)) from None
        if value is None and required:
            raise Reject(column, "required value is empty")
        return value

    def text(self, column: str, required: bool = False) -> str | None:
        return self._parsed(column, values.text, required)

    def code(self, column: str, required: bool = False) -> str | None:
        return self._parsed(column, values.code_text, required)

    def date(self, column: str, required: bool = False) -> dt.date | None:
        return self._parsed(column, values.parse_date, required)

    def number(self, column: str) -> float | None:
        return self._parsed(column, values.parse_number)

    def ratio(self, column: str) -> float | None:
        return self._parsed(column, values.parse_ratio)

    def flag(self, column: str) -> bool | None:
        return self._parsed(column, values.parse_bool)


def accept_code(ctx: Context, plan: Plan, column: str, check: CodeCheck) -> CodeCheck:
    """Errors reject the row; a check-character warning is kept and flagged (or rejects, in
    strict mode)."""
    if check.severity == "error":
        raise Reject(column, f"{_kind_word(check)}: {check.reason}", check.normalized)
    if check.severity == "warning":
        if ctx.strict:
            raise Reject(column, f"{_kind_word(check)}: {check.reason} (--strict)",
                         check.normalized)
        plan.warn(column, f"{_kind_word(check)}: {check.reason}; row kept", check.normalized)
    return check


def _kind_word(check: CodeCheck) -> str:
    return {"uscc": "unified social credit code", "org_code": "organisation code",
            "reg_no": "registration number", "resident_id": "resident ID number"}.get(
        check.kind, "code")


def shown_code(check: CodeCheck) -> str:
    """How a subject's code may be stored on a record: ID numbers masked."""
    return mask_resident_id(check.normalized) if check.kind == "resident_id" else check.normalized


def known_subject(ctx: Context, plan: Plan, column: str, raw: str) -> tuple[Subject, CodeCheck]:
    """A code that must name a subject already in the graph or this load."""
    check = accept_code(ctx, plan, column, classify(raw))
    try:
        subject = ctx.registry.subject(check)
    except Unresolved as exc:
        raise Reject(column, str(exc)) from None
    if subject is None:
        where = "person with this ID number" if check.kind == "resident_id" else (
            "enterprise with this code")
        raise Reject(column, f"no {where} in the graph or this load", check.normalized)
    return subject, check


def department_code(raw: str | None) -> str | None:
    return normalize_code(raw) if raw else None


def person_node(ctx: Context, pid: str, id_number: str, name: str) -> dict[str, Any]:
    """A person as the graph keeps them: keyed hash, masked number, birth year, sex, division;
    never the ID number itself."""
    facts = resident_facts(id_number)
    return {"pid": pid, "name": name, "id_masked": facts.id_masked,
            "birth_year": facts.birth_year, "sex": facts.sex, "division": facts.division,
            **ctx.stamp}


def link_issuer(ctx: Context, plan: Plan, label: str, key: str, code: str | None,
                name: str | None, column: str = "authority") -> None:
    """Link a record to the department that issued it, when that department is known."""
    department = ctx.registry.department(code, name)
    if department:
        plan.rels.append(("ISSUED_BY", label, "Department",
                          {"src_key": key, "dst_key": department, **ctx.rel_stamp}))
    elif name or code:
        plan.warn(column, "not a known department; record not linked to it", name or code)
