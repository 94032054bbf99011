"""Alerts into cases, and the people working them.

A hit (alerts/evaluate.py) whose fingerprint was never raised becomes an alert, which opens the
case of its rule and subject or joins it: a case open or in progress takes the new evidence; a
dismissed case is reopened; a confirmed one keeps its status. Each change is an event in the
case's history with the evidence added and gone. The same evidence found again changes nothing;
evidence all gone, or back to what was raised before, is recorded in the history without an
alert. The alert node is written last: a run killed half-way is finished by the next one.

People act on cases by role (access/users.py): viewers see nothing of cases; investigators list
and read them, comment, and move the cases assigned to them from open to in progress;
supervisors (and admins) also assign, confirm, dismiss and reopen. Every change is written to
the case's history and to the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from creditgraph.access import audit
from creditgraph.access.users import User
from creditgraph.alerts.evaluate import Evaluation, Hit, Watched
from creditgraph.alerts.rules import AlertRules
from creditgraph.graph.documents import mask_personal_text
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore, Merge
from creditgraph.queries.library import run

STATUSES = ("open", "in_progress", "confirmed", "dismissed")
SYSTEM = "system"
SUPERVISOR_ONLY = ("civil_servant_finding",)  # civil-servant material (access/users.py)
MAX_COMMENT = 2000
CASE_CHUNK = 5000  # case ids a query reads at once


class CaseError(CreditGraphError):
    """A case action that is not allowed or names nothing."""


@dataclass
class RunReport:
    as_of: str
    hits: int = 0
    new_alerts: int = 0
    opened: int = 0
    joined: int = 0
    reopened: int = 0
    unchanged: int = 0
    cleared: int = 0  # cases whose evidence is all gone (recorded; nobody is alerted)
    recurred: int = 0  # cases whose evidence went back to what was raised before (recorded)
    cases: list[str] = field(default_factory=list)  # cases opened, joined or reopened
    notices: list[dict[str, Any]] = field(default_factory=list)  # one per new alert (webhooks)


def case_id_of(rule: str, label: str, key: str) -> str:
    """One case per rule and subject: the same subject under another rule is another case."""
    digest = hashlib.sha256(f"{rule}|{label}:{key}".encode()).hexdigest()[:12].upper()
    return f"AJ-{digest}"


def record_hits(store: GraphStore, rules: AlertRules, found: Evaluation | Sequence[Hit],
                as_of: dt.date, now: dt.datetime | None = None) -> RunReport:
    """Raise each hit not raised before; returns what happened to the cases.

    Given an ``Evaluation``, a case of a rule it evaluated on a subject it asked about, without
    a hit now, has lost its evidence: that is recorded in its history (and its evidence
    emptied), without an alert. Evidence that goes back to what was raised before is recorded
    the same way: the same evidence never raises a second alert.

    Written in one transaction where the store can (``merge_together``), else in batches,
    kill-safe in this order: the events (each id from case and fingerprint, or from the case
    as read) before the cases, the cases, their links, and the alerts last — an alert counts
    as raised only once linked to its case, so a run that died anywhere is completed by the
    next one, without a second event."""
    now = now or dt.datetime.now(dt.UTC)
    hits = found.hits if isinstance(found, Evaluation) else list(found)
    report = RunReport(as_of.isoformat(), hits=len(hits))
    raised_rows, stored_rows = store.side_by_side(  # what was raised; the cases as they are
        partial(run, store, "alert-fingerprints", fingerprints=[h.fingerprint for h in hits]),
        partial(run, store, "cases-by-ids", case_ids=sorted({case_id_of(h.rule, h.label, h.key)
                                                              for h in hits}))
    ) if hits else ([], [])
    raised = {row["fingerprint"] for row in raised_rows}
    stored = {row["case_id"]: row for row in stored_rows}
    titles = rules.by_name()
    writes = _Writes(now)
    for hit in hits:
        case_id = case_id_of(hit.rule, hit.label, hit.key)
        case = stored.get(case_id)
        if hit.fingerprint in raised:
            if case is not None and case["fingerprint"] != hit.fingerprint:
                writes.settle(case, hit, "evidence_changed")  # back to what was raised
                report.recurred += 1
            else:
                report.unchanged += 1
            continue
        event_id = _event_id(case_id, case["fingerprint"] if case else "", hit.fingerprint)
        rule = titles.get(hit.rule)
        change: dict[str, Any] = {"added": list(hit.items), "gone": []}
        status = "open"
        if case is None:
            writes.event(case_id, "opened", {"rule": hit.rule, "added": list(hit.items)},
                         event_id, new_case=True)
            writes.case(case_id, hit, status="open", alerts=1, opened_at=now,
                        title=rule.title if rule else hit.rule,
                        severity=rule.severity if rule else None,
                        restricted=bool(rule and rule.kind in SUPERVISOR_ONLY))
            report.opened += 1
        elif case["fingerprint"] != hit.fingerprint:  # equal: a run died after the case
            change = _difference(case, hit)
            # only new evidence reopens a dismissed case (an entry repaired, a decision
            # published at last, is recorded but asks nobody to look again)
            reopen = case["status"] == "dismissed" and bool(change["added"])
            status = "open" if reopen else case["status"]
            if reopen:
                change["status"] = ["dismissed", "open"]
            writes.event(case_id, "reopened" if reopen else "evidence_changed", change,
                         event_id)
            writes.case(case_id, hit, status=status, alerts=int(case["alerts"] or 0) + 1)
            report.reopened += reopen
            report.joined += not reopen
        else:  # a run died after writing the case: its events may wait for their links
            status = case["status"]
            writes.unlinked.append(case_id)
        if not hit.key.startswith("name:"):  # a department known only by name has no node
            writes.concerns.setdefault(hit.label, []).append(_pair(case_id, hit.key, now))
        writes.alerts.append({"fingerprint": hit.fingerprint, "case_id": case_id,
                              "rule": hit.rule, "raised_at": now, "updated_at": now,
                              "evidence": _evidence(hit)})
        report.new_alerts += 1
        report.cases.append(case_id)
        report.notices.append({
            "case_id": case_id, "rule": hit.rule, "title": rule.title if rule else hit.rule,
            "severity": rule.severity if rule else None, "status": status,
            "subject": f"{hit.label}:{hit.key}", "subject_name": hit.name,
            "added": change.get("added", []), "gone": change.get("gone", []),
            "raised_at": now.isoformat(), "fingerprint": hit.fingerprint})
    if isinstance(found, Evaluation):
        report.cleared = _clear(store, found, writes)
    writes.flush(store)
    return report


class _Writes:
    """What an alert run writes, gathered and then written in batches in a kill-safe order."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.events: list[dict[str, Any]] = []
        self.cases: list[dict[str, Any]] = []
        self.event_links: list[dict[str, Any]] = []  # events of cases already stored
        self.new_case_links: list[dict[str, Any]] = []  # events of cases this run opens
        self.unlinked: list[str] = []  # cases whose events a killed run may have left unlinked
        self.concerns: dict[str, list[dict[str, Any]]] = {}
        self.alerts: list[dict[str, Any]] = []

    def event(self, case_id: str, action: str, detail: dict[str, Any], event_id: str,
              new_case: bool = False) -> None:
        self.events.append({"event_id": event_id, "case_id": case_id, "at": self.now,
                            "actor": SYSTEM, "action": action, "updated_at": self.now,
                            "detail": json.dumps(detail, ensure_ascii=False)})
        links = self.new_case_links if new_case else self.event_links
        links.append(_pair(event_id, case_id, self.now))

    def case(self, case_id: str, hit: Hit, *, status: str, alerts: int, **extra: Any) -> None:
        self.cases.append({
            "case_id": case_id, "rule": hit.rule, "subject_label": hit.label,
            "subject_key": hit.key, "subject_name": hit.name, "status": status,
            "fingerprint": hit.fingerprint, "alerts": alerts, "updated_at": self.now,
            "evidence": _evidence(hit), **extra})

    def settle(self, case: dict[str, Any], hit: Hit, action: str) -> None:
        """A change of evidence that raises no alert: all of it gone, or back to what was
        raised before. The event's id comes from the case as read and the new evidence, so a
        run killed before the case is written writes the same event again, not a second."""
        event_id = _event_id(case["case_id"], f"{case['fingerprint']}|{case['updated_at']}",
                             hit.fingerprint)
        self.event(case["case_id"], action, _difference(case, hit), event_id)
        self.case(case["case_id"], hit, status=case["status"], alerts=int(case["alerts"] or 0))

    def flush(self, store: GraphStore) -> None:
        """Events and their links to stored cases before the cases change (a run that dies
        then has changed no case); the new cases, their events' links; links, alerts last."""
        if self.unlinked:
            self.new_case_links += [_pair(row["event_id"], row["case_id"], self.now) for row in
                                    run(store, "case-event-ids", case_ids=self.unlinked)]
        store.merge_together([  # one transaction where the store can (graph/store.py)
            Merge.nodes("CaseEvent", self.events),
            Merge.relationships("EVENT_OF", "CaseEvent", "InvestigationCase", self.event_links),
            Merge.nodes("InvestigationCase", self.cases),
            Merge.relationships("EVENT_OF", "CaseEvent", "InvestigationCase",
                                self.new_case_links),
            *(Merge.relationships("CONCERNS", "InvestigationCase", label, pairs)
              for label, pairs in sorted(self.concerns.items())),
            Merge.nodes("Alert", self.alerts),
            Merge.relationships("ALERT_OF", "Alert", "InvestigationCase", [
                _pair(a["fingerprint"], a["case_id"], self.now) for a in self.alerts])])


def _clear(store: GraphStore, evaluation: Evaluation, writes: _Writes) -> int:
    """Empty the evidence of the cases the evaluation asked about and found nothing for: of a
    rule evaluated in full, all its cases; of a rule asked about some subjects, only theirs
    (their case ids are known: ``case_id_of``), so that a run on a few changes reads a few
    cases."""
    hit = {(h.rule, h.label, h.key) for h in evaluation.hits}
    whole = sorted(rule for rule, asked in evaluation.evaluated.items() if asked is None)
    cases = run(store, "alert-cases-of-rules", rules=whole) if whole else []
    wanted = sorted({case_id_of(rule, label, key)
                     for rule, asked in evaluation.evaluated.items() if asked is not None
                     for label, key in asked if (rule, label, key) not in hit})
    cases += [row for start in range(0, len(wanted), CASE_CHUNK) for row in run(
        store, "cases-by-ids", case_ids=wanted[start:start + CASE_CHUNK])]
    cleared = 0
    for case in sorted(cases, key=lambda c: c["case_id"]):
        asked = evaluation.evaluated[case["rule"]]
        subject = (case["subject_label"], case["subject_key"])
        if (case["rule"], *subject) in hit or (asked is not None and subject not in asked):
            continue
        if not json.loads(case["evidence"] or "{}").get("items"):
            continue  # cleared before
        writes.settle(case, Hit(case["rule"], *subject, case["subject_name"] or "", ()),
                      "evidence_gone")
        cleared += 1
    return cleared


def _event_id(case_id: str, before: str, after: str) -> str:
    """An alert's event: from the case, the evidence it had and the evidence raised — the same
    if a killed run is done again, another for each change."""
    return f"{case_id}-{hashlib.sha256(f'{before}|{after}'.encode()).hexdigest()[:24]}"


def _evidence(hit: Hit) -> str:
    return json.dumps({"items": list(hit.items), "words": list(hit.words)}, ensure_ascii=False)


def _pair(source: str, target: str, now: dt.datetime) -> dict[str, Any]:
    return {"src_key": source, "dst_key": target, "updated_at": now}


def _difference(case: dict[str, Any], hit: Hit) -> dict[str, Any]:
    before = set(json.loads(case["evidence"] or "{}").get("items", []))
    return {"added": sorted(set(hit.items) - before), "gone": sorted(before - set(hit.items))}


def _link(store: GraphStore, rel_type: str, label: str, source: str, target: str,
          now: dt.datetime, reverse: bool = False) -> None:
    """A link to (or, ``reverse``, from) a case; merged, so writing it again changes nothing."""
    pair = {"src_key": source, "dst_key": target, "updated_at": now}
    if reverse:
        store.merge_relationships(rel_type, "InvestigationCase", label, [pair])
    else:
        store.merge_relationships(rel_type, label, "InvestigationCase", [pair])


def _event(store: GraphStore, case_id: str, now: dt.datetime, actor: str, action: str,
           detail: dict[str, Any], event_id: str | None = None) -> str:
    """An event of the case's history; linked to the case here when the case exists (an
    alert's event is written before its case, and linked by record_hits)."""
    event_id = event_id or f"{case_id}-{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"
    store.merge_nodes("CaseEvent", [{
        "event_id": event_id, "case_id": case_id, "at": now, "actor": actor, "action": action,
        "detail": json.dumps(detail, ensure_ascii=False), "updated_at": now}])
    _link(store, "EVENT_OF", "CaseEvent", event_id, case_id, now)
    return event_id


# -- watches --------------------------------------------------------------------------------


def watched(store: GraphStore, rows: list[dict] | None = None) -> list[Watched]:
    """The watched subjects, from the watches (``rows``: as ``watches-evaluated`` or
    ``watches-all`` read them, when the caller has them already)."""
    return [Watched(r["subject_label"], r["subject_key"], r["subject_name"] or "", r["hops"],
                    tuple(r["rules"]) if r["rules"] else None)
            for r in (run(store, "watches-evaluated") if rows is None else rows)]


# -- people acting on cases -------------------------------------------------------------------


def require(user: User | None, role: str, doing: str) -> User:
    """Cases are closed to anyone without a user of the role: no user, no cases."""
    if user is None:
        raise CaseError(f"{doing} needs a signed-in user (CREDITGRAPH_USER naming a user in "
                        "the user store): cases are never open to anonymous callers")
    if not user.can(role):
        raise CaseError(f"{doing} needs the {role} role; {user.name} is {user.role}")
    return user


def list_cases(store: GraphStore, user: User | None, status: str = "", assignee: str = ""
               ) -> list[dict[str, Any]]:
    actor = require(user, "investigator", "listing cases")
    if status and status not in STATUSES:
        raise CaseError(f"--status must be one of {', '.join(STATUSES)}; got {status!r}")
    return _visible(actor, run(store, "cases-list", status=status, assignee=assignee))


def cases_of(store: GraphStore, user: User | None, label: str, key: str
             ) -> list[dict[str, Any]]:
    """A subject's open and in-progress cases."""
    actor = require(user, "investigator", "listing cases")
    return _visible(actor, run(store, "cases-of-subject", label=label, key=key))


def _visible(user: User, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Civil-servant cases are supervisor material: below supervisor they are not listed."""
    return [r for r in rows if user.can("supervisor") or not r.get("restricted")]


def show_case(store: GraphStore, user: User | None, case_id: str) -> dict[str, Any]:
    actor = require(user, "investigator", "reading a case")
    case = _case(store, case_id, actor)
    case["evidence"] = json.loads(case["evidence"] or "{}")
    case["history"] = [row | {"detail": json.loads(row["detail"] or "{}")}
                       for row in run(store, "case-events", case_id=case_id)]
    case["alerts_raised"] = run(store, "case-alerts", case_id=case_id)
    return case


def assign(store: GraphStore, user: User | None, case_ids: Iterable[str], assignee: str,
           known: dict[str, User]) -> list[str]:
    """Assign cases (several at once: bulk assignment) to an investigator or above."""
    actor = require(user, "supervisor", "assigning cases")
    target = known.get(assignee)
    if target is None or not target.can("investigator"):
        raise CaseError(f"{assignee!r} is not an investigator (or above) in the user store")
    audit.check_ready()  # no change that cannot be recorded
    cases = [_case(store, case_id, actor) for case_id in case_ids]  # all known, or none moves
    done = []
    for case in cases:
        case_id = case["case_id"]
        now = dt.datetime.now(dt.UTC)
        _update_case(store, case, now, assignee=assignee)
        _event(store, case_id, now, actor.name, "assigned",
               {"from": case["assignee"], "to": assignee})
        audit.append("case-assign", actor=actor.name, case_id=case_id,
                     previous=case["assignee"], assignee=assignee)
        done.append(case_id)
    return done


# Who may move a case from one status to another.
TRANSITIONS = {("open", "in_progress"): "investigator",
               ("in_progress", "open"): "investigator",
               ("open", "confirmed"): "supervisor", ("open", "dismissed"): "supervisor",
               ("in_progress", "confirmed"): "supervisor",
               ("in_progress", "dismissed"): "supervisor",
               ("confirmed", "open"): "supervisor", ("dismissed", "open"): "supervisor"}


def set_status(store: GraphStore, user: User | None, case_id: str, status: str, note: str
               ) -> dict[str, Any]:
    actor = require(user, "investigator", "changing a case's status")
    if status not in STATUSES:
        raise CaseError(f"status must be one of {', '.join(STATUSES)}; got {status!r}")
    note = _text(note)  # checked before anything is written
    case = _case(store, case_id, actor)
    needed = TRANSITIONS.get((case["status"], status))
    if needed is None:
        raise CaseError(f"{case_id} is {case['status']}: it cannot become {status} "
                        "(open → in_progress → confirmed | dismissed; a supervisor reopens)")
    require(actor, needed, f"{case['status']} → {status}")
    if needed == "investigator" and not actor.can("supervisor") and case["assignee"] != (
            actor.name):
        raise CaseError(f"{case_id} is assigned to {case['assignee'] or 'nobody'}: an "
                        "investigator works the cases assigned to them")
    if status in ("confirmed", "dismissed") and not note:
        raise CaseError("closing a case needs a note saying why (--note)")
    audit.check_ready()
    now = dt.datetime.now(dt.UTC)
    _update_case(store, case, now, status=status)
    _event(store, case_id, now, actor.name, "status",
           {"from": case["status"], "to": status, "note": note})
    audit.append("case-status", actor=actor.name, case_id=case_id, previous=case["status"],
                 status=status)
    return {"case_id": case_id, "from": case["status"], "to": status}


def comment(store: GraphStore, user: User | None, case_id: str, text: str) -> str:
    actor = require(user, "investigator", "commenting on a case")
    text = _text(text)
    if not text:
        raise CaseError("an empty comment says nothing")
    _case(store, case_id, actor)
    audit.check_ready()
    event = _event(store, case_id, dt.datetime.now(dt.UTC), actor.name, "comment",
                   {"text": text})
    audit.append("case-comment", actor=actor.name, case_id=case_id, event_id=event)
    return event


def _update_case(store: GraphStore, case: dict[str, Any], now: dt.datetime, **changes: Any
                 ) -> None:
    """One change to a case as read (a merge must carry the case's required properties)."""
    keep = ("case_id", "rule", "subject_label", "subject_key", "status")
    store.merge_nodes("InvestigationCase", [{**{k: case[k] for k in keep}, **changes,
                                             "updated_at": now}])


def _case(store: GraphStore, case_id: str, user: User) -> dict[str, Any]:
    found = run(store, "case-by-id", case_id=case_id)
    if not found or not _visible(user, found):  # a restricted case is not there for them
        raise CaseError(f"no case {case_id!r}")
    return found[0]


def _text(text: str) -> str:
    if len(text) > MAX_COMMENT:
        raise CaseError(f"a note or comment holds at most {MAX_COMMENT} characters")
    return mask_personal_text(text.strip())  # a typed ID number is masked, never kept
