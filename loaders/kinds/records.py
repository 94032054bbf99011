"""Records about subjects: penalties and licenses (双公示), red and black list entries, credit
commitments."""

from __future__ import annotations

from creditgraph.graph.identifiers import CodeCheck, normalize_code
from creditgraph.loaders.context import (
    Cells,
    Context,
    accept_code,
    department_code,
    known_subject,
    link_issuer,
    person_node,
    shown_code,
)
from creditgraph.loaders.plan import Plan, Reject
from creditgraph.loaders.reading import SourceRow
from creditgraph.loaders.registry import Subject, Unresolved
from creditgraph.loaders.values import normalize_name
from creditgraph.policy import vocabulary

# Where a 双公示 row may carry its subject's code, in the order they are tried.
SUBJECT_COLUMNS = ("subject_uscc", "subject_code", "subject_org_code", "subject_reg_no",
                   "subject_id_number", "subject_tax_no")


# Kept as given, so that the 双公示 export can name them (publication/shuanggongshi.py).
SOURCE_TEXTS = {"data_source": "data_source", "remark": "remark"}


def penalty(row: SourceRow, ctx: Context) -> Plan:
    return _decision(row, ctx, "Penalty", "penalty_id", "PENALIZED", {
        "violation_type": "violation_type", "facts": "facts", "basis": "basis",
        "category": "category", "content": "content", **SOURCE_TEXTS,
    }, numbers=("fine_amount", "confiscated_amount"), dates=("valid_until", "publish_until"))


def license_(row: SourceRow, ctx: Context) -> Plan:
    return _decision(row, ctx, "License", "license_id", "LICENSED", {
        "document_name": "document_name", "license_type": "license_type",
        "certificate_name": "certificate_name", "license_no": "license_no",
        "content": "content", "status": "status", **SOURCE_TEXTS,
    }, numbers=(), dates=("valid_from", "valid_to"))


def decision_key(authority_code: str | None, authority: str, decision_no: str) -> str:
    """A penalty's or license's key: the deciding authority (its code, else its name) and the
    decision number, which is unique only within that authority."""
    return f"{authority_code or normalize_name(authority)}|{normalize_code(decision_no)}"


def _decision(row: SourceRow, ctx: Context, label: str, key_name: str, link: str,
              texts: dict[str, str], numbers: tuple[str, ...], dates: tuple[str, ...]) -> Plan:
    cells = Cells(row)
    decision_no = cells.text("decision_no", required=True) or ""
    authority = cells.text("authority", required=True) or ""
    authority_code = department_code(cells.code("authority_code"))
    key = decision_key(authority_code, authority, decision_no)
    plan = Plan(("node", label, key))
    subject, code = _decision_subject(ctx, plan, cells)
    decision_date = cells.date("decision_date", required=True)
    publish_date = cells.date("publish_date")
    if decision_date and publish_date and publish_date < decision_date:
        plan.warn("publish_date", f"published ({publish_date}) before the decision "
                  f"({decision_date})")
    node = {
        key_name: key, "decision_no": decision_no, "subject_name": cells.text("subject_name"),
        "subject_code": code, "decision_date": decision_date, "publish_date": publish_date,
        "authority": authority, "authority_code": authority_code, **ctx.stamp,
    }
    node |= {prop: cells.text(column) for prop, column in texts.items()}
    node["data_source_code"] = department_code(cells.code("data_source_code"))
    node |= {column: cells.number(column) for column in numbers}
    node |= {column: cells.date(column) for column in dates}
    plan.nodes.append((label, node))
    if label == "Penalty":  # what a repair decision in this load may name
        ctx.registry.add_record(label, key, decision_date, subject.key)
    plan.rels.append((link, label, subject.label,
                      {"src_key": key, "dst_key": subject.key, **ctx.rel_stamp}))
    if authority_code and not ctx.registry.department(authority_code, None):
        plan.nodes.append(("Department", {"code": authority_code, "name": authority, **ctx.stamp}))
        ctx.registry.add_department(authority_code, authority)
    link_issuer(ctx, plan, label, key, authority_code, authority)
    return plan


def _decision_subject(ctx: Context, plan: Plan, cells: Cells) -> tuple[Subject, str | None]:
    """The subject of a 双公示 row: the first of its codes that names a known subject; else a
    valid USCC or ID number creates the subject with the row's name; else the name alone, when
    exactly one enterprise has it."""
    name = cells.text("subject_name", required=True) or ""
    first_code: str | None = None
    creatable: CodeCheck | None = None
    for column in SUBJECT_COLUMNS:
        raw = cells.code(column)
        if raw is None:
            continue
        if column == "subject_tax_no":
            subject = ctx.registry.tax_subject(raw.strip().upper())
            first_code = first_code or raw.strip().upper()
            if subject:
                return subject, first_code
            continue
        check = cells.reference(column)
        assert check is not None
        if check.severity == "error":
            plan.warn(column, f"not a usable code: {check.reason}", raw)
            continue
        first_code = first_code or shown_code(check)
        try:
            subject = ctx.registry.subject(check)
        except Unresolved as exc:
            raise Reject(column, str(exc)) from None
        if subject:
            if check.severity == "warning":
                accept_code(ctx, plan, column, check)
            return subject, first_code
        if creatable is None and (check.kind == "uscc" or check.personal):
            creatable = accept_code(ctx, plan, column, check)
            if check.personal and not check.valid:
                creatable = None
    if creatable is not None:
        return _create_subject(ctx, plan, creatable, name), first_code
    try:
        return ctx.registry.by_name(name), first_code
    except Unresolved as exc:
        raise Reject("subject_name", f"{exc}; and no usable subject code in this row",
                     name) from None


def _create_subject(ctx: Context, plan: Plan, check: CodeCheck, name: str) -> Subject:
    """A subject first seen in a record (say, a firm from another city penalised here)."""
    if check.personal:
        pid = ctx.registry.pid(check)
        plan.nodes.append(("Person", person_node(ctx, pid, check, name)))
        ctx.registry.add_person(pid)
        return Subject("Person", pid)
    uscc = check.normalized
    plan.nodes.append(("Enterprise", {
        "uscc": uscc, "name": name, "name_normalized": normalize_name(name),
        "org_code": uscc[8:17], "division": uscc[2:8],
        "entity_type": vocabulary.entity_type(uscc),
        "code_warning": check.reason if check.severity == "warning" else None, **ctx.stamp,
    }))
    plan.warn("subject_name", "subject was not in the graph; created from this record", name)
    ctx.registry.add_enterprise(uscc, name)
    return Subject("Enterprise", uscc)


def list_entry(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    entry_id = cells.text("entry_id", required=True) or ""
    plan = Plan(("node", "ListEntry", entry_id))
    word = cells.text("list", required=True) or ""
    kind = vocabulary.canonical("list_kinds", word)
    if kind is None:
        raise Reject("list", "red or black (红名单 / 黑名单)", word)
    list_type = cells.text("list_type", required=True) or ""
    if list_type not in vocabulary.words("list_types"):
        plan.warn("list_type", "not a known list type; loaded, but no joint-punishment rule "
                  "applies to it until one is written", list_type)
    status_word = cells.text("status")
    status = vocabulary.canonical("list_statuses", status_word) if status_word else "active"
    if status is None:
        raise Reject("status", f"one of {', '.join(vocabulary.choices('list_statuses'))}",
                     status_word)
    start, end = cells.date("start_date", required=True), cells.date("end_date")
    if start and end and end < start:
        raise Reject("end_date", f"ends ({end}) before it starts ({start})")
    status_date = cells.date("status_date")
    if status != "active" and status_date is None:
        plan.warn("status_date", f"status {status} without the date it took effect")
    reference = cells.reference("subject_code", required=True)
    assert reference is not None
    name = cells.text("subject_name")
    subject, check = _record_subject(ctx, plan, reference, name)
    authority = cells.text("authority", required=True)
    plan.nodes.append(("ListEntry", {
        "entry_id": entry_id, "list_kind": kind, "list_type": list_type,
        "subject_code": shown_code(check), "subject_name": name,
        "reason": cells.text("reason"), "basis": cells.text("basis"), "authority": authority,
        "start_date": start, "end_date": end, "status": status, "status_date": status_date,
        **ctx.stamp,
    }))
    ctx.registry.add_record("ListEntry", entry_id, start, subject.key, kind)
    plan.rels.append(("LISTED", "ListEntry", subject.label,
                      {"src_key": entry_id, "dst_key": subject.key, **ctx.rel_stamp}))
    link_issuer(ctx, plan, "ListEntry", entry_id, None, authority)
    return plan


def _record_subject(ctx: Context, plan: Plan, check: CodeCheck, name: str | None
                    ) -> tuple[Subject, CodeCheck]:
    """A known subject; or, with a name and a valid USCC or document number, a new one."""
    if check.usable:
        try:
            subject = ctx.registry.subject(check)
        except Unresolved as exc:
            raise Reject("subject_code", str(exc)) from None
        creatable = check.kind == "uscc" or (check.personal and check.valid)
        if subject is None and name and creatable:
            accept_code(ctx, plan, "subject_code", check)
            return _create_subject(ctx, plan, check, name), check
    return known_subject(ctx, plan, "subject_code", check)


def commitment(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    commitment_id = cells.text("commitment_id", required=True) or ""
    plan = Plan(("node", "Commitment", commitment_id))
    subject, check = known_subject(ctx, plan, "subject_code",
                                   cells.reference("subject_code", required=True) or "")
    authority = cells.text("authority")
    plan.nodes.append(("Commitment", {
        "commitment_id": commitment_id, "subject_code": shown_code(check),
        "matter": cells.text("matter", required=True), "content": cells.text("content"),
        "commit_date": cells.date("date", required=True), "authority": authority, **ctx.stamp,
    }))
    plan.rels.append(("COMMITTED", subject.label, "Commitment",
                      {"src_key": subject.key, "dst_key": commitment_id, **ctx.rel_stamp}))
    if authority:
        link_issuer(ctx, plan, "Commitment", commitment_id, None, authority)
    return plan
