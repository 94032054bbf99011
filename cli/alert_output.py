"""How an alert run's counts are printed (``alerts run``, and after ``load`` and
``propagate``)."""

from __future__ import annotations

from alerts.service import AlertRun
from cli.output import OutputFormat, print_json, print_record


def print_alert_run(done: AlertRun, fmt: OutputFormat) -> None:
    summary = done.summary()
    if fmt is OutputFormat.json:
        print_json(summary)
        return
    print_record({k: v for k, v in summary.items() if k not in ("cases", "asked")}, fmt,
                 title="预警 alert run")
