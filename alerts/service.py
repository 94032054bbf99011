"""One alert run: evaluate the rules (in full, or on what changed since a time), raise the new
alerts into cases, tell the watch owners' webhooks, and put the run on record. ``alerts run``
calls it, and so do ``load`` and ``propagate`` when they finish (on what they changed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from typing import Any

from alerts import cases as case_store
from alerts.changes import changed_subjects
from alerts.evaluate import evaluate
from alerts.notify import notify, owners_by_subject
from alerts.rules import AlertRules, load_alert_rules
from alerts.watches import list_watches
from graph import audit
from graph.errors import CreditGraphError
from graph.store import GraphStore
from graph.users import load_users
from graph.write_lock import write_lock
from queries.linked import split_id


@dataclass
class AlertRun:
    mode: str  # full | incremental
    since: str | None
    changed: int  # subjects changed since (incremental)
    asked: dict[str, int]  # subjects asked, by rule asked subject by subject
    report: case_store.RunReport
    notified: int = 0
    notify_failed: int = 0

    def summary(self) -> dict[str, Any]:
        """The counts, for people and machines (the webhook notices left out)."""
        counts = {k: v for k, v in asdict(self.report).items() if k != "notices"}
        return {"mode": self.mode, "since": self.since, "changed": self.changed, **counts,
                "asked": self.asked, "notified": self.notified,
                "notify_failed": self.notify_failed}


def run_alerts(store: GraphStore, as_of: dt.date, since: dt.datetime | None = None,
               also_changed: Iterable[str] = (), only: Iterable[str] | None = None,
               rules: AlertRules | None = None, locked: bool = False) -> AlertRun:
    """``since``: evaluate only what changed since then (with ``also_changed``, subjects as
    ``Label:key`` a caller knows changed — those whose measures propagation removed). Without
    it, every rule in full. ``locked``: the caller holds the store's write lock already (a
    load); otherwise the run takes it."""
    rules = rules or load_alert_rules()
    audit.check_ready()
    with nullcontext() if locked else write_lock(store, "alerts"):  # one run at a time
        changed = None
        if since is not None:
            changed = changed_subjects(store, since, as_of) | {
                split_id(node) for node in also_changed}
        evaluation = evaluate(store, rules, case_store.watched(store), as_of, only, changed)
        report = case_store.record_hits(store, rules, evaluation, as_of)
        owners = owners_by_subject(list_watches(store))
    result = AlertRun(evaluation.mode, since.isoformat() if since else None,
                      evaluation.changed, evaluation.asked, report)
    if report.notices:
        try:
            users = load_users()
        except CreditGraphError as exc:  # the cases are in the graph; nobody could be told
            audit.append("alert-notify-failed", error=str(exc), alerts=len(report.notices))
            result.notify_failed = len(report.notices)
        else:
            delivery = notify(report.notices, owners, users)
            result.notified, result.notify_failed = delivery.sent, delivery.failed
    summary = result.summary()
    audit.append("alerts-run", **{k: v for k, v in summary.items() if k != "cases"},
                 cases=report.cases[:200])
    return result
