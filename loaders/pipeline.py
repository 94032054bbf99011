"""A load from end to end: structure first, then every file in dependency order, in chunks.

Every input row ends as loaded (a new subject or record), merged (into one the graph or this
load already had) or rejected (to rejects.csv with file, line, column and reason):
rows = loaded + merged + rejected, always. Warnings go to warnings.csv; the row stays.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import secrets
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from creditgraph.graph.errors import SchemaError
from creditgraph.graph.identifiers import CodeCheck, classify, normalize_code
from creditgraph.graph.schema import Schema
from creditgraph.loaders import kinds
from creditgraph.loaders.context import Cells, Context, forget_references
from creditgraph.loaders.errors import StructuralError
from creditgraph.loaders.plan import Issue, Plan, Reject
from creditgraph.loaders.reading import InputFile, SourceRow, discover, rows
from creditgraph.loaders.registry import Registry
from creditgraph.loaders.spec import Spec
from creditgraph.loaders.values import text


class Writer(Protocol):
    dry_run: bool

    def lookup(self, label: str, prop: str, values: list[str]) -> list[dict[str, Any]]: ...
    def record_facts(self, label: str, keys: list[str]) -> list[dict[str, Any]]: ...
    def existing_nodes(self, label: str, keys: list[str]) -> set[str]: ...
    def existing_relationships(self, rel_type: str, source: str, target: str,
                               pairs: list[tuple[str, str]]) -> set[tuple[str, str]]: ...
    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None: ...
    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Any]: ...
    def supersede(self, rel_types: tuple[str, ...], pids: list[str]) -> int: ...
    def reopen_listed(self, rel_type: str, load_id: str) -> None: ...
    def count_unlisted(self, rel_type: str, source: str, load_id: str) -> tuple[int, int]: ...
    def end_unconfirmed(self, rel_type: str, source: str, load_id: str,
                        end_date: dt.date) -> int: ...
    def apply_repairs(self) -> int: ...
    def rows_to_flush(self) -> int: ...
    def flush(self) -> int: ...


class Progress(Protocol):
    def start(self, name: str) -> None: ...
    def advance(self, rows: int) -> None: ...
    def finish(self) -> None: ...


@dataclass
class FileReport:
    file: str
    kind: str
    rows: int = 0
    loaded: int = 0
    merged: int = 0
    rejected: int = 0
    warnings: int = 0
    ended: int = 0
    spanning_rows: int = 0  # rows over several physical lines: quoting that may swallow lines
    unused_columns: list[str] = field(default_factory=list)

    def balanced(self) -> bool:
        return self.rows == self.loaded + self.merged + self.rejected


@dataclass
class EndCheck:
    """One source's relations this load did not list: how many, and whether they were ended.
    ``held`` says why none was (an empty or unnamed feed, rejects, suspect quoting, or a share
    above the limit)."""

    source: str
    types: list[str]
    open: int = 0       # open relations of the source before ending
    unlisted: int = 0   # of those, not listed by this load
    share: float = 0.0  # unlisted / open
    ended: int = 0
    held: str = ""


@dataclass
class LoadReport:
    load_id: str
    directory: str
    dry_run: bool
    started_at: str
    finished_at: str = ""
    files: list[FileReport] = field(default_factory=list)
    rejects_file: str = ""
    warnings_file: str = ""
    notes: list[str] = field(default_factory=list)
    end_checks: list[EndCheck] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        keys = ("rows", "loaded", "merged", "rejected", "warnings", "ended")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"totals": self.totals()}


class IssueLog:
    """rejects.csv and warnings.csv, written as the load goes (never the raw ID numbers)."""

    COLUMNS = ("file", "line", "column", "reason", "value")

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.rejects_path = directory / "rejects.csv"
        self.warnings_path = directory / "warnings.csv"
        self._files = [self.rejects_path.open("w", encoding="utf-8-sig", newline=""),
                       self.warnings_path.open("w", encoding="utf-8-sig", newline="")]
        self._rejects, self._warnings = (csv.DictWriter(f, self.COLUMNS) for f in self._files)
        self._rejects.writeheader()
        self._warnings.writeheader()

    def reject(self, issue: Issue) -> None:
        self._rejects.writerow(issue.as_row())

    def warn(self, issue: Issue) -> None:
        self._warnings.writerow(issue.as_row())

    def close(self) -> None:
        for handle in self._files:
            handle.close()


DEFAULT_MAX_END_SHARE = 0.05
SOURCE_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,63}$")


@dataclass
class LoadOptions:
    strict: bool = False
    batch_size: int = 5000
    # Names the feed. Only a named feed ends the relations it no longer lists: two agencies'
    # relations.csv loaded without names must not end each other's relations.
    source: str | None = None
    today: dt.date | None = None
    max_end_share: float = DEFAULT_MAX_END_SHARE  # above it, ending needs allow_mass_end
    allow_mass_end: bool = False

    def checked(self) -> LoadOptions:
        if self.source is not None and not SOURCE_NAME.match(self.source):
            raise StructuralError(f"--source {self.source!r}: 1-64 letters, digits, Chinese "
                                  "characters, . _ - (it names a feed)")
        if not 0 <= self.max_end_share <= 1:
            raise StructuralError(f"--max-end-share {self.max_end_share}: a share from 0 to 1")
        return self


def new_load_id(now: dt.datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


REPORTS_ROOT = Path("data") / "loads"


def load_directory(directory: Path, writer: Writer, schema: Schema, spec: Spec, secret: bytes,
                   report_dir: Path | None = None, options: LoadOptions | None = None,
                   progress: Progress | None = None) -> LoadReport:
    """Load (or, with a dry-run writer, check) every input file of a directory. Rejects and
    warnings go to ``report_dir`` (default ``data/loads/LOAD_ID``)."""
    options = (options or LoadOptions()).checked()
    files = discover(directory, spec)  # structural problems stop here, before any write
    now = dt.datetime.now(dt.UTC)
    load_id = new_load_id(now)
    report = LoadReport(load_id, str(directory), writer.dry_run, now.isoformat(timespec="seconds"))
    registry = Registry(secret, writer.lookup, record_lookup=writer.record_facts,
                        keep_records=any(f.kind == "repairs" for f in files))
    log = IssueLog(report_dir or REPORTS_ROOT / load_id)
    report.rejects_file, report.warnings_file = str(log.rejects_path), str(log.warnings_path)
    seen: set[tuple[str, ...]] = set()
    listings: dict[str, tuple[set[str], list[FileReport]]] = {}  # tag → types listed, files
    try:
        for source in files:
            tag = f"{options.source}/{source.kind}" if options.source else source.kind
            ctx = Context(source.name, tag, load_id, registry, schema, options.strict, now)
            file_report = FileReport(source.name, source.kind,
                                     unused_columns=list(source.unused_headers))
            report.files.append(file_report)
            if progress:
                progress.start(source.name)
            _load_file(source, ctx, writer, options, file_report, log, seen, progress)
            types, needed_column = kinds.COMPLETE_LISTS.get(source.kind, ((), None))
            if types and (needed_column is None or needed_column in source.columns.values()):
                listed, reports = listings.setdefault(tag, (set(), []))
                listed.update(types)
                reports.append(file_report)
            if progress:
                progress.finish()
        _flush(writer, report, progress)
        applied = writer.apply_repairs()
        if applied:
            report.notes.append(f"{applied} record(s) marked repaired by the repair decisions "
                                "(repaired_on, repair_id)")
        for tag, (ended_types, reports) in sorted(listings.items()):
            _end_unlisted(writer, report, tag, sorted(ended_types), reports, load_id,
                          options.today or now.date(), options)
        _note_unresolved(writer, registry, report)
    finally:
        log.close()
        forget_references()  # the checked cells hold document numbers: not past the load
    report.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return report


def _load_file(source: InputFile, ctx: Context, writer: Writer, options: LoadOptions,
               report: FileReport, log: IssueLog, seen: set[tuple[str, ...]],
               progress: Progress | None) -> None:
    transform = kinds.TRANSFORMERS[source.kind]
    if source.kind in kinds.PREREGISTER:
        for row in rows(source):
            kinds.PREREGISTER[source.kind](row, ctx)
    present = set(source.columns.values())
    code_columns = [c for c in kinds.CODE_COLUMNS if c in present]  # what the prefetch asks
    stated = tuple(prop for prop, column in kinds.STATED.get(source.kind, {}).items()
                   if column in present)
    with _BackgroundWrites(writer, ctx, report, log, stated) as writes:
        for chunk in _chunks(rows(source), options.batch_size):
            _prefetch(ctx.registry, chunk, code_columns)
            plans: list[tuple[SourceRow, Plan]] = []
            for row in chunk:
                report.rows += 1
                if row.spans_lines:
                    report.spanning_rows += 1
                    report.warnings += 1
                    log.warn(Issue(source.name, row.line, "", (
                        f"this row runs over lines {row.line}-{row.last_line}: a field holds "
                        "line breaks (a stray quote swallows the lines after it); check the "
                        "file")))
                try:
                    if row.spans_lines and source.kind in kinds.SINGLE_LINE:
                        raise Reject("", f"a {source.kind} row never holds line breaks: lines "
                                         f"{row.line}-{row.last_line} were read as one row")
                    if row.extra_fields:
                        raise Reject("", f"the row has {row.extra_fields} more field(s) than "
                                         "the header; a separator or quote is probably wrong")
                    plan = transform(row, ctx)
                except Reject as rejection:
                    report.rejected += 1
                    log.reject(Issue(source.name, row.line, rejection.column,
                                     rejection.message, rejection.value))
                    continue
                plans.append((row, plan))
            buckets = _count(plans, ctx, writer, report, log, seen)
            writes.submit(plans, buckets)
            if progress:
                progress.advance(len(chunk))


def _flush(writer: Writer, report: LoadReport, progress: Progress | None) -> None:
    """A writer that held the files' rows (the bulk path) writes them now, before the steps
    that read what the load wrote."""
    held = writer.rows_to_flush()
    if not held:
        return
    if progress:
        progress.start(f"bulk write, one transaction ({held:,} nodes and relationships)")
    writer.flush()
    report.notes.append(f"first load of an empty store: {held:,} nodes and relationships "
                        "written in one transaction through the engine's bulk path")
    if progress:
        progress.advance(held)
        progress.finish()


def _count(plans: list[tuple[SourceRow, Plan]], ctx: Context, writer: Writer,
           report: FileReport, log: IssueLog, seen: set[tuple[str, ...]]) -> list[str]:
    """Loaded or merged, for each plan: did the store or this load have its subject already?"""
    existing = _existing(writer, [plan.primary for _, plan in plans if plan.primary not in seen])
    buckets = []
    for row, plan in plans:
        for column, message, value in plan.warnings:
            report.warnings += 1
            log.warn(Issue(ctx.file, row.line, column, message, value))
        bucket = "merged" if plan.primary in seen or plan.primary in existing else "loaded"
        setattr(report, bucket, getattr(report, bucket) + 1)
        buckets.append(bucket)
        seen.add(plan.primary)
        # What a row writes besides its primary (a legal representative, say) also exists now,
        # for the rows after it, also in a dry run, where the store never sees it.
        for label, props in plan.nodes:
            seen.add(("node", label, props[ctx.schema.node(label).key]))
        for rel_type, src, dst, props in plan.rels:
            seen.add(("rel", rel_type, src, props["src_key"], dst, props["dst_key"]))
    return buckets


class _BackgroundWrites:
    """Writes one chunk while the next is read and checked. Parsing and resolving is Python
    work; writing mostly waits on the database: overlapping them uses both cores. One worker
    keeps the writes in order, so a chunk's relationships always find the nodes of the chunks
    before it; at most two chunks wait, to bound memory."""

    def __init__(self, writer: Writer, ctx: Context, report: FileReport, log: IssueLog,
                 stated: tuple[str, ...] = ()) -> None:
        self.writer, self.ctx, self.report, self.log = writer, ctx, report, log
        self.stated = stated  # relationship properties the file states in full
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="creditgraph-writes")
        self.pending: deque[tuple[Future[set[int]], list[tuple[SourceRow, Plan]],
                                  list[str]]] = deque()

    def __enter__(self) -> _BackgroundWrites:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                while self.pending:
                    self._settle()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, plans: list[tuple[SourceRow, Plan]], buckets: list[str]) -> None:
        if len(self.pending) >= 2:
            self._settle()
        self.pending.append((self.pool.submit(self._write, plans), plans, buckets))

    def _write(self, plans: list[tuple[SourceRow, Plan]]) -> set[int]:
        nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        owners: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(list)
        for index, (_, plan) in enumerate(plans):
            for label, props in plan.nodes:
                nodes[label].append(props)
            for rel_type, src, dst, props in plan.rels:
                rels[(rel_type, src, dst)].append(props)
                owners[(rel_type, src, dst, props["src_key"], props["dst_key"])].append(index)
        try:
            for label, batch in nodes.items():
                self.writer.merge_nodes(label, batch)
            failed: set[int] = set()
            for (rel_type, src, dst), batch in rels.items():
                own = self.ctx.schema.relationship(rel_type).properties
                stated = tuple(p for p in self.stated if p in own)
                for missing in self.writer.merge_relationships(rel_type, src, dst, batch,
                                                               stated):
                    failed.update(owners[(rel_type, src, dst, missing["src_key"],
                                          missing["dst_key"])])
        except SchemaError as exc:  # a transformer produced what the schema refuses: a bug
            raise SchemaError(f"{self.ctx.file}: {exc}") from None
        return failed

    def _settle(self) -> None:
        """Wait for the oldest chunk; rows whose links could not be written become rejects."""
        future, plans, buckets = self.pending.popleft()
        for index in sorted(future.result()):
            row, _ = plans[index]
            bucket = buckets[index]
            setattr(self.report, bucket, getattr(self.report, bucket) - 1)
            self.report.rejected += 1
            self.log.reject(Issue(self.ctx.file, row.line, "",
                                  "a subject this row links to is missing from the store"))


def _existing(writer: Writer, primaries: Iterable[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Which of these subjects and records the store already holds."""
    nodes: dict[str, list[str]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for primary in set(primaries):
        if primary[0] == "node":
            nodes[primary[1]].append(primary[2])
        else:
            _, rel_type, src, src_key, dst, dst_key = primary
            rels[(rel_type, src, dst)].append((src_key, dst_key))
    found: set[tuple[str, ...]] = set()
    for label, keys in nodes.items():
        found |= {("node", label, key) for key in writer.existing_nodes(label, keys)}
    for (rel_type, src, dst), pairs in rels.items():
        found |= {("rel", rel_type, src, s, dst, d)
                  for s, d in writer.existing_relationships(rel_type, src, dst, pairs)}
    return found


def _end_unlisted(writer: Writer, report: LoadReport, source: str, types: list[str],
                  files: list[FileReport], load_id: str, today: dt.date,
                  options: LoadOptions) -> None:
    """A relation its source no longer lists is ended, not deleted — but only when the feed is
    demonstrably complete, and never more than ``max_end_share`` of the source's open relations
    unless asked: a truncated export must not end real relations."""
    for rel_type in types:  # listed again after an earlier load ended them: open again
        writer.reopen_listed(rel_type, load_id)
    check = EndCheck(source, types)
    report.end_checks.append(check)
    check.held = _incomplete(options, files)
    if check.held:
        report.notes.append(f"{source}: {check.held}")
        return
    worst = 0.0  # a type missing whole from an export must not hide behind the others
    for rel_type in types:
        open_, unlisted = writer.count_unlisted(rel_type, source, load_id)
        check.open += open_
        check.unlisted += unlisted
        worst = max(worst, unlisted / open_ if open_ else 0.0)
    check.share = round(check.unlisted / check.open, 4) if check.open else 0.0
    if worst > options.max_end_share and not options.allow_mass_end:
        check.held = (f"would end {check.unlisted:,} of {check.open:,} open relations "
                      f"({check.share:.1%}; {worst:.1%} of one type), more than --max-end-share "
                      f"{options.max_end_share:.0%}; none ended. Check the feed is complete, "
                      "then load again with --allow-mass-end")
        report.notes.append(f"{source}: {check.held}")
        return
    if check.unlisted:
        for rel_type in types:
            check.ended += writer.end_unconfirmed(rel_type, source, load_id, today)
    files[0].ended += check.ended


def _note_unresolved(writer: Writer, registry: Registry, report: LoadReport) -> None:
    """Persons named without a number are counted; every resolved one this load met loses its
    duplicate relations (the resolved person's own relations stand in for them). Not only those
    resolved by this load: a load killed after resolving a person but before this step is run
    again, and the rerun must finish the job (superseding is idempotent)."""
    superseded = writer.supersede(kinds.NAME_ONLY_TYPES, sorted(registry.resolved))
    if registry.resolved_now or superseded:
        report.notes.append(f"{len(registry.resolved_now)} unresolved person(s) resolved by a row "
                            f"with a document number; {superseded} duplicate relation(s) "
                            "superseded")
    if registry.unresolved_rows:
        report.notes.append(f"{registry.unresolved_rows} row(s) name a natural person without a "
                            "document number: loaded as unresolved persons of their firm")


def _incomplete(options: LoadOptions, files: list[FileReport]) -> str:
    """Why these files cannot be trusted to list every relation of their source ('' if they
    can)."""
    if not options.source:
        return ("no --source named this feed, so relations it does not list were kept (name "
                "the feed with --source to end them)")
    if not sum(f.rows for f in files):
        return "no data rows: an empty export never ends relations"
    rejected = sum(f.rejected for f in files)
    if rejected:
        return (f"{rejected} row(s) rejected, so relations missing from this export were not "
                "ended; fix and reload")
    spanning = sum(f.spanning_rows for f in files)
    if spanning:
        return (f"{spanning} row(s) run over several lines (a stray quote?), so the file may "
                "be cut short; relations missing from it were not ended")
    return ""


def _chunks(items: Iterator[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _prefetch(registry: Registry, chunk: list[SourceRow], code_columns: list[str]) -> None:
    codes: list[CodeCheck] = []
    names: list[str] = []
    departments: list[str] = []
    department_names: list[str] = []
    entity_ids: list[str] = []
    person_keys: list[str] = []
    for row in chunk:
        cells = Cells(row)
        for column in code_columns:
            try:
                check = cells.reference(column)
            except Reject:
                continue  # the row's transformer rejects it, naming the column
            if check is None:
                continue
            codes.append(check)
            if column in kinds.OVERSEAS_COLUMNS:
                entity_ids.append(check.input.strip())
        for columns, target in ((kinds.NAME_COLUMNS, names),
                                (kinds.DEPARTMENT_COLUMNS, departments),
                                (kinds.DEPARTMENT_NAME_COLUMNS, department_names)):
            for name in columns:
                value = row.values.get(name)
                if value is None or isinstance(value, dt.date):
                    continue
                cleaned = text(value)
                if cleaned:
                    target.append(cleaned)
        person_keys += _unresolved_keys(registry, row)
    registry.prefetch(codes, names, [normalize_code(c) for c in departments], department_names,
                      entity_ids, person_keys)


def _unresolved_keys(registry: Registry, row: SourceRow) -> list[str]:
    """The unresolved person a relations row names or resolves (by name, in the target firm)."""
    name, target = row.values.get("source_name"), row.values.get("target_id")
    if not isinstance(name, str) or not name.strip() or not isinstance(target, str):
        return []
    check = classify(target)
    if check.kind != "uscc" or registry.secret is None:
        return []
    return [registry.unresolved_pid(check.normalized, name.strip())]
