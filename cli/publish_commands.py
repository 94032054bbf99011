"""``creditgraph publish lists`` and ``creditgraph export shuanggongshi``: what the credit office
releases to the public and pushes upward (docs/publication.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from creditgraph.access import audit
from creditgraph.cli.app import FormatOption, app, handles_errors, open_from
from creditgraph.cli.output import OutputFormat, console, print_json, print_record, print_rows
from creditgraph.cli.query_commands import AsOf, SubjectOption, _date, _secret
from creditgraph.graph.files import write_atomic
from creditgraph.publication import report as credit_report
from creditgraph.publication import shuanggongshi, statistics
from creditgraph.publication.lists import check_out, published_list, write
from creditgraph.publication.repair import COLUMNS as REPAIR_COLUMNS
from creditgraph.publication.repair import repair_check
from creditgraph.publication.spreadsheet import csv_bytes
from creditgraph.publication.windows import load_periods
from creditgraph.queries.subjects import resolve

publish = typer.Typer(help="Files for public release: red and black lists (红黑名单发布).",
                      no_args_is_help=True)
app.add_typer(publish, name="publish")
export = typer.Typer(help="Exports in national standards: 双公示 penalties and licenses.",
                     no_args_is_help=True)
app.add_typer(export, name="export")


@publish.command("lists")
@handles_errors
def lists_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option("--kind", help="black (失信黑名单) or red (守信红名单)")],
    out: Annotated[Path, typer.Option("--out", help="the file to write: .csv (UTF-8 with BOM), "
                                                    ".xlsx or .json")],
    district: Annotated[str, typer.Option(
        "--district", help="a division code or its prefix (330106: 西湖区; 3301: the city)")] = "",
    authority: Annotated[str, typer.Option(
        "--authority", help="only entries issued by this department (its code)")] = "",
    as_of: AsOf = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The entries in force on a day, for public release: repaired, revoked and expired entries
    left out, natural persons' document numbers masked. An empty list is a file with its
    header. The file is written all or nothing, and recorded in the audit log with its
    SHA-256."""
    check_out(out)
    audit.check_ready()  # nothing is released unrecorded
    day = _date(as_of) or dt.date.today()
    with open_from(ctx, read_only=True) as store:
        published = published_list(store, kind, day, district=district, authority=authority)
    digest = write(published, out)
    summary = {**published.meta(), "out": str(out), "sha256": digest}
    _recorded("publish-lists", summary, out)
    print_record(summary, fmt, title="名单发布 published list")


def _recorded(action: str, summary: dict[str, Any], *files: Path) -> None:
    """The audit record of a release; without it the files are removed (nothing released
    unrecorded)."""
    try:
        audit.append(action, **summary)
    except Exception:
        for path in files:
            with contextlib.suppress(OSError):
                path.unlink()
        raise


@export.command("shuanggongshi")
@handles_errors
def shuanggongshi_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option(
        "--kind", help="penalties (行政处罚) or licenses (行政许可)")],
    since: Annotated[str, typer.Option("--from", help="first decision date, YYYY-MM-DD")],
    until: Annotated[str, typer.Option("--to", help="last decision date, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option("--out", help="the file to write: .csv (UTF-8 with BOM) "
                                                    "or .xlsx")],
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="records failing the standard's required fields, each with what is "
                          "missing [default: rejects-<out name>.csv beside --out]")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The penalties or licenses decided in a period in the national 双公示 data standard's
    columns, 公示截止期 from the publication window rules. Records missing a required field
    (or a natural person's document number, which the graph does not hold) go to the rejects
    file, each with its problems, instead of the export. The file loads back through
    `creditgraph load`. Recorded in the audit log with both files' SHA-256."""
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise shuanggongshi.ExportError(f"--out {out}: the file name must end in .csv or .xlsx")
    rejects = rejects or out.with_name(f"rejects-{out.stem}.csv")
    if rejects.absolute() == out.absolute():
        raise shuanggongshi.ExportError(f"--rejects {rejects}: the same file as --out")
    first, last = _date(since, "--from"), _date(until, "--to")
    assert first is not None and last is not None
    periods = load_periods()
    audit.check_ready()
    with open_from(ctx, read_only=True) as store:
        result = shuanggongshi.export(store, kind, first, last, periods)
    data = shuanggongshi.render(result, out.suffix.lower())
    refused = shuanggongshi.render_rejects(result)
    summary = {"kind": kind, "from": first.isoformat(), "to": last.isoformat(),
               "exported": len(result.rows), "rejected": len(result.rejects), "out": str(out),
               "sha256": hashlib.sha256(data).hexdigest(), "rejects": str(rejects),
               "rejects_sha256": hashlib.sha256(refused).hexdigest()}
    try:
        write_atomic(out, data, 0o644)
        write_atomic(rejects, refused, 0o600)  # names what is wrong with records: the office's
    except OSError:
        for path in (out, rejects):
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    _recorded("export-shuanggongshi", summary, out, rejects)
    print_record(summary, fmt, title="双公示导出 shuanggongshi export")


# What fits an 80-column terminal; --format json|csv gives every figure.
TABLE_COLUMNS = {"enterprises": "firms", "black_in_force": "black", "red_in_force": "red",
                 "measures_in_force": "measures", "penalties": "penalties",
                 "licenses": "licenses", "on_time_rate": "on time", "repairs": "repairs"}


@app.command("stats")
@handles_errors
def stats_command(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="district (the 13 of the 2016 plan, then 其他) "
                                                 "or authority")] = "district",
    since: Annotated[str | None, typer.Option(
        "--from", help="first day of the period [default: 1 January of --to's year]")] = None,
    until: Annotated[str | None, typer.Option(
        "--to", help="last day of the period, and the day entries and measures are in force "
                     "[default: today]")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Per district or authority: enterprises, black and red entries and measures in force on
    --to, penalties and licenses decided in the period, 七天双公示 on time / late / unpublished
    and the on-time rate, entries repaired in the period — what a district credit office
    reports upward (docs/publication.md)."""
    span = statistics.period(_date(since, "--from"), _date(until, "--to"))
    with open_from(ctx, read_only=True) as store:
        rows = statistics.statistics(store, by, span)
    if fmt is OutputFormat.json:
        print_json({"by": by, "from": span.since.isoformat(), "to": span.until.isoformat(),
                    "rows": rows})
        return
    if fmt is OutputFormat.csv:  # for spreadsheets: Chinese headers, BOM, formulas neutralised
        fields = list(rows[0]) if rows else [by]
        sys.stdout.buffer.write(csv_bytes([statistics.HEADERS.get(f, f) for f in fields],
                                          ([row[f] for f in fields] for row in rows)))
        return
    head = "district" if by == "district" else "authority"
    kept = {key: short for key, short in TABLE_COLUMNS.items()
            if by == "district" or key not in ("enterprises", "measures_in_force")}
    shown = [{head: row[head], **{short: _percent(row[key]) if key == "on_time_rate"
                                  else row[key] for key, short in kept.items()}}
             for row in rows]
    columns = [head, *kept.values()]
    print_rows(shown, columns, fmt, title=f"信用统计 {span.since} – {span.until}")


def _percent(rate: object) -> str:
    return "—" if rate is None else f"{float(rate):.0%}"  # type: ignore[arg-type]


report = typer.Typer(help="Credit reports (公共信用信息报告): issue one, or verify a file.",
                     invoke_without_command=True, no_args_is_help=True)
app.add_typer(report, name="report")


@report.callback()
@handles_errors
def report_command(
    ctx: typer.Context,
    subject: Annotated[str | None, SubjectOption] = None,
    out: Annotated[Path | None, typer.Option("--out", help="R.pdf or R.html")] = None,
    purpose: Annotated[str | None, typer.Option(
        "--purpose", help="what it is for (procurement, bond, subsidy, tender, license, "
                          "appointment): stated on the cover, measures relevant to it marked")
    ] = None,
    as_of: AsOf = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Issue a numbered public credit report on one subject (the national report's chapters:
    registration, licences and penalties inside their window, red and black entries in force,
    commitments and their fulfilment, measures in force; a summary count per chapter and the
    statement). PDF with searchable Chinese text, or self-contained HTML. Recorded in the audit
    log with its SHA-256; `creditgraph report verify FILE` checks a file against it."""
    if ctx.invoked_subcommand is not None:
        return
    if subject is None or out is None:
        raise credit_report.ReportError("give --subject and --out (R.pdf or R.html), or "
                                        "`report verify FILE`")
    suffix = out.suffix.lower()
    if suffix not in credit_report.FORMATS:
        raise credit_report.ReportError(f"--out {out}: the file name must end in .pdf or .html")
    audit.check_ready()
    day = _date(as_of) or dt.date.today()
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        built = credit_report.build(store, found, day, purpose)
    data, digest = credit_report.issue(built, suffix)
    write_atomic(out, data, 0o644)
    print_record({"number": built.number, "subject": built.subject.name, "as_of": day.isoformat(),
                  "purpose": purpose, "out": str(out), "sha256": digest,
                  **{title: count for title, count in built.summary()}}, fmt,
                 title="公共信用信息报告 credit report")


@report.command("verify")
@handles_errors
def report_verify_command(
    file: Annotated[Path, typer.Argument(help="a report file (.pdf or .html)")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Whether FILE is a credit report this system issued, unchanged (its SHA-256 among the
    audit log's report-issue records, in a log that verifies). Exit 1 when it is not."""
    verdict = credit_report.verify(file)
    details = (verdict.record or {}).get("details", {})
    print_record({"issued": verdict.issued, "sha256": verdict.sha256,
                  "number": details.get("number"), "subject": details.get("subject"),
                  "as_of": details.get("as_of"), "purpose": details.get("purpose"),
                  "issued_by": (verdict.record or {}).get("user"),
                  "issued_at": (verdict.record or {}).get("time"),
                  "audit_log": "; ".join(verdict.log_problems) or "verifies"}, fmt,
                 title="报告核验 report verification")
    if not verdict.issued:
        raise typer.Exit(1)


repair = typer.Typer(help="Credit repair (信用修复): what may be repaired, from when, and why. "
                          "Repair decisions themselves are loaded with `creditgraph load` from "
                          "repairs.csv (信用修复.csv): docs/publication.md.",
                     no_args_is_help=True)
app.add_typer(repair, name="repair")


@repair.command("check")
@handles_errors
def repair_check_command(ctx: typer.Context, subject: SubjectOption, as_of: AsOf = None,
                         fmt: FormatOption = OutputFormat.table) -> None:
    """Each penalty and black-list entry of the subject: its publication window or listing
    period, its state on the day, whether and from when repair may be applied for, and why
    (minimum period not yet over, domain excluded, already repaired — naming the repair
    decision loaded from repairs.csv — window already ended)."""
    day = _date(as_of) or dt.date.today()
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        rows = repair_check(store, found, day)
    if fmt is OutputFormat.json:
        print_json({"subject": found.node_id, "name": found.name, "as_of": day.isoformat(),
                    "records": rows})
    elif fmt is OutputFormat.csv:
        print_rows(rows, REPAIR_COLUMNS, fmt)
    else:
        print_rows(rows, ("id", "window", "state", "repair"), fmt,
                   title=f"信用修复 {found.name} · {day}")
        for row in rows:
            console.print(f"{row['id']}: {row['reason']}", highlight=False, soft_wrap=True)
