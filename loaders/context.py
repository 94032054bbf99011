"""Shared helpers for the row transformers: reading a cell as the type a column needs, and
resolving the subject a row is about. Each raises ``Reject`` naming the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from creditgraph.graph.documents import (
    NAMES,
    UnknownDocumentType,
    document_facts,
    document_type,
    identify,
)
from creditgraph.graph.identifiers import CodeCheck, mask_document_number, normalize_code
from creditgraph.graph.schema import Schema
from creditgraph.loaders import values
from creditgraph.loaders.plan import Plan, Reject
from creditgraph.loaders.reading import SourceRow
from creditgraph.loaders.registry import Registry, Subject, Unresolved

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
        """A cell through its parser; a bad or missing required value rejects the row. An empty
        or absent cell is None to every parser, and most cells a row is asked for are."""
        raw = self.raw(column)
        if raw == "":
            value = None
        else:
            try:
                value = parse(raw)
            except values.BadValue as exc:
                raise Reject(column, str(exc), raw) from None
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

    def document_type(self, column: str) -> str | None:
        """A 证件类型 cell as a type code (graph.documents), None when empty."""
        word = self.text(column)
        if word is None:
            return None
        try:
            return document_type(word)
        except UnknownDocumentType as exc:
            raise Reject(column, str(exc), word) from None

    def reference(self, column: str, required: bool = False) -> CodeCheck | None:
        """A code naming a subject, with the 证件类型 and 国籍 columns that go with it
        (DOCUMENT_COLUMNS); None when empty and not required."""
        raw = self.code(column, required)
        if raw is None:
            return None
        type_column, nationality_column = DOCUMENT_COLUMNS.get(column, ("", ""))
        doc_type = self.document_type(type_column) if type_column else None
        nationality = self.text(nationality_column) if nationality_column else None
        return _identified(raw, doc_type, nationality, column in PERSON_COLUMNS, dt.date.today())


@lru_cache(maxsize=1 << 16)
def _identified(raw: str, doc_type: str | None, nationality: str | None, person: bool,
                today: dt.date) -> CodeCheck:
    """A reference checked once: a chunk's prefetch and its rows ask the same cells, and a
    feed names the same subjects many times."""
    return identify(raw, doc_type, nationality, today, person=person)


def forget_references() -> None:
    """Drop the checked references (they hold document numbers in clear): a load's end."""
    _identified.cache_clear()


# Columns that only ever name a person: a shape there is read as a document first.
PERSON_COLUMNS = ("id_number", "legal_rep_id", "subject_id_number")
# A code column → the columns giving its document type and the holder's nationality.
DOCUMENT_COLUMNS: dict[str, tuple[str, str]] = {
    "id_number": ("id_type", "nationality"),
    "legal_rep_id": ("legal_rep_id_type", "legal_rep_nationality"),
    "source_id": ("source_id_type", ""),
    "target_id": ("target_id_type", ""),
    "subject_code": ("subject_id_type", ""),
    "subject_id_number": ("subject_id_type", ""),
}


def accept_code(ctx: Context, plan: Plan, column: str, check: CodeCheck) -> CodeCheck:
    """Errors reject the row; a check-character warning is kept and flagged (or rejects, in
    strict mode)."""
    if check.severity == "error":
        raise Reject(column, f"{_kind_word(check)}: {check.reason}", shown_code(check))
    if check.severity == "warning":
        if ctx.strict:
            raise Reject(column, f"{_kind_word(check)}: {check.reason} (--strict)",
                         shown_code(check))
        plan.warn(column, f"{_kind_word(check)}: {check.reason}; row kept", shown_code(check))
    return check


def _kind_word(check: CodeCheck) -> str:
    if check.kind == "document":
        return NAMES.get(check.doc_type or "", "identity document") + " number"
    return {"uscc": "unified social credit code", "org_code": "organisation code",
            "reg_no": "registration number", "resident_id": "resident ID number"}.get(
        check.kind, "code")


def shown_code(check: CodeCheck) -> str:
    """How a subject's code may be stored on a record: document numbers masked."""
    return mask_document_number(check.normalized) if check.personal else check.normalized


def known_subject(ctx: Context, plan: Plan, column: str, reference: CodeCheck | str,
                  overseas: bool = False) -> tuple[Subject, CodeCheck]:
    """A code that must name a subject already in the graph or this load: a code or document
    number (a raw text is told by its shape), or, where ``overseas`` entities may stand, an
    overseas entity's id."""
    check = identify(reference) if isinstance(reference, str) else reference
    entity = ctx.registry.overseas_entity(check.input.strip()) if overseas else None
    if entity is not None and check.doc_type is None:
        return entity, check
    check = accept_code(ctx, plan, column, check)
    try:
        subject = ctx.registry.subject(check)
    except Unresolved as exc:
        raise Reject(column, str(exc)) from None
    if subject is None:
        where = "person with this document number" if check.personal else (
            "enterprise or overseas entity with this code" if overseas else
            "enterprise with this code")
        raise Reject(column, f"no {where} in the graph or this load", shown_code(check))
    return subject, check


def department_code(raw: str | None) -> str | None:
    return normalize_code(raw) if raw else None


def person_node(ctx: Context, pid: str, check: CodeCheck, name: str) -> dict[str, Any]:
    """A person as the graph keeps them: keyed hash, document type, masked number, and what
    the number itself states (birth year, sex, division, nationality); never the number."""
    facts = document_facts(check)
    return {"pid": pid, "name": name, "id_type": facts.id_type, "id_masked": facts.id_masked,
            "birth_year": facts.birth_year, "sex": facts.sex, "division": facts.division,
            "nationality": facts.nationality, **ctx.stamp}


def link_issuer(ctx: Context, plan: Plan, label: str, key: str, code: str | None,
                name: str | None, column: str = "authority") -> None:
    """Link a record to the department that issued it, when that department is known."""
    department = ctx.registry.department(code, name)
    if department:
        plan.rels.append(("ISSUED_BY", label, "Department",
                          {"src_key": key, "dst_key": department, **ctx.rel_stamp}))
    elif name or code:
        plan.warn(column, "not a known department; record not linked to it", name or code)
