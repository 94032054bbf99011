"""Links between subjects: control and affiliation relations, civil servants' posts and
integrity files, procurement bids and awards."""

from __future__ import annotations

import hashlib

from graph.identifiers import check_resident_id
from loaders import vocabulary
from loaders.context import Cells, Context, department_code, known_subject, link_issuer
from loaders.kinds.subjects import person
from loaders.plan import Plan, Reject
from loaders.reading import SourceRow

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
    source, _ = known_subject(ctx, draft, "source_id", cells.code("source_id", required=True) or "")
    target, _ = known_subject(ctx, draft, "target_id", cells.code("target_id", required=True) or "")
    spec = ctx.schema.relationship(rel_type)
    if not spec.allows(source.label, target.label):
        raise Reject("relation", f"{rel_type} does not connect {source.label} to {target.label}",
                     word)
    if source == target:
        raise Reject("target_id", "a subject cannot be related to itself")
    plan = Plan(("rel", rel_type, source.label, source.key, target.label, target.key),
                warnings=draft.warnings)
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
    check = check_resident_id(cells.code("id_number", required=True) or "")
    if not check.valid:
        raise Reject("id_number", f"resident ID number: {check.reason}", check.normalized)
    pid = ctx.registry.pid(check)
    if pid not in ctx.registry.persons:
        raise Reject("id_number", "no person with this ID number in the graph or this load "
                     "(load civil_servants or persons first)", check.normalized)
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
