"""``creditgraph watch | alerts | cases``: watches, alert runs and the cases they open
(alerts/). Cases are worked as a user of the user store: CREDITGRAPH_USER names them, and
without such a user the case commands refuse (viewers see nothing of cases)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from creditgraph.access import audit
from creditgraph.access.users import User, load_users
from creditgraph.alerts import cases as case_store
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.alerts.service import run_alerts
from creditgraph.alerts.watches import add_watches, remove_watches, watches_for
from creditgraph.cli.alert_output import print_alert_run
from creditgraph.cli.app import FormatOption, app, handles_errors, open_from
from creditgraph.cli.output import OutputFormat, console, print_json, print_record, print_rows
from creditgraph.cli.query_commands import AsOf, _date, _secret, read_codes, timestamp
from creditgraph.graph import settings
from creditgraph.graph.errors import CreditGraphError
from creditgraph.queries.subjects import resolve

watch = typer.Typer(help="Watches (关注): subjects whose changes raise alerts, each with the "
                         "investigator who owns it.", no_args_is_help=True)
alerts = typer.Typer(help="Alert rules (预警): evaluate them and open or join cases "
                          "(alerts/rules.yaml, or CREDITGRAPH_ALERT_RULES).",
                     no_args_is_help=True)
cases = typer.Typer(help="Cases (案件) opened by alerts: list, read, assign, move and comment, "
                         "as the user CREDITGRAPH_USER names.", no_args_is_help=True)
app.add_typer(watch, name="watch")
app.add_typer(alerts, name="alerts")
app.add_typer(cases, name="cases")

WATCH_COLUMNS = ["watch_id", "subject_name", "owner", "hops", "rules", "note", "created_at"]
CASE_COLUMNS = ["case_id", "rule", "severity", "status", "assignee", "subject_name", "alerts",
                "updated_at"]


def acting_user() -> User | None:
    """The user the case commands act as: CREDITGRAPH_USER, if the user store holds them."""
    name = settings.acting_user()
    return load_users().get(name) if name else None


@watch.command("add")
@handles_errors
def watch_add(
    ctx: typer.Context,
    owner: Annotated[str, typer.Option("--owner", help="the investigator (user name) the "
                                                       "watch's alerts are for")],
    subject: Annotated[list[str] | None, typer.Option(
        "--subject", help="USCC, legacy code or document number; repeat for more")] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="CSV / XLSX / text file: codes in the first column")] = None,
    hops: Annotated[int | None, typer.Option(
        "--hops", help="reach of the linked-party rule for these subjects [default: the "
                       "rule's]")] = None,
    note: Annotated[str, typer.Option("--note", help="why they are watched")] = "",
    rule: Annotated[list[str] | None, typer.Option(
        "--rule", help="a watch rule these subjects are watched for (repeat for more) "
                       "[default: every watch rule, or as before for a watched subject]")
    ] = None,
    all_rules: Annotated[bool, typer.Option(
        "--all-rules", help="watch these subjects for every watch rule again")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Watch subjects (one by --subject, many by --file), as the user CREDITGRAPH_USER names
    (an investigator or above). Every code must name a subject in the graph, or nothing is
    added."""
    codes = list(subject or []) + (read_codes(file) if file else [])
    if not codes:
        raise CreditGraphError("give --subject or --file")
    if all_rules and rule:
        raise CreditGraphError("give --rule or --all-rules, not both")
    rules = [] if all_rules else (rule or None)
    audit.check_ready()
    with open_from(ctx) as store:
        store.init_schema()  # a store of an older version gains the watch's columns
        found = [resolve(store, code, _secret(ctx)) for code in codes]
        ids = add_watches(store, found, owner, load_users(), acting_user(), hops, note, rules)
    print_record({"watches": len(ids), "owner": owner, "hops": hops,
                  "rules": ", ".join(rule or ()) or "all"}, fmt,
                 title="关注 watches added")


@watch.command("list")
@handles_errors
def watch_list(ctx: typer.Context, owner: Annotated[str, typer.Option(
        "--owner", help="only this owner's watches")] = "",
               fmt: FormatOption = OutputFormat.table) -> None:
    """Every watch with its owner and reach."""
    with open_from(ctx, read_only=True) as store:
        rows = watches_for(store, acting_user(), owner)
    print_rows(rows, WATCH_COLUMNS, fmt, title="关注 watches")


@watch.command("remove")
@handles_errors
def watch_remove(ctx: typer.Context, watch_id: Annotated[list[str], typer.Argument(
        help="watch ids as `watch list` shows them (Enterprise:9133…)")],
                 fmt: FormatOption = OutputFormat.table) -> None:
    """Stop watching subjects (their cases stay): your own watches, or any as a supervisor.
    An unknown id removes nothing."""
    audit.check_ready()
    with open_from(ctx) as store:
        removed = remove_watches(store, watch_id, acting_user())
    print_record({"removed": len(removed)}, fmt, title="关注 watches removed")


@alerts.command("run")
@handles_errors
def alerts_run(
    ctx: typer.Context,
    as_of: AsOf = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="evaluate only what changed since this time (ISO 8601), or since "
                        "the last complete run if that is earlier [default: everything]")] = None,
    rule: Annotated[list[str] | None, typer.Option(
        "--rule", help="only this rule (repeat for more) [default: all]")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Evaluate the alert rules (the watched subjects for the watch rules) and raise every hit
    whose evidence was not raised before: it opens the case of its rule and subject, joins it,
    or reopens it if dismissed; a case whose evidence is all gone records that. With --since,
    the rules asked subject by subject ask only the subjects within reach of what changed (the
    same hits as a full run). Each new alert on a watched subject is POSTed to its watch
    owners' webhooks (`users set-webhook`). `load` and `propagate` run it on what they changed.
    Running it again changes nothing until the graph does. For a scheduler: exit 0, the counts
    on stdout."""
    rules = load_alert_rules()
    unknown = sorted(set(rule or ()) - set(rules.by_name()))
    if unknown:
        raise CreditGraphError(f"--rule {', '.join(unknown)}: no such rule in {rules.path} "
                               f"(known: {', '.join(rules.by_name())})")
    day = _date(as_of) or dt.date.today()
    start = timestamp(since, "--since") if since else None
    audit.check_ready()
    with open_from(ctx) as store:
        store.init_schema()  # what this version adds to the model (a store of an older one)
        done = run_alerts(store, day, start, only=rule, rules=rules)
    print_alert_run(done, fmt)


@cases.command("list")
@handles_errors
def cases_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(
        "--status", help="open, in_progress, confirmed or dismissed [default: any]")] = "",
    assignee: Annotated[str, typer.Option(
        "--assignee", help="a user name; '-' for unassigned [default: anyone]")] = "",
    mine: Annotated[bool, typer.Option("--mine", help="my open and in-progress cases")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Cases, most recently changed first (investigators and above)."""
    user = acting_user()
    with open_from(ctx, read_only=True) as store:
        rows = case_store.list_cases(store, user, status, user.name if mine and user else
                                     assignee)
    if mine:
        rows = [r for r in rows if r["status"] in ("open", "in_progress")]
    print_rows(rows, CASE_COLUMNS, fmt, title="案件 cases")


@cases.command("show")
@handles_errors
def cases_show(ctx: typer.Context, case_id: Annotated[str, typer.Argument(help="AJ-…")],
               fmt: FormatOption = OutputFormat.table) -> None:
    """A case: its subject, status, assignee, evidence and full history."""
    with open_from(ctx, read_only=True) as store:
        case = case_store.show_case(store, acting_user(), case_id)
    if fmt is not OutputFormat.table:
        print_json(case)
        return
    print_record({k: v for k, v in case.items()
                  if k not in ("evidence", "history", "alerts_raised", "fingerprint")}, fmt,
                 title=f"案件 {case_id}")
    console.print("[bold]证据 evidence[/bold]")
    for item in case["evidence"].get("items", []):
        console.print(f"  · {item}", highlight=False)
    for words in case["evidence"].get("words", []):
        console.print(f"    {words}", highlight=False)
    print_rows([h | {"detail": str(h["detail"])} for h in case["history"]],
               ["at", "actor", "action", "detail"], fmt, title="历史 history")


@cases.command("assign")
@handles_errors
def cases_assign(ctx: typer.Context,
                 case_id: Annotated[list[str], typer.Argument(help="one or more case ids")],
                 to: Annotated[str, typer.Option("--to", help="the investigator")],
                 fmt: FormatOption = OutputFormat.table) -> None:
    """Assign cases to an investigator (supervisors)."""
    audit.check_ready()
    with open_from(ctx) as store:
        done = case_store.assign(store, acting_user(), case_id, to, load_users())
    print_record({"assigned": len(done), "to": to}, fmt, title="案件 assigned")


@cases.command("status")
@handles_errors
def cases_status(ctx: typer.Context, case_id: Annotated[str, typer.Argument(help="AJ-…")],
                 to: Annotated[str, typer.Option(
                     "--to", help="in_progress, confirmed, dismissed or open")],
                 note: Annotated[str, typer.Option(
                     "--note", help="why (required to confirm or dismiss)")] = "",
                 fmt: FormatOption = OutputFormat.table) -> None:
    """Move a case: open → in_progress (its investigator) → confirmed | dismissed
    (supervisors, with a note); supervisors reopen."""
    audit.check_ready()
    with open_from(ctx) as store:
        done = case_store.set_status(store, acting_user(), case_id, to, note)
    print_record(done, fmt, title="案件 status")


@cases.command("comment")
@handles_errors
def cases_comment(ctx: typer.Context, case_id: Annotated[str, typer.Argument(help="AJ-…")],
                  text: Annotated[str, typer.Argument(help="the comment")],
                  fmt: FormatOption = OutputFormat.table) -> None:
    """Add a comment to a case's history (investigators and above)."""
    audit.check_ready()
    with open_from(ctx) as store:
        event = case_store.comment(store, acting_user(), case_id, text)
    print_record({"case_id": case_id, "event": event}, fmt, title="案件 comment")
