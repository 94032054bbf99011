"""Credit-repair decisions (信用修复决定): a penalty's publication ended early (提前终止公示) or
a black-list entry removed (移出名单), from the decision date on.

A repair names what it repairs — a penalty by its decision number and deciding authority, a
list entry by its id — and the subject it repairs it for: a joint decision (双罚, several
subjects) must say which, and only that subject's penalty leaves public view. A row is refused
unless the record is in the graph or this load (exactly one: a number matching two penalties
is ambiguous), is the kind the repair says, was decided or listed before the repair, has no
other repair for that subject, and the repair is not dated in the future; a repair number
loaded before must name the same record and subject again.

A row writes the Repair node and its REPAIRS link; once the load's rows are written, every
repair is copied onto what it repairs (``Writer.apply_repairs``: ``repaired_on`` and
``repair_id`` on the list entry, or on the subject's PENALIZED link) — properties no penalty or
list file writes, so a record sent again later (status still 在列) cannot undo the repair. The
record's ``updated_at`` moves, so incremental propagation retracts what was derived from a
repaired entry."""

from __future__ import annotations

from creditgraph.graph.identifiers import normalize_code
from creditgraph.loaders.context import Cells, Context, department_code, link_issuer, shown_code
from creditgraph.loaders.kinds.records import decision_key
from creditgraph.loaders.plan import Plan, Reject
from creditgraph.loaders.reading import SourceRow
from creditgraph.loaders.registry import RecordFacts, Unresolved, repair_target
from creditgraph.loaders.values import normalize_name
from creditgraph.policy import vocabulary

TARGET_KIND = {"Penalty": "early_end", "ListEntry": "removal"}
KIND_WORDS = {"early_end": "提前终止公示 (early end of a penalty's publication)",
              "removal": "移出名单 (removal from a black list)"}


def repair(row: SourceRow, ctx: Context) -> Plan:
    cells = Cells(row)
    repair_id = cells.text("repair_id", required=True) or ""
    plan = Plan(("node", "Repair", repair_id))
    decided = cells.date("decision_date", required=True)
    if decided and decided > ctx.now.date():
        raise Reject("decision_date", f"{decided} is after today: a repair is loaded once it "
                     "has been decided")
    authority = cells.text("authority", required=True) or ""
    authority_code = department_code(cells.code("authority_code"))
    label, key, column, facts = _target(ctx, cells)
    kind = _kind(cells, label)
    if label == "ListEntry" and facts.list_kind != "black":
        raise Reject("entry_id", f"a {facts.list_kind or 'red'}-list entry: credit repair "
                     "removes black-list entries only", key)
    if decided and facts.date and decided < facts.date:
        what = "decided" if label == "Penalty" else "listed"
        raise Reject("decision_date", f"the repair ({decided}) comes before the record was "
                     f"{what} ({facts.date})")
    subject, subject_code = _subject(ctx, cells, facts)
    target = repair_target(label, key, subject)
    earlier = ctx.registry.record("Repair", repair_id)
    if earlier is not None and earlier.target and earlier.target != target:
        raise Reject("repair_id", "this repair number was loaded for another record or "
                     "subject; a repair's record cannot change (load the correction under its "
                     "own number)", repair_id)
    other = facts.repairs.get(subject)
    if other and other != repair_id:
        raise Reject(column, f"already repaired by decision {other}; a second repair of one "
                     "record is refused (withdraw or correct the first)", key)
    plan.nodes.append(("Repair", {
        "repair_id": repair_id, "repair_kind": kind, "decision_date": decided,
        "authority": authority, "authority_code": authority_code, "basis": cells.text("basis"),
        "target_label": label, "target_key": key, "subject_key": subject,
        "subject_code": subject_code, "subject_name": cells.text("subject_name"), **ctx.stamp,
    }))
    facts.repairs[subject] = repair_id  # a second repair of it later in this load is refused
    ctx.registry.add_record("Repair", repair_id, decided, subject, target=target)
    plan.rels.append(("REPAIRS", "Repair", label,
                      {"src_key": repair_id, "dst_key": key, **ctx.rel_stamp}))
    link_issuer(ctx, plan, "Repair", repair_id, authority_code, authority)
    return plan


def _target(ctx: Context, cells: Cells) -> tuple[str, str, str, RecordFacts]:
    """The penalty or list entry the row names: exactly one of them."""
    decision_no, entry_id = cells.text("decision_no"), cells.text("entry_id")
    if bool(decision_no) == bool(entry_id):
        raise Reject("entry_id" if entry_id else "decision_no", (
            "name either a penalty (行政处罚决定书文号 with 处罚机关) or a list entry (名单编号), "
            "not both" if entry_id else "name what is repaired: a penalty (行政处罚决定书文号 "
            "with 处罚机关) or a list entry (名单编号)"))
    if entry_id:
        facts = ctx.registry.record("ListEntry", entry_id)
        if facts is None:
            raise Reject("entry_id", "no list entry with this id in the graph or this load",
                         entry_id)
        return "ListEntry", entry_id, "entry_id", facts
    assert decision_no is not None
    name = cells.text("penalty_authority")
    code = department_code(cells.code("penalty_authority_code"))
    if not name and not code:
        raise Reject("penalty_authority", "required with 行政处罚决定书文号: a decision number "
                     "is unique only within the authority that decided it")
    named = ctx.registry.department(None, name) if name else None
    if code and named and named != code:
        raise Reject("penalty_authority_code", f"names another department than 处罚机关 "
                     f"{name} ({named})", code)
    # Stored under the authority's code when the penalty file gave it, else under its name.
    keys = [decision_key(c, "", decision_no) for c in dict.fromkeys((code, named)) if c]
    if name:
        keys.append(decision_key(None, name, decision_no))
    found = [(key, facts) for key in dict.fromkeys(keys)
             if (facts := ctx.registry.record("Penalty", key)) is not None]
    if not found:
        raise Reject("decision_no", f"no penalty {normalize_code(decision_no)} by "
                     f"{code or normalize_name(name or '')} in the graph or this load",
                     decision_no)
    if len(found) > 1:
        raise Reject("decision_no", f"matches {len(found)} penalty records "
                     f"({', '.join(k for k, _ in found)}): loaded once with the authority's "
                     "code and once without; which one is repaired is not guessed",
                     decision_no)
    key, facts = found[0]
    return "Penalty", key, "decision_no", facts


def _kind(cells: Cells, label: str) -> str:
    """The repair's kind, from its column when given (and then it must fit the record)."""
    word = cells.text("repair_kind")
    if word is None:
        return TARGET_KIND[label]
    kind = vocabulary.canonical("repair_kinds", word)
    if kind is None:
        raise Reject("repair_kind", "one of 提前终止公示 (early_end), 移出名单 (removal)", word)
    if kind != TARGET_KIND[label]:
        raise Reject("repair_kind", f"{KIND_WORDS[kind]} does not apply to a "
                     f"{'penalty' if label == 'Penalty' else 'list entry'}; it takes "
                     f"{KIND_WORDS[TARGET_KIND[label]]}", word)
    return kind


def _subject(ctx: Context, cells: Cells, facts: RecordFacts) -> tuple[str, str | None]:
    """The subject repaired (its key, and the code as the row gave it, masked): the row's
    subject code, which must be one of the record's subjects — a mistyped id must not repair
    someone else's record; without one, the record's only subject."""
    check = cells.reference("subject_code")
    if check is None:
        if len(facts.subjects) != 1:
            raise Reject("subject_code", f"a joint decision concerning {len(facts.subjects)} "
                         "subjects: name the one repaired (主体代码)")
        return next(iter(facts.subjects)), None
    if not check.usable:
        raise Reject("subject_code", f"not a usable code: {check.reason}", shown_code(check))
    try:
        subject = ctx.registry.subject(check)
    except Unresolved as exc:
        raise Reject("subject_code", str(exc)) from None
    if subject is None or subject.key not in facts.subjects:
        raise Reject("subject_code", "is not the subject of the record repaired",
                     shown_code(check))
    return subject.key, shown_code(check)
