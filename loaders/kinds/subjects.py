"""Subjects: departments, enterprises (with their legal representatives), persons with any
identity document, overseas entities, and the mapping from legacy codes to unified social
credit codes."""

from __future__ import annotations

from creditgraph.graph import countries, divisions
from creditgraph.graph.documents import NAMES
from creditgraph.graph.identifiers import (
    CodeCheck,
    check_org_code,
    check_reg_no,
    check_uscc,
    org_code_of_uscc,
)
from creditgraph.loaders.context import (
    Cells,
    Context,
    accept_code,
    department_code,
    person_node,
    shown_code,
)
from creditgraph.loaders.plan import Plan, Reject
from creditgraph.loaders.reading import SourceRow
from creditgraph.loaders.values import normalize_name
from creditgraph.policy import vocabulary


def department(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    code = department_code(cells.code("code", required=True))
    assert code
    name = cells.text("name", required=True)
    assert name
    plan = Plan(("node", "Department", code))
    plan.nodes.append(("Department", {
        "code": code, "name": name, "division": cells.text("division"),
        "level": cells.text("level"), **ctx.stamp,
    }))
    parent = department_code(cells.code("parent_code"))
    if parent and parent != code:
        if ctx.registry.department(parent, None):
            plan.rels.append(("PART_OF", "Department", "Department",
                              {"src_key": code, "dst_key": parent, **ctx.rel_stamp}))
        else:
            plan.warn("parent_code", "no department with this code; parent not linked", parent)
    ctx.registry.add_department(code, name)
    return plan


def preregister_department(row: SourceRow, ctx: Context) -> None:
    """Departments may list a child before its parent: know every code before linking."""
    cells = Cells(row)
    try:
        code = department_code(cells.code("code"))
        name = cells.text("name")
    except Reject:
        return
    if code and name:
        ctx.registry.add_department(code, name)


def enterprise(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    check = check_uscc(cells.code("uscc", required=True) or "")
    uscc = check.normalized
    plan = Plan(("node", "Enterprise", uscc))
    accept_code(ctx, plan, "uscc", check)
    name = cells.text("name", required=True)
    assert name

    reg_no = _legacy(ctx, plan, cells, "reg_no")
    org_code = _legacy(ctx, plan, cells, "org_code") or org_code_of_uscc(uscc)
    if org_code != org_code_of_uscc(uscc):
        plan.warn("org_code", "differs from positions 9-17 of the USCC; both kept", org_code)
    division = cells.text("division") or uscc[2:8]
    if not divisions.known(division):
        plan.warn("division", "not a known division code", division)
    plan.nodes.append(("Enterprise", {
        "uscc": uscc, "name": name, "name_normalized": normalize_name(name),
        "reg_no": reg_no, "org_code": org_code, "tax_no": cells.code("tax_no"),
        "entity_type": cells.text("entity_type") or vocabulary.entity_type(uscc),
        "division": division, "address": cells.text("address"), "phone": cells.text("phone"),
        "established": cells.date("established"), "status": cells.text("status"),
        "industry": cells.text("industry"),
        "registered_capital": cells.number("registered_capital"),
        "code_warning": check.reason if check.severity == "warning" else None, **ctx.stamp,
    }))
    _legal_rep(ctx, plan, cells, uscc)
    ctx.registry.add_enterprise(uscc, name, org_code, reg_no, cells.code("tax_no"))
    return plan


def _legacy(ctx: Context, plan: Plan, cells: Cells, column: str) -> str | None:
    raw = cells.code(column)
    if raw is None:
        return None
    check = (check_reg_no if column == "reg_no" else check_org_code)(raw)
    if check.severity == "error":
        plan.warn(column, f"{check.reason}; legacy code not kept", raw)
        return None
    if check.severity == "warning":
        plan.warn(column, f"{check.reason}; kept", raw)
    return check.normalized


def _legal_rep(ctx: Context, plan: Plan, cells: Cells, uscc: str) -> None:
    """The legal representative, when the row identifies one; a problem here is a warning —
    the enterprise itself still loads."""
    try:
        check = cells.reference("legal_rep_id")
    except Reject as problem:
        plan.warn(problem.column, f"{problem.message}; not linked", problem.value)
        return
    name = cells.text("legal_rep_name")
    if check is None:
        if name:
            plan.warn("legal_rep_id", "legal representative has no ID number; not linked")
        return
    if not check.valid or not check.personal:
        plan.warn("legal_rep_id", f"{document_word(check)}: {check.reason or 'not a person'}; "
                  "not linked", shown_code(check))
        return
    pid = ctx.registry.pid(check)
    if pid not in ctx.registry.persons:
        if not name:
            plan.warn("legal_rep_name", "legal representative unknown and unnamed; not linked")
            return
        plan.nodes.append(("Person", person_node(ctx, pid, check, name)))
        ctx.registry.add_person(pid)
    plan.rels.append(("LEGAL_REP_OF", "Person", "Enterprise",
                      {"src_key": pid, "dst_key": uscc, **ctx.rel_stamp}))


def document_word(check: CodeCheck) -> str:
    kind = check.doc_type or ("resident_id" if check.kind == "resident_id" else "")
    return NAMES.get(kind, "identity document") + " number"


def person_document(cells: Cells, column: str) -> CodeCheck:
    """A person's document number with its type and nationality; anything but a valid
    document rejects the row, naming the type and why."""
    check = cells.reference(column, required=True)
    assert check is not None
    if not check.personal:
        raise Reject(column, "not a person's identity document number (a code of an "
                     "enterprise?); give the 证件类型 (id_type) if it is one", check.input)
    if not check.valid:
        raise Reject(column, f"{document_word(check)}: {check.reason}", shown_code(check))
    return check


def person(row: SourceRow, ctx: Context, civil_servant: bool = False) -> Plan:
    cells = Cells(row)
    check = person_document(cells, "id_number")
    pid = ctx.registry.pid(check)
    name = cells.text("name", required=True)
    assert name
    plan = Plan(("node", "Person", pid))
    node = person_node(ctx, pid, check, name) | {
        "phone": cells.text("phone"), "address": cells.text("address"),
    }
    if civil_servant:
        node["is_civil_servant"] = True
    plan.nodes.append(("Person", node))
    ctx.registry.add_person(pid)
    return plan


def overseas_entity(row: SourceRow, ctx: Context) -> Plan:
    """An entity registered outside the mainland (境外主体), by the registry's own id."""
    cells = Cells(row)
    entity_id = cells.code("entity_id", required=True) or ""
    name = cells.text("name", required=True) or ""
    country_text = cells.text("country", required=True) or ""
    try:
        country = countries.country_code(country_text)
    except countries.UnknownCountry as exc:
        raise Reject("country", str(exc), country_text) from None
    plan = Plan(("node", "OverseasEntity", entity_id))
    plan.nodes.append(("OverseasEntity", {
        "entity_id": entity_id, "name": name, "name_zh": cells.text("name_zh"),
        "country": country, "registration_no": cells.text("registration_no"), **ctx.stamp,
    }))
    ctx.registry.add_overseas(entity_id, name)
    return plan


def code_mapping(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    check = check_uscc(cells.code("uscc", required=True) or "")
    uscc = check.normalized
    plan = Plan(("node", "Enterprise", uscc))
    accept_code(ctx, plan, "uscc", check)
    if uscc not in ctx.registry.enterprises:
        raise Reject("uscc", "no enterprise with this USCC in the graph or this load", uscc)
    legacy = cells.code("legacy_code", required=True) or ""
    stated = cells.text("legacy_type")
    kind = vocabulary.canonical("legacy_types", stated) if stated else None
    if stated and kind is None:
        raise Reject("legacy_type", f"unknown code type; one of "
                     f"{', '.join(vocabulary.choices('legacy_types'))}", stated)
    if kind is None:
        kind = {15: "reg_no", 9: "org_code"}.get(len(legacy.replace("-", "")), "tax_no")
    if kind == "tax_no":
        code = legacy.strip().upper()
    else:
        legacy_check = (check_reg_no if kind == "reg_no" else check_org_code)(legacy)
        if legacy_check.severity == "error":
            raise Reject("legacy_code", legacy_check.reason, legacy)
        if legacy_check.severity == "warning":
            plan.warn("legacy_code", f"{legacy_check.reason}; kept", legacy)
        code = legacy_check.normalized
        if kind == "org_code" and code != org_code_of_uscc(uscc):
            plan.warn("legacy_code", "organisation code differs from positions 9-17 of the USCC",
                      code)
    plan.nodes.append(("Enterprise", {"uscc": uscc, "name": ctx.registry.enterprises[uscc],
                                      kind: code, **ctx.stamp}))
    ctx.registry.add_enterprise(uscc, None, **{kind: code})
    return plan
