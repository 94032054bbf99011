"""One alert run: evaluate the rules (in full, or on what changed since the last complete run),
raise the new alerts into cases, then tell the watch owners' webhooks and put the run on
record. ``alerts run`` calls it, and so do ``load`` and ``propagate`` when they finish.

An incremental run covers everything since the last complete run (node ``AlertRun``), not
only since the time it is given: what a ``--no-alerts`` load wrote, and a date that passed
between two runs, are never skipped. A store without such a record, or whose alert or
joint-punishment rule files changed since, gets a full run."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from creditgraph.access import audit
from creditgraph.access.users import load_users
from creditgraph.alerts import cases as case_store
from creditgraph.alerts.changes import changes_since
from creditgraph.alerts.evaluate import evaluate
from creditgraph.alerts.notify import notify, owners_by_subject
from creditgraph.alerts.rules import AlertRules, load_alert_rules
from creditgraph.alerts.watches import watches_to_evaluate
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.gc_pause import collection_paused
from creditgraph.graph.store import GraphStore
from creditgraph.graph.write_lock import write_lock
from creditgraph.propagation.rules import RuleSet, load_rules
from creditgraph.queries.library import run
from creditgraph.queries.network import split_id


@dataclass
class AlertRun:
    mode: str  # full | incremental
    since: str | None  # what an incremental run covered: changes since then
    changed: int  # subjects changed since (incremental)
    asked: dict[str, int]  # subjects asked, by rule asked about some subjects
    report: case_store.RunReport
    notified: int = 0
    notify_failed: int = 0
    owners: dict[str, list[str]] = field(default_factory=dict)  # subject -> watch owners
    delivered: bool = False

    def summary(self) -> dict[str, Any]:
        """The counts, for people and machines (the webhook notices left out)."""
        counts = {k: v for k, v in asdict(self.report).items() if k != "notices"}
        return {"mode": self.mode, "since": self.since, "changed": self.changed, **counts,
                "asked": self.asked, "notified": self.notified,
                "notify_failed": self.notify_failed}


def run_alerts(store: GraphStore, as_of: dt.date, since: dt.datetime | None = None,
               also_changed: Iterable[str] = (), only: Iterable[str] | None = None,
               rules: AlertRules | None = None, measures: RuleSet | None = None,
               locked: bool = False, deliver_now: bool = True) -> AlertRun:
    """``since``: evaluate what changed since then, or since the last complete run if that is
    earlier (with ``also_changed``, subjects as ``Label:key`` a caller knows changed — those
    whose measures propagation removed). Without it, every rule in full. ``measures``: the
    joint-punishment rules whose reach the own-record rule looks across (default: the rule
    file's). ``locked``: the caller holds the store's write lock already (a load); otherwise
    the run takes it. ``deliver_now=False``: the caller calls ``deliver`` once it has let go
    of the lock (webhooks may be slow)."""
    rules = rules or load_alert_rules()
    measures = measures or load_rules()
    digest = _rules_digest(rules, measures)
    audit.check_ready()
    started = dt.datetime.now(dt.UTC)
    with (nullcontext() if locked else write_lock(store, "alerts"),  # one run at a time
          collection_paused(),  # graph/gc_pause.py: its garbage is not cyclic
          ThreadPoolExecutor(1) as beside):
        # a store answering reads side by side reads the watches while it reads the changes
        watches_read = (beside.submit(watches_to_evaluate, store)
                        if store.parallel_reads > 1 else None)
        changed = None
        last = run(store, "alert-last-run")
        if since is not None and last and last[0]["rules_sha256"] == digest:
            previous = last[0]
            since = min(since, previous["started_at"])
            days = [previous["as_of"], previous["days_from"], previous["days_to"]]
            # those whose measures propagation removed: no node is left to find them by
            changed = changes_since(store, since, as_of, [d for d in days if d]).adding(
                "Sanction", (split_id(n) for n in also_changed))
        else:
            since = None  # nothing to start from, or the rules changed: a full run
        watches = watches_read.result() if watches_read else watches_to_evaluate(store)
        evaluation = evaluate(store, rules, case_store.watched(store, watches), as_of, only,
                              changed, measures)
        report = case_store.record_hits(store, rules, evaluation, as_of)
        if only is None:  # a complete run: the next incremental one starts here
            store.merge_nodes("AlertRun", [{"name": "last", "started_at": started,
                                            "as_of": as_of, "rules_sha256": digest,
                                            "mode": evaluation.mode, "updated_at": started,
                                            "days_from": as_of, "days_to": as_of}])
        elif last:  # its cases stand as of its day: the next run reads what turned since
            days = [d for d in (last[0]["days_from"], last[0]["days_to"], as_of) if d]
            store.merge_nodes("AlertRun", [{"name": "last", "days_from": min(days),
                                            "days_to": max(days), "updated_at": started}])
        owners = owners_by_subject(watches) if report.notices else {}
    result = AlertRun(evaluation.mode, since.isoformat() if since else None,
                      evaluation.changed, evaluation.asked, report,
                      owners={k: list(v) for k, v in owners.items()})
    if deliver_now:
        deliver(result)
    return result


def deliver(result: AlertRun) -> AlertRun:
    """POST the run's new alerts to the watch owners' webhooks, and record the run in the
    audit log. Never raises for a receiver: the cases are in the graph whatever it does."""
    if result.delivered:
        return result
    notices = result.report.notices
    if notices:
        try:
            users = load_users()
        except CreditGraphError as exc:  # nobody could be told
            audit.append("alert-notify-failed", error=str(exc), alerts=len(notices))
            result.notify_failed = len(notices)
        else:
            delivery = notify(notices, result.owners, users)
            result.notified, result.notify_failed = delivery.sent, delivery.failed
    summary = result.summary()
    audit.append("alerts-run", **{k: v for k, v in summary.items() if k != "cases"},
                 cases=result.report.cases[:200])
    result.delivered = True
    return result


def _rules_digest(rules: AlertRules, measures: RuleSet) -> str:
    """The alert and joint-punishment rule files as run: a change to either (a reach, a
    rule) may change any answer, so the next run is a full one."""
    digest = hashlib.sha256()
    for path in (Path(rules.path), Path(measures.path)):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
