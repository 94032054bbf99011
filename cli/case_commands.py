"""``creditgraph export-case | verify-case | audit init | verify | repair``: case evidence
that stands up outside the tool, and the log of who exported what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from creditgraph.access import audit
from creditgraph.cli.app import FormatOption, app, handles_errors, open_from, settings_of
from creditgraph.cli.output import OutputFormat, console, print_json, print_rows
from creditgraph.cli.query_commands import AsOf, _date, _secret, timestamp
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.queries.subjects import resolve


@app.command("export-case")
@handles_errors
def export_case_command(
    ctx: typer.Context,
    subject: Annotated[list[str], typer.Option(
        "--subject", help="USCC, legacy code or resident ID number; repeat for more")],
    out: Annotated[Path, typer.Option("--out", help="new folder, or a .zip, for the bag")],
    hops: Annotated[int, typer.Option("--hops", min=1, max=4,
                                      help="relations followed for findings and network")] = 2,
    as_of: AsOf = None,
    case_no: Annotated[str | None, typer.Option(
        "--case-no", help="case number [default: CG-<as-of>-<first subject>]; 1-64 letters, "
                          "digits, Chinese characters, 〔〕 () （） _ . - (part of file names)")
    ] = None,
    reveal_ids: Annotated[bool, typer.Option(
        "--reveal-ids", help="show full resident ID numbers — only those given in --id-map, "
                             "as the graph never stores them")] = False,
    id_map: Annotated[Path | None, typer.Option(
        "--id-map", help="CSV / text file of resident ID numbers (first column) to reveal")
    ] = None,
    include_civil_servant: Annotated[bool, typer.Option(
        "--include-civil-servant", help="add civil-servant findings (integrity records, "
        "for-profit findings, conflicts of interest) — supervisor material; recorded in the "
        "bag's parameters and the audit log")] = False,
    exported_at: Annotated[str | None, typer.Option(
        "--exported-at", help="the export time the report's cover names, ISO 8601 [default: "
        "now]; give an earlier export's time (Parameters in its bag-info.txt) to "
        "re-export the same bytes; not in the future nor before the graph's last load — "
        "the audit log records the real time beside it")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Export a case as a BagIt bag (RFC 8493): report.html and report.pdf for people,
    evidence.json / evidence.xlsx / network.graphml for machines, SHA-256 manifests; the export
    is written to the audit log. Civil-servant findings only with --include-civil-servant."""
    # here, not above: the PDF and graph libraries would slow every other command's start
    from creditgraph.casefile.export import check_case_no, export_case, read_id_map

    if case_no is not None:
        check_case_no(case_no)
    if reveal_ids and id_map is None:
        raise CreditGraphError("--reveal-ids needs --id-map FILE: ID numbers are not stored in "
                               "the graph")
    day = _date(as_of) or dt.date.today()
    clear = read_id_map(id_map, settings_of(ctx).id_secret()) if id_map else None
    with open_from(ctx, read_only=True) as store:
        subjects = [resolve(store, code, _secret(ctx)) for code in subject]
        number = case_no or f"CG-{day:%Y%m%d}-{subjects[0].key[:18]}"
        stated = stated_time(store, exported_at) if exported_at else None
        case, digest = export_case(store, subjects, day, hops, number, out, clear, reveal_ids,
                                   include_civil_servant, exported_at=stated)
    summary = {"case_no": number, "out": str(out), "bag_sha256": digest,
               "subjects": len(case.subjects), "findings": len(case.findings()),
               "nodes": len(case.nodes), "relations": len(case.relations)}
    if fmt is OutputFormat.json:
        print_json(summary)
    else:
        print_rows([summary], list(summary), fmt, title="案件证据包 case bag")


def stated_time(store: GraphStore, text: str) -> dt.datetime:
    """``--exported-at``: a time this graph could have been exported at — not in the future,
    not before the last load the bag's snapshot records (an earlier export held other data)."""
    from creditgraph.casefile.export import snapshot

    stated = timestamp(text, "--exported-at")
    if stated > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
        raise CreditGraphError(f"--exported-at {text!r} is in the future")
    last = snapshot(store)["last_load"]
    loaded = dt.datetime.fromisoformat(last) if last else None
    if loaded is not None and loaded.tzinfo is None:
        loaded = loaded.replace(tzinfo=dt.UTC)  # stored in UTC
    if loaded is not None and stated < loaded:
        raise CreditGraphError(f"--exported-at {text!r} is before the graph's last load "
                               f"({last}): an export then held other data")
    return stated


@app.command("verify-case")
@handles_errors
def verify_case_command(
    path: Annotated[Path, typer.Argument(help="the bag folder or .zip")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check a case bag: every file against its SHA-256 manifest. Exit 1 naming each changed,
    missing or added file."""
    from creditgraph.casefile.bag import verify_bag

    problems = verify_bag(path)
    if fmt is OutputFormat.json:
        print_json({"bag": str(path), "valid": not problems, "problems": problems})
    elif problems:
        for problem in problems:
            console.print(f"changed: {problem}", highlight=False)
    else:
        console.print(f"{path}: intact (every file matches its manifest)", highlight=False)
    if problems:
        raise typer.Exit(1)


audit_app = typer.Typer(help="The append-only audit log (CREDITGRAPH_AUDIT_LOG, default "
                             "data/audit.log).")
app.add_typer(audit_app, name="audit")


@audit_app.command("init")
@handles_errors
def audit_init() -> None:
    """Create the empty audit log and its sealed head; once, before anything is audited.

    Not done automatically (not by `init`, not at start-up): if the log and its head are ever
    deleted, audited commands and `audit verify` must say so instead of starting a new log.
    Running it again on an initialised log changes nothing."""
    done = audit.init()
    log = audit.log_path()
    if done.created:
        console.print(f"{log}: initialised (an empty log, and its head "
                      f"{audit.head_path(log)} sealing 0 records)", highlight=False)
    else:
        console.print(f"{log}: already initialised ({done.records} record(s)); nothing "
                      "changed (`creditgraph audit verify` checks it)", highlight=False)


@audit_app.command("verify")
@handles_errors
def audit_verify(fmt: FormatOption = OutputFormat.table) -> None:
    """Check the audit log's hash chain; exit 1 naming each edited, inserted or deleted line."""
    count, problems = audit.verify()
    if fmt is OutputFormat.json:
        print_json({"log": str(audit.log_path()), "records": count, "problems": problems})
    else:
        for problem in problems:
            console.print(problem, highlight=False)
        console.print(f"{audit.log_path()}: {count} record(s), "
                      f"{'intact' if not problems else f'{len(problems)} problem(s)'}",
                      highlight=False)
    if problems:
        raise typer.Exit(1)


@audit_app.command("repair")
@handles_errors
def audit_repair(
    yes: Annotated[bool, typer.Option(
        "--yes", help="do it; without it, only say what would be done")] = False,
) -> None:
    """Move aside a torn last line (a write cut by power loss) that blocks every append.

    Only when the last line is partial and the head accounts for every complete record before
    it: the partial bytes are saved to <log>.torn-<UTC time> (never deleted), the log is cut
    back to its last complete line and an `audit-repair` record names the file. Anything else
    (a cut, an edit, a rewrite, a healthy log) is refused, saying why: that is evidence."""
    plan = audit.repair(apply=yes)
    log = audit.log_path()
    if not yes:
        console.print(f"{log}: the last line is torn ({plan.size} byte(s) from byte "
                      f"{plan.start}); `creditgraph audit repair --yes` moves them to "
                      f"{log}.torn-<UTC time> and "
                      "records that", highlight=False)
        raise typer.Exit(1)
    console.print(f"{log}: moved the torn last line ({plan.size} byte(s)) to {plan.saved}; "
                  "recorded as audit-repair", highlight=False)
