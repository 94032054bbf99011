"""The alert step of ``load`` and ``propagate``, and how an alert run's counts are printed
(``alerts run`` too). A load's or propagation's writes stand whatever the alert step does: its
failure is reported and recorded, with its own exit code, and the next run covers what this
one did not (alerts/service.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from creditgraph.access import audit
from creditgraph.alerts.service import AlertRun, run_alerts
from creditgraph.cli.output import OutputFormat, error_console, print_json, print_record
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.rules import RuleSet

ALERTS_FAILED = 4  # exit code: the write stands, its alert run did not finish


def alerts_after_write(store: GraphStore, as_of: dt.date, since: dt.datetime,
                       touched: Iterable[str], measures: RuleSet | None
                       ) -> AlertRun | CreditGraphError:
    """Under the caller's write lock; webhooks wait for ``deliver`` after it is let go."""
    try:
        return run_alerts(store, as_of, since, touched, measures=measures, locked=True,
                          deliver_now=False)
    except CreditGraphError as exc:
        audit.append("alerts-failed", error=str(exc)[:500], backend=store.backend)
        return exc


def report_alert_failure(failure: CreditGraphError) -> None:
    error_console.print(f"[red]alerts:[/red] {failure} — what was written stands; run "
                        "`creditgraph alerts run` once the cause is mended", highlight=False)


def print_alert_run(done: AlertRun, fmt: OutputFormat) -> None:
    summary = done.summary()
    if fmt is OutputFormat.json:
        print_json(summary)
        return
    print_record({k: v for k, v in summary.items() if k not in ("cases", "asked")}, fmt,
                 title="预警 alert run")
