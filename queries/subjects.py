"""Which subject a user means: a USCC, a legacy code, a person's identity document number of
any type (matched through its keyed hash, never stored or shown in clear), or a person key."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import NAMES, document_key, read_reference
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import org_code_of_uscc
from creditgraph.graph.store import GraphStore
from creditgraph.queries.library import run


@dataclass(frozen=True)
class Subject:
    label: str  # Enterprise, Person or OverseasEntity
    key: str
    name: str

    @property
    def node_id(self) -> str:
        return f"{self.label}:{self.key}"


class UnknownSubject(CreditGraphError):
    pass


def resolve(store: GraphStore, text: str, secret: bytes | None,
            doc_type: str | None = None) -> Subject:
    """The subject a code names: a USCC or legacy code, a person's document number (any type;
    ``doc_type`` — or written ``证件类型:number``, e.g. ``台湾居民来往大陆通行证:12345678`` — where
    the shape cannot tell it), an overseas entity's id, or a person key."""
    if doc_type is None and len(text) == 64 and all(c in "0123456789abcdef" for c in text):
        rows = run(store, "subject-person", pid=text)  # a person key, as links carry it
        if rows:
            return Subject(rows[0]["label"], rows[0]["key"], rows[0]["name"])
    check = read_reference(text, doc_type)
    code = check.normalized
    rows = []
    if check.kind == "unknown" or (check.personal and not check.valid and doc_type is None):
        overseas = overseas_subject(store, text)  # an entity id has no shape of its own
        if overseas is not None:
            return overseas
    if check.personal:
        if not check.valid:
            what = ("resident ID" if check.kind == "resident_id" else
                    NAMES.get(check.doc_type or "", "identity document"))
            raise UnknownSubject(f"not a valid {what} number: {check.reason}")
        if secret is None:
            raise UnknownSubject("CREDITGRAPH_ID_KEY is needed to look up an ID number")
        rows = run(store, "subject-person", pid=document_key(check, secret))
    elif check.kind == "uscc":
        rows = run(store, "subject-enterprise", value=code)
    elif check.kind in ("org_code", "reg_no"):
        rows = run(store, LEGACY_CODE_QUERIES[check.kind], value=code)
    if not rows and check.kind == "uscc":
        rows = run(store, "subject-enterprise-org-code", value=org_code_of_uscc(code))
    if not rows and doc_type is None and check.kind != "unknown":
        overseas = overseas_subject(store, text)  # numbered like a code or document, yet an id
        if overseas is not None:
            return overseas
    if not rows:
        raise UnknownSubject(f"no subject with the code {check.public()['input']!r} in the graph")
    row = rows[0]
    return Subject(row["label"], row["key"], row["name"])


BATCH = 1000  # codes a batched look-up asks for at once
# a legacy code's kind -> the query finding the enterprise it belongs to
LEGACY_CODE_QUERIES = {"org_code": "subject-enterprise-org-code",
                       "reg_no": "subject-enterprise-reg-no"}


def resolve_many(store: GraphStore, texts: Sequence[str], secret: bytes | None
                 ) -> list[Subject | UnknownSubject]:
    """``resolve`` for a batch of codes, in order: each subject, or the UnknownSubject
    ``resolve`` would raise. The USCCs that name an enterprise directly — nearly all of a
    departmental batch — are looked up together (unless so few that one anchored look-up each
    is cheaper: ``Dialect.anchored_keys``); every other code goes through ``resolve``."""
    usccs = [c.normalized if c.kind == "uscc" and c.valid else None
             for c in map(read_reference, texts)]
    wanted = sorted({u for u in usccs if u is not None})
    if len(wanted) <= store.dialect.anchored_keys:
        wanted = []
    direct: dict[str, Subject] = {}
    for start in range(0, len(wanted), BATCH):
        for row in run(store, "subjects-enterprise", values=wanted[start:start + BATCH]):
            direct[row["key"]] = Subject(row["label"], row["key"], row["name"])
    answers: list[Subject | UnknownSubject] = []
    for text, uscc in zip(texts, usccs, strict=True):
        if uscc in direct:
            answers.append(direct[uscc])
            continue
        try:
            answers.append(resolve(store, text, secret))
        except UnknownSubject as exc:
            answers.append(exc)
    return answers


def default_as_of(as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()


MAX_ENTITY_ID_LENGTH = 100  # longer text is no entity id: not sent to the store


def overseas_subject(store: GraphStore, entity_id: str) -> Subject | None:
    """The overseas entity with this id, or None. An entity id has no shape of its own (the
    registry numbers its entities as it likes), so it is looked up as given — trimmed, and in
    half-width characters if typed in full-width — never guessed from its form. Its name is
    shown with its country or region in Chinese (``Golden Bridge Holdings Ltd（香港）``)."""
    text = (entity_id or "").strip()
    for value in dict.fromkeys([text, unicodedata.normalize("NFKC", text).strip()]):
        if not value or len(value) > MAX_ENTITY_ID_LENGTH:
            continue
        rows = run(store, "subject-overseas", value=value)
        if rows:
            row = rows[0]
            return Subject("OverseasEntity", row["key"],
                           display_name("OverseasEntity", row["name"], row["country"]))
    return None


def display_name(label: str, name: str | None, country: str | None = None) -> str:
    """How a subject is named in words: an overseas entity with its country or region in
    Chinese (``Golden Bridge Holdings Ltd（香港）``), everyone else by name."""
    name = name or ""
    if label == "OverseasEntity" and country:
        return f"{name}（{chinese_name(country)}）"
    return name
