"""``creditgraph propagate | sanctions | explain | rules``: joint punishment (失信联合惩戒)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from creditgraph.access import audit
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.alerts.service import AlertRun, deliver
from creditgraph.cli.alert_output import (
    ALERTS_FAILED,
    alerts_after_write,
    print_alert_run,
    report_alert_failure,
)
from creditgraph.cli.app import FormatOption, app, handles_errors, open_from
from creditgraph.cli.output import OutputFormat, console, error_console, print_json, print_rows
from creditgraph.cli.query_commands import AsOf, SubjectOption, _date, _secret, _show, timestamp
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.graph.write_lock import write_lock
from creditgraph.propagation import sanctions as read_side
from creditgraph.propagation.rules import Reach, load_rules
from creditgraph.propagation.service import PropagationReport, propagate
from creditgraph.queries.subjects import resolve

AlertsOption = Annotated[bool, typer.Option(
    help="afterwards evaluate the alert rules on what changed (creditgraph alerts run "
         "--since)")]
RulesOption = Annotated[Path | None, typer.Option(
    "--rules", help="rule file [default: propagation/joint-punishment.yaml]")]
REPORT_COLUMNS = ["mode", "as_of", "entries", "red_entries", "sanctions", "subjects", "created",
                  "updated", "removed", "unchanged", "seconds"]


def run_propagation(store: GraphStore, rules_file: Path | None, as_of: dt.date,
                    changed_since: dt.datetime | None, fmt: OutputFormat) -> PropagationReport:
    rules = load_rules(rules_file)  # checked whole before anything is computed
    audit.check_ready()  # nothing is written that could not be put on record
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn(
            "{task.completed} sanctions written"), TimeElapsedColumn(), console=error_console,
            transient=fmt is not OutputFormat.table) as progress:
        task = progress.add_task("联合惩戒 propagation", total=None)
        report = propagate(store, rules, as_of, changed_since,
                           lambda n: progress.advance(task, n))
    # the rule file's checksum is on record, so a changed rule set shows in the audit log
    audit.append("propagate", rules=str(rules.path),
                 rules_sha256=hashlib.sha256(rules.path.read_bytes()).hexdigest(),
                 mode=report.mode, as_of=report.as_of, created=report.created,
                 updated=report.updated, removed=report.removed, backend=store.backend)
    return report


def print_report(report: PropagationReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(report.as_dict())
        return
    print_rows([report.as_dict()], REPORT_COLUMNS, fmt, title="联合惩戒 propagation")
    if fmt is OutputFormat.table and report.by_measure:
        print_rows([{"measure": m, "sanctions": n} for m, n in report.by_measure.items()],
                   ["measure", "sanctions"], fmt, title="by measure")


@app.command("propagate")
@handles_errors
def propagate_command(
    ctx: typer.Context,
    as_of: AsOf = None,
    rules: RulesOption = None,
    changed_since: Annotated[str | None, typer.Option(
        "--changed-since", help="recompute only what entries and relations written since this "
                                "time (ISO 8601) touch [default: everything]")] = None,
    alerts: AlertsOption = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compute joint-punishment measures (失信联合惩戒) from the black-list entries in force and
    write them as Sanction nodes with their evidence paths; idempotent; measures whose source
    entry was repaired, revoked or expired are removed. `load` runs it for what it touched.
    Then the alert rules are evaluated on the measures that changed (--no-alerts to skip)."""
    since = timestamp(changed_since, "--changed-since") if changed_since else None
    measures = load_rules(rules)  # checked whole before anything is opened
    if alerts:
        load_alert_rules()  # a broken alert rule file stops the run before it writes
    audit.check_ready()  # before anything is opened or locked
    day = _date(as_of) or dt.date.today()
    alert_run: AlertRun | CreditGraphError | None = None
    with open_from(ctx) as store:
        if problems := store.schema_problems():
            raise CreditGraphError(f"the store at {store.location()} is not ready to propagate "
                                   f"({problems[0]}); load data first (`creditgraph load`)")
        store.init_schema()  # what this version adds to the model (a store of an older one)
        with write_lock(store, "propagate"):
            started = dt.datetime.now(dt.UTC)
            report = run_propagation(store, rules, day, since, fmt)
            if alerts:
                alert_run = alerts_after_write(store, day, started, report.touched, measures)
    failed = alert_run if isinstance(alert_run, CreditGraphError) else None
    done = deliver(alert_run) if isinstance(alert_run, AlertRun) else None  # lock let go
    if fmt is OutputFormat.json and done is not None:
        print_json(report.as_dict() | {"alerts": done.summary()})
    else:
        print_report(report, fmt)
        if done is not None:
            print_alert_run(done, fmt)
    if failed is not None:
        report_alert_failure(failed)
        raise typer.Exit(ALERTS_FAILED)


@app.command("sanctions")
@handles_errors
def sanctions_command(
    ctx: typer.Context,
    subject: Annotated[str | None, typer.Option(
        "--subject", help="USCC, legacy code or resident ID number; leave out to list every "
                          "restricted subject")] = None,
    measure: Annotated[str | None, typer.Option(
        "--measure", help="only this measure, e.g. 限制政府采购")] = None,
    as_of: AsOf = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """A subject's joint-punishment measures with source entry, path and basis; or, without
    --subject, everyone under a measure ("who is restricted from procurement today")."""
    with open_from(ctx, read_only=True) as store:
        if subject:
            found = resolve(store, subject, _secret(ctx))
            frame = read_side.subject_sanctions(store, found, _date(as_of))
            if measure:
                frame = frame[frame["measure"] == measure]
            title = f"联合惩戒 sanctions · {found.name}"
            if fmt is OutputFormat.table:  # the full rows are for json / csv
                frame = frame[["measure", "kind", "entry_id", "list_type", "hops", "valid_to",
                               "path_text", "rule"]]
        else:
            frame = read_side.restricted(store, measure, _date(as_of))
            title = f"联合惩戒 sanctions · {measure or 'all measures'}"
    _show(frame, fmt, title)


@app.command("explain")
@handles_errors
def explain_command(
    ctx: typer.Context,
    subject: SubjectOption,
    measure: Annotated[str, typer.Option("--measure", help="the measure, e.g. 限制高消费")],
    as_of: AsOf = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Why a measure applies to a subject, in words: the source entry, the path, the rule and
    its legal basis. Exit 1 when it does not apply."""
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        paragraphs = read_side.explain(store, found, measure, _date(as_of))
    if fmt is OutputFormat.json:
        print_json({"subject": found.node_id, "measure": measure, "applies": bool(paragraphs),
                    "reasons": paragraphs})
    elif fmt is OutputFormat.csv:
        print_rows([{"reason": p} for p in paragraphs], ["reason"], fmt)
    elif paragraphs:
        for paragraph in paragraphs:
            console.print(paragraph, highlight=False)
    else:
        console.print(f"{found.name}: 「{measure}」does not apply on this date (run "
                      "`creditgraph propagate` if entries changed since the last run)",
                      highlight=False)
    if not paragraphs:
        raise typer.Exit(1)


rules_app = typer.Typer(help="Joint-punishment rule files.")
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
@handles_errors
def rules_check(rules: RulesOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Check a rule file (unknown list types, relations or measures are errors naming the key)
    and show what it applies."""
    ruleset = load_rules(rules)
    rows = [{"rule": r.id, "list_type": r.list_type, "listed": r.listed,
             "measures": "、".join(r.measures), "self": r.self_applies,
             "reach": _describe_reach(r.reach), "years": r.years} for r in ruleset.rules]
    print_rows(rows, ["rule", "list_type", "listed", "measures", "self", "reach", "years"], fmt,
               title=f"规则 rules · {ruleset.path}")


def _describe_reach(reach: Reach) -> str:
    if reach.steps:
        return " → ".join(f"{s.type}({s.direction})" for s in reach.steps)
    if not reach.relations:
        return ""
    kinds = ", ".join(f"{s.type}({s.direction})" for s in reach.relations)
    ratio = f", share ≥ {reach.min_ratio:g}" if reach.min_ratio is not None else ""
    return f"≤{reach.max_hops} hops over {kinds}{ratio}, decay {reach.decay:g}"
