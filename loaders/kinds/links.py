"""Links between subjects: control and affiliation relations, civil servants' posts and
integrity files, procurement bids and awards."""

from __future__ import annotations

import hashlib

from creditgraph.graph.identifiers import mask_document_number
from creditgraph.loaders.context import (
    Cells,
    Context,
    department_code,
    known_subject,
    link_issuer,
    shown_code,
)
from creditgraph.loaders.kinds.subjects import person, person_document
from creditgraph.loaders.plan import Plan, Reject
from creditgraph.loaders.reading import SourceRow
from creditgraph.loaders.registry import Subject
from creditgraph.policy import vocabulary

RELATION_TYPES = ("LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF",
                  "BRANCH_OF", "RELATIVE_OF")


def relation(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    word = cells.text("relation", required=True) or ""
    rel_type = vocabulary.canonical("relations", word)
    if rel_type not in RELATION_TYPES:
        raise Reject("relation", "unknown relation; one of "
                     f"{', '.join(vocabulary.choices('relations'))} (or their Chinese names)",
                     word)
    draft = Plan(("rel", rel_type))
    target, _ = known_subject(ctx, draft, "target_id", cells.reference("target_id", True) or "",
                              overseas=True)
    source = _relation_source(ctx, draft, cells, rel_type, target)
    spec = ctx.schema.relationship(rel_type)
    if not spec.allows(source.label, target.label):
        raise Reject("relation", f"{rel_type} does not connect {source.label} to {target.label}",
                     word)
    if source == target:
        raise Reject("target_id", "a subject cannot be related to itself")
    plan = Plan(("rel", rel_type, source.label, source.key, target.label, target.key),
                nodes=draft.nodes, warnings=draft.warnings)
    start, end = cells.date("start_date"), cells.date("end_date")
    if start and end and end < start:
        raise Reject("end_date", f"ends ({end}) before it starts ({start})")
    props: dict = {"start_date": start, "end_date": end, "ended_by": "source" if end else None}
    if rel_type == "SHAREHOLDER_OF":
        props["ratio"] = cells.ratio("ratio")
    elif cells.text("ratio"):
        plan.warn("ratio", f"a share only applies to SHAREHOLDER_OF; ignored for {rel_type}")
    if rel_type == "EXECUTIVE_OF":
        props["role"] = cells.text("role") or (word if word != rel_type.lower() else None)
    if rel_type == "RELATIVE_OF":
        props["kind"] = cells.text("kind") or (word if word != rel_type.lower() else None)
    plan.rels.append((rel_type, source.label, target.label,
                      {"src_key": source.key, "dst_key": target.key, **props, **ctx.rel_stamp}))
    return plan


# A natural person a firm's public record names without a number: 自然人股东, executives.
NAME_ONLY_TYPES = ("SHAREHOLDER_OF", "EXECUTIVE_OF", "LEGAL_REP_OF", "ACTUAL_CONTROLLER_OF")


def _relation_source(ctx: Context, plan: Plan, cells: Cells, rel_type: str,
                     target: Subject) -> Subject:
    """Who the relation starts from: a subject named by code or document number; or, for a
    person given only by name (or a masked number) in a firm's record, an unresolved person
    scoped to that firm. A row that gives both the number and the name resolves the unresolved
    person of the same name in the same firm (recorded on it, with the source)."""
    raw = cells.code("source_id")
    name = cells.text("source_name")
    if raw and "*" not in raw:
        check = cells.reference("source_id")
        assert check is not None
        subject, check = known_subject(ctx, plan, "source_id", check, overseas=True)
        if name and subject.label == "Person" and target.label == "Enterprise":
            _resolve(ctx, plan, ctx.registry.unresolved_pid(target.key, name), subject.key, name,
                     target.key)
        return subject
    if not name:
        raise Reject("source_id", "required value is empty (or masked) and no source_name "
                     "names the party")
    if rel_type not in NAME_ONLY_TYPES or target.label != "Enterprise":
        raise Reject("source_id", "a party named only by name can hold "
                     f"{', '.join(NAME_ONLY_TYPES)} of an enterprise, nothing else", name)
    pid = ctx.registry.unresolved_pid(target.key, name)
    if pid in ctx.registry.resolved:  # an earlier row with a number said who this is
        plan.warn("source_id", "named without a document number; this firm's person of that "
                  "name was resolved earlier: linked to them", name)
        return Subject("Person", ctx.registry.resolved[pid])
    ctx.registry.unresolved_rows += 1
    plan.warn("source_id", "a natural person named without a document number: loaded as an "
              "unresolved person of this firm only (never merged by name)", name)
    if pid not in ctx.registry.persons:
        plan.nodes.append(("Person", {"pid": pid, "name": name, "unresolved": True,
                                      "scope": target.key,
                                      "id_masked": mask_document_number(raw) if raw else None,
                                      **ctx.stamp}))
        ctx.registry.add_person(pid)
    return Subject("Person", pid)


def _resolve(ctx: Context, plan: Plan, unresolved: str, pid: str, name: str,
             scope: str) -> None:
    """The person of this name in this firm is the one the row's number names. Recorded on the
    firm's unresolved person — created already resolved when no name-only row came first, so
    that one coming later (this load or another) links to the real person, never doubling."""
    if ctx.registry.resolved.get(unresolved) == pid:
        return
    if unresolved in ctx.registry.persons:
        ctx.registry.resolved_now.add(unresolved)
    else:
        ctx.registry.add_person(unresolved)
    ctx.registry.resolved[unresolved] = pid
    plan.nodes.append(("Person", {"pid": unresolved, "name": name, "unresolved": True,
                                  "scope": scope, "resolved_to": pid,
                                  "resolved_by": f"{ctx.source} {ctx.file} load {ctx.load_id}",
                                  "resolved_at": ctx.now}))


def civil_servant(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    code = department_code(cells.code("department_code", required=True))
    department = ctx.registry.department(code, None)
    if department is None:
        raise Reject("department_code", "no department with this code in the graph or this load",
                     code)
    subject = person(row, ctx, civil_servant=True)
    pid = subject.primary[2]
    start, end = cells.date("start_date"), cells.date("end_date")
    if start and end and end < start:
        raise Reject("end_date", f"ends ({end}) before it starts ({start})")
    plan = Plan(("rel", "SERVES_IN", "Person", pid, "Department", department),
                nodes=subject.nodes, warnings=subject.warnings)
    plan.rels.append(("SERVES_IN", "Person", "Department", {
        "src_key": pid, "dst_key": department, "position": cells.text("position"),
        "rank": cells.text("rank"), "start_date": start, "end_date": end,
        "ended_by": "source" if end else None, **ctx.rel_stamp,
    }))
    return plan


def integrity_record(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    check = person_document(cells, "id_number")
    pid = ctx.registry.pid(check)
    if pid not in ctx.registry.persons:
        raise Reject("id_number", "no person with this document number in the graph or this "
                     "load (load civil_servants or persons first)", shown_code(check))
    record_type = cells.text("record_type", required=True) or ""
    if record_type not in vocabulary.words("record_types"):
        raise Reject("record_type", f"one of {', '.join(vocabulary.words('record_types'))}",
                     record_type)
    date = cells.date("date", required=True)
    content, authority, result = cells.text("content"), cells.text("authority"), cells.text(
        "result")
    identity = "|".join(str(p) for p in (pid, record_type, date, content, authority, result))
    record_id = "IR-" + hashlib.sha256(identity.encode()).hexdigest()[:24]
    plan = Plan(("node", "IntegrityRecord", record_id))
    if record_type == "年度考核" and result not in vocabulary.words("assessment_results"):
        plan.warn("result", "an annual assessment result is one of "
                  f"{', '.join(vocabulary.words('assessment_results'))}", result)
    plan.nodes.append(("IntegrityRecord", {
        "record_id": record_id, "record_type": record_type, "record_date": date,
        "result": result, "content": content, "authority": authority, **ctx.stamp,
    }))
    plan.rels.append(("RECORD_OF", "IntegrityRecord", "Person",
                      {"src_key": record_id, "dst_key": pid, **ctx.rel_stamp}))
    link_issuer(ctx, plan, "IntegrityRecord", record_id, None, authority)
    return plan


def procurement(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    project = cells.text("project_id", required=True) or ""
    draft = Plan(("rel",))
    bidder, _ = known_subject(ctx, draft, "bidder_code", cells.code("bidder_code", required=True)
                              or "")
    if bidder.label != "Enterprise":
        raise Reject("bidder_code", "a bidder must be an enterprise (unified social credit code)")
    plan = Plan(("rel", "BID_ON", "Enterprise", bidder.key, "ProcurementProject", project),
                warnings=draft.warnings)
    date = cells.date("date")
    purchaser = department_code(cells.code("purchaser_code"))
    plan.nodes.append(("ProcurementProject", {
        "project_id": project, "name": cells.text("project_name"), "purchaser_code": purchaser,
        "project_date": date, **ctx.stamp,
    }))
    plan.rels.append(("BID_ON", "Enterprise", "ProcurementProject",
                      {"src_key": bidder.key, "dst_key": project, "bid_date": date,
                       **ctx.rel_stamp}))
    if cells.flag("awarded"):
        plan.rels.append(("AWARDED_TO", "ProcurementProject", "Enterprise", {
            "src_key": project, "dst_key": bidder.key, "award_date": date,
            "amount": cells.number("amount"), **ctx.rel_stamp,
        }))
    if purchaser:
        if ctx.registry.department(purchaser, None):
            plan.rels.append(("PURCHASED_BY", "ProcurementProject", "Department",
                              {"src_key": project, "dst_key": purchaser, **ctx.rel_stamp}))
        else:
            plan.warn("purchaser_code", "no department with this code; purchaser not linked",
                      purchaser)
    return plan
