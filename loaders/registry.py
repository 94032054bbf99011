"""Entity resolution: one node per real subject.

Enterprises by USCC; a legacy organisation code through positions 9-17 of a USCC; a legacy
registration or tax number through the code mappings; persons by the keyed hash of their
identity document (type and number); overseas entities by the registry's own entity id; a
name-only reference by normalised name when exactly one enterprise has it — otherwise the row is
rejected as ambiguous, never guessed. A natural person named without a number is a separate,
unresolved subject scoped to the firm it appears in (never merged with anyone by name).

The registry knows what this load has planned so far and asks the store (in batches, ahead of
each chunk of rows) about everything else.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from creditgraph.graph.documents import document_key
from creditgraph.graph.identifiers import CodeCheck, org_code_of_uscc
from creditgraph.loaders.values import normalize_name

Lookup = Callable[[str, str, list[str]], list[dict]]  # label, property, values → rows
PID_MEMO = 1 << 18  # keyed hashes remembered at most (the memory of a load stays bounded)
RecordLookup = Callable[[str, list[str]], list[dict]]  # label, keys → record facts (below)


@dataclass
class Subject:
    label: str  # Enterprise, Person or OverseasEntity
    key: str


@dataclass
class RecordFacts:
    """What a repair decision must know of the penalty or list entry it repairs (or, for a
    repair decision itself, what it repairs: ``target``)."""

    date: Any  # a penalty's decision date, a list entry's start date
    subjects: set[str]  # the keys of the subjects it concerns (a joint decision: several)
    list_kind: str | None = None
    repairs: dict[str, str] = field(default_factory=dict)  # subject key → repair decided
    target: str | None = None  # a repair's record and subject: Label:key|subject


def repair_target(label: str, key: str, subject: str | None) -> str:
    """What a repair decision repairs, as one text: the record and the subject."""
    return f"{label}:{key}|{subject or ''}"


class Unresolved(Exception):
    """The reference names no subject, or more than one; the message says which."""


@dataclass
class Registry:
    secret: bytes | None
    lookup: Lookup | None  # store lookups; None when there is no store (offline export)
    enterprises: dict[str, str] = field(default_factory=dict)  # uscc → name
    org_codes: dict[str, str] = field(default_factory=dict)  # legacy code → uscc
    reg_nos: dict[str, str] = field(default_factory=dict)
    tax_nos: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    persons: set[str] = field(default_factory=set)
    overseas: dict[str, str] = field(default_factory=dict)  # entity_id → name
    resolved: dict[str, str] = field(default_factory=dict)  # unresolved pid → the real pid
    resolved_now: set[str] = field(default_factory=set)  # resolved by this load
    unresolved_rows: int = 0  # rows that named a person without a number, this load
    departments: dict[str, str] = field(default_factory=dict)  # code → name
    department_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Penalties and list entries, kept only by a load that carries repair decisions: what this
    # load wrote of them (the store is asked about the others, once each).
    record_lookup: RecordLookup | None = None
    keep_records: bool = False
    records: dict[tuple[str, str], RecordFacts] = field(default_factory=dict)
    _asked: set[tuple[str, str]] = field(default_factory=set)
    _pids: dict[tuple[str, str | None, str], str] = field(default_factory=dict)

    # -- what this load adds --------------------------------------------------------------

    def add_enterprise(self, uscc: str, name: str | None, org_code: str | None = None,
                       reg_no: str | None = None, tax_no: str | None = None) -> None:
        if name:
            old = self.enterprises.get(uscc)
            if old and normalize_name(old) != normalize_name(name):
                self.names[normalize_name(old)].discard(uscc)
            self.names[normalize_name(name)].add(uscc)
        self.enterprises[uscc] = name or self.enterprises.get(uscc) or ""
        self.org_codes.setdefault(org_code_of_uscc(uscc), uscc)
        for table, code in ((self.org_codes, org_code), (self.reg_nos, reg_no),
                            (self.tax_nos, tax_no)):
            if code:
                table[code] = uscc

    def add_person(self, pid: str) -> None:
        self.persons.add(pid)

    def add_overseas(self, entity_id: str, name: str) -> None:
        self.overseas[entity_id] = name

    def add_department(self, code: str, name: str) -> None:
        self.departments[code] = name
        self.department_names[normalize_name(name)].add(code)

    def add_record(self, label: str, key: str, date: Any, subject: str,
                   list_kind: str | None = None, target: str | None = None) -> None:
        if not self.keep_records:
            return
        facts = self.records.get((label, key))
        if facts is None:
            self.records[(label, key)] = RecordFacts(date, {subject}, list_kind, target=target)
        else:
            facts.date, facts.list_kind = date or facts.date, list_kind or facts.list_kind
            facts.target = target or facts.target
            facts.subjects.add(subject)

    def record(self, label: str, key: str) -> RecordFacts | None:
        """A penalty, list entry or repair decision of this load or the store (the store is
        asked once per key; its rows are one per subject)."""
        if self.record_lookup is not None and ("record:" + label, key) not in self._asked:
            self._asked.add(("record:" + label, key))
            for row in self.record_lookup(label, [key]):
                facts = self.records.setdefault((label, key), RecordFacts(row["date"], set()))
                if row.get("subject"):
                    facts.subjects.add(row["subject"])
                    if row.get("repair_id"):
                        facts.repairs.setdefault(row["subject"], row["repair_id"])
                facts.date = facts.date or row["date"]
                facts.list_kind = facts.list_kind or row.get("list_kind") or None
                if row.get("target_label"):
                    facts.target = facts.target or repair_target(
                        row["target_label"], row["target_key"], row["subject"])
        return self.records.get((label, key))

    # -- asking the store ahead of a chunk --------------------------------------------------

    def prefetch(self, codes: Iterable[CodeCheck], names: Iterable[str] = (),
                 department_codes: Iterable[str] = (),
                 department_names: Iterable[str] = (),
                 entity_ids: Iterable[str] = (), person_keys: Iterable[str] = ()) -> None:
        """Batch the store look-ups a chunk of rows will need."""
        if self.lookup is None:
            return
        wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
        for entity_id in entity_ids:
            if entity_id not in self.overseas:
                wanted[("OverseasEntity", "entity_id")].add(entity_id)
        for pid in person_keys:
            if pid not in self.persons:
                wanted[("Person", "pid")].add(pid)
        for check in codes:
            if not check.usable:
                continue
            code = check.normalized
            if check.kind == "uscc" and code not in self.enterprises:
                wanted[("Enterprise", "uscc")].add(code)
                wanted[("Enterprise", "org_code")].add(org_code_of_uscc(code))
            elif check.kind == "org_code" and code not in self.org_codes:
                wanted[("Enterprise", "org_code")].add(code)
            elif check.kind == "reg_no" and code not in self.reg_nos:
                wanted[("Enterprise", "reg_no")].add(code)
            elif check.personal and self.secret:
                pid = self.pid(check)
                if pid not in self.persons:
                    wanted[("Person", "pid")].add(pid)
        for name in names:
            key = normalize_name(name)
            if key and not self.names.get(key):
                wanted[("Enterprise", "name_normalized")].add(key)
        for code in department_codes:
            if code not in self.departments:
                wanted[("Department", "code")].add(code)
        for name in department_names:
            if not self.department_names.get(normalize_name(name)):
                wanted[("Department", "name")].add(name)
        for (label, prop), values in wanted.items():
            fresh = sorted(v for v in values if (prop, v) not in self._asked)
            if not fresh:
                continue
            self._asked.update((prop, v) for v in fresh)
            for row in self.lookup(label, prop, fresh):
                self._remember(label, prop, row)

    def _remember(self, label: str, prop: str, row: dict) -> None:
        if label == "Person":
            self.persons.add(row["key"])
            if row.get("resolved_to"):
                self.resolved.setdefault(row["key"], row["resolved_to"])
        elif label == "OverseasEntity":
            self.add_overseas(row["key"], row.get("name") or "")
        elif label == "Department":
            self.add_department(row["key"], row.get("name") or "")
        else:
            uscc = row["key"]
            if uscc not in self.enterprises:
                self.add_enterprise(uscc, row.get("name"))
            if prop == "reg_no":
                self.reg_nos[row["value"]] = uscc
            elif prop == "org_code":
                self.org_codes.setdefault(row["value"], uscc)

    # -- resolving --------------------------------------------------------------------------

    def pid(self, check: CodeCheck) -> str:
        if self.secret is None:
            raise Unresolved("CREDITGRAPH_ID_KEY is not set, so ID numbers cannot be keyed")
        memo = (check.kind, check.doc_type, check.normalized)
        pid = self._pids.get(memo)
        if pid is None:  # a keyed hash is costly; a feed names the same persons many times
            if len(self._pids) >= PID_MEMO:
                self._pids.clear()
            pid = self._pids[memo] = document_key(check, self.secret)
        return pid

    def unresolved_pid(self, scope: str, name: str) -> str:
        """The key of a person named without a number in one firm's records: the firm and the
        name, keyed like a document, so the same name in another firm is another subject."""
        if self.secret is None:
            raise Unresolved("CREDITGRAPH_ID_KEY is not set, so persons cannot be keyed")
        text = f"unresolved:{scope}:{normalize_name(name)}"
        return hmac.new(self.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def overseas_entity(self, entity_id: str) -> Subject | None:
        return Subject("OverseasEntity", entity_id) if entity_id in self.overseas else None

    def subject(self, check: CodeCheck) -> Subject | None:
        """The subject a checked code names, if it is in the graph or this load."""
        code = check.normalized
        if check.kind == "uscc":
            return Subject("Enterprise", code) if code in self.enterprises else None
        if check.kind == "org_code":
            uscc = self.org_codes.get(code)
            return Subject("Enterprise", uscc) if uscc else None
        if check.kind == "reg_no":
            uscc = self.reg_nos.get(code)
            return Subject("Enterprise", uscc) if uscc else None
        if check.personal:
            pid = self.pid(check)
            return Subject("Person", pid) if pid in self.persons else None
        return None

    def tax_subject(self, tax_no: str) -> Subject | None:
        uscc = self.tax_nos.get(tax_no)
        return Subject("Enterprise", uscc) if uscc else None

    def by_name(self, name: str) -> Subject:
        matches = sorted(self.names.get(normalize_name(name), ()))
        if not matches:
            raise Unresolved(f"no enterprise is named {name!r}")
        if len(matches) > 1:
            raise Unresolved(f"ambiguous name {name!r}: {len(matches)} enterprises have it "
                             f"({', '.join(matches[:3])}{' …' if len(matches) > 3 else ''})")
        return Subject("Enterprise", matches[0])

    def department(self, code: str | None, name: str | None) -> str | None:
        if code and code in self.departments:
            return code
        if name:
            codes = self.department_names.get(normalize_name(name), set())
            if len(codes) == 1:
                return next(iter(codes))
        return None
