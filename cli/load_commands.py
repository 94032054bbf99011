"""``creditgraph load`` and ``validate``: registry exports into the graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from creditgraph.access import audit
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.alerts.service import AlertRun, deliver
from creditgraph.cli.alert_output import (
    ALERTS_FAILED,
    alerts_after_write,
    print_alert_run,
    report_alert_failure,
)
from creditgraph.cli.app import FormatOption, app, handles_errors, open_from, settings_of
from creditgraph.cli.output import OutputFormat, console, error_console, print_json, print_rows
from creditgraph.cli.propagation_commands import AlertsOption, print_report, run_propagation
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.schema import default_schema
from creditgraph.graph.write_lock import write_lock
from creditgraph.loaders.bulk import writer_for
from creditgraph.loaders.neo4j_import import ImportCsvWriter
from creditgraph.loaders.pipeline import (
    DEFAULT_MAX_END_SHARE,
    LoadOptions,
    LoadReport,
    load_directory,
)
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import DryRunWriter
from creditgraph.propagation.rules import load_rules

REPORT_COLUMNS = ["file", "kind", "rows", "loaded", "merged", "rejected", "warnings", "ended"]

StrictOption = Annotated[bool, typer.Option(
    "--strict", help="reject rows whose codes fail their check character (default: keep and "
                     "flag them)")]
MappingOption = Annotated[Path | None, typer.Option(
    "--mapping", help="YAML mapping other file names and headers to ours (see docs/loading.md)")]
ReportDirOption = Annotated[Path | None, typer.Option(
    "--report-dir", help="where rejects.csv and warnings.csv go [default: data/loads/LOAD_ID]")]
SourceOption = Annotated[str | None, typer.Option(
    "--source", help="name of the feed these files come from (e.g. amr-daily). Only a named "
                     "feed ends the relations it no longer lists; without it nothing is ended")]
MaxEndShareOption = Annotated[float, typer.Option(
    "--max-end-share", min=0.0, max=1.0,
    help="a load that would end more than this share of a feed's open relations ends none "
         "and says how many it would have ended")]
BulkOption = Annotated[bool, typer.Option(
    help="a first load into an empty embedded store is checked in memory and written in one "
         "transaction through the engine's bulk path (COPY FROM): all or nothing, about twice "
         "as fast (the default). --no-bulk writes batch by batch, as every later load does")]
AllowMassEndOption = Annotated[bool, typer.Option(
    "--allow-mass-end", help="end the unlisted relations even above --max-end-share (after "
                             "checking that the feed really is complete)")]


class _Bars:
    """Rich progress on stderr, so JSON on stdout stays clean."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def start(self, name: str) -> None:
        self.task = self.progress.add_task(name, total=None)

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)

    def finish(self) -> None:
        if self.task is not None:
            done = self.progress.tasks[self.task].completed
            self.progress.update(self.task, total=done, completed=done)


@contextmanager
def _progress(fmt: OutputFormat) -> Iterator[_Bars]:
    """A bar per file on stderr; cleared afterwards when the output is for machines."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("rows"), TimeElapsedColumn(), console=error_console,
                  transient=fmt is not OutputFormat.table) as progress:
        yield _Bars(progress)


def _run(ctx: typer.Context, directory: Path, dry_run: bool, strict: bool, mapping: Path | None,
         report_dir: Path | None, source: str | None, fmt: OutputFormat,
         propagate: bool = False, max_end_share: float = DEFAULT_MAX_END_SHARE,
         allow_mass_end: bool = False, bulk: bool = True, alerts: bool = False) -> None:
    settings = settings_of(ctx)
    secret = settings.id_secret()
    spec = load_spec(mapping)
    propagation = None
    alert_run: AlertRun | CreditGraphError | None = None
    measures = None
    if propagate:
        load_rules()  # a broken rule file stops the load before it writes anything
    if alerts:  # so does a broken alert rule file (or the rules whose reach alerts follow)
        load_alert_rules()
        measures = load_rules()
    if not dry_run:  # nor does a load start that could not be put on record
        audit.check_ready()
    with open_from(ctx) as store, ExitStack() as held:
        options = LoadOptions(strict=strict, batch_size=settings.batch_size, source=source,
                              max_end_share=max_end_share, allow_mass_end=allow_mass_end)
        try:
            if not dry_run:  # a dry run leaves even the schema alone, and takes no lock
                store.init_schema()
                held.enter_context(write_lock(store, "load"))
            writer = DryRunWriter(store) if dry_run else writer_for(store, bulk)
            with _progress(fmt) as bars:
                report = load_directory(directory, writer, store.schema, spec, secret,
                                        report_dir, options, bars)
        except BaseException as exc:
            if not dry_run:  # what a failed load may have written is on record too
                audit.append("load-failed", directory=str(directory), source=source,
                             backend=store.backend, error=type(exc).__name__)
            raise
        if not dry_run:
            audit.append("load", load_id=report.load_id, directory=str(directory),
                         source=source, totals=report.totals(), backend=store.backend,
                         ends=[vars(check) for check in report.end_checks])
        since = dt.datetime.fromisoformat(report.started_at)
        if propagate and not dry_run:
            propagation = run_propagation(store, None, dt.date.today(), since, fmt)
        if alerts and not dry_run:  # what the load and the propagation changed
            alert_run = alerts_after_write(store, dt.date.today(), since,
                                           propagation.touched if propagation else (), measures)
    failed = alert_run if isinstance(alert_run, CreditGraphError) else None
    alert_run = deliver(alert_run) if isinstance(alert_run, AlertRun) else None  # unlocked
    if fmt is OutputFormat.json and (propagation is not None or alert_run is not None):
        print_json(report.as_dict()
                   | ({"propagation": propagation.as_dict()} if propagation else {})
                   | ({"alerts": alert_run.summary()} if alert_run else {}))
    else:
        _print(report, fmt)
        if propagation is not None and fmt is OutputFormat.table:
            print_report(propagation, fmt)
        if alert_run is not None and fmt is OutputFormat.table:
            print_alert_run(alert_run, fmt)
    if failed is not None:
        report_alert_failure(failed)
    if any(not f.balanced() for f in report.files):
        raise typer.Exit(3)  # never expected: a row was neither loaded, merged nor rejected
    if failed is not None:
        raise typer.Exit(ALERTS_FAILED)


def _print(report: LoadReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.json:
        print_json(report.as_dict())
        return
    rows = [vars(f) for f in report.files]
    rows.append({"file": "total", "kind": "", **report.totals()})
    title = "校验 validation (dry run: nothing written)" if report.dry_run else "导入 load"
    columns = REPORT_COLUMNS
    if fmt is OutputFormat.table and all(Path(f.file).stem == f.kind for f in report.files):
        columns = [c for c in REPORT_COLUMNS if c != "kind"]  # each file says its kind
    print_rows(rows, columns, fmt, title=f"{title} · {report.load_id}")
    if fmt is OutputFormat.table:
        for f in report.files:
            if f.unused_columns:
                console.print(f"{f.file}: columns not used: {', '.join(f.unused_columns)}")
        for check in report.end_checks:
            if check.open:
                console.print(f"{check.source}: {check.unlisted:,} of {check.open:,} open "
                              f"relations not listed ({check.share:.1%}), {check.ended:,} ended")
        for note in report.notes:
            console.print(f"note: {note}")
        console.print(f"rejects: {report.rejects_file}\nwarnings: {report.warnings_file}")


@app.command()
@handles_errors
def load(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="directory of .csv / .xlsx exports")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check everything, write "
                                                           "nothing")] = False,
    strict: StrictOption = False,
    mapping: MappingOption = None,
    report_dir: ReportDirOption = None,
    source: SourceOption = None,
    max_end_share: MaxEndShareOption = DEFAULT_MAX_END_SHARE,
    allow_mass_end: AllowMassEndOption = False,
    bulk: BulkOption = True,
    propagate: Annotated[bool, typer.Option(
        help="afterwards recompute the joint-punishment measures the loaded entries and "
             "relations touch (creditgraph propagate --changed-since)")] = True,
    alerts: AlertsOption = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Load registry exports into the graph (enterprises, persons, relations, penalties,
    licenses, list entries, commitments, credit-repair decisions …: docs/loading.md). Every
    row is loaded, merged into an existing subject, or rejected to rejects.csv with file,
    line, column and reason. A feed named with
    --source ends the relations it no longer lists, only when complete (data rows, no rejects,
    no rows over several lines) and within --max-end-share. Then the joint-punishment measures
    the load touched are recomputed (--no-propagate to skip), and the alert rules evaluated on
    what changed (--no-alerts to skip; creditgraph alerts run --since)."""
    _run(ctx, directory, dry_run, strict, mapping, report_dir, source, fmt, propagate,
         max_end_share, allow_mass_end, bulk, alerts)


@app.command()
@handles_errors
def validate(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="directory of .csv / .xlsx exports")],
    strict: StrictOption = False,
    mapping: MappingOption = None,
    report_dir: ReportDirOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check a directory as `load` would, writing nothing (= load --dry-run)."""
    _run(ctx, directory, True, strict, mapping, report_dir, None, fmt)


@app.command("export-neo4j-import")
@handles_errors
def export_neo4j_import(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="directory of .csv / .xlsx exports")],
    out: Annotated[Path, typer.Argument(help="where the import CSV files and import.sh go")],
    strict: StrictOption = False,
    mapping: MappingOption = None,
    report_dir: ReportDirOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Offline first load of millions of rows: validate and resolve as `load` does, but write
    CSV files for `neo4j-admin database import full` (run OUT/import.sh on a stopped, empty
    Neo4j, then `creditgraph --backend neo4j init`)."""
    settings = settings_of(ctx)
    secret = settings.id_secret()
    spec = load_spec(mapping)
    schema = default_schema()
    writer = ImportCsvWriter(schema, out)
    options = LoadOptions(strict=strict, batch_size=settings.batch_size)
    with _progress(fmt) as bars:
        report = load_directory(directory, writer, schema, spec, secret, report_dir, options,
                                bars)
    files = writer.write()
    if fmt is OutputFormat.json:
        print_json(report.as_dict() | {"import_files": files,
                                       "import_script": str(out / "import.sh")})
        return
    _print(report, fmt)
    if fmt is OutputFormat.table:
        print_rows([{"file": k, "rows": v} for k, v in files.items()], ["file", "rows"], fmt,
                   title=f"neo4j-admin import files in {out}")
        console.print(f"then: {out / 'import.sh'} [DATABASE]; creditgraph --backend neo4j init")
