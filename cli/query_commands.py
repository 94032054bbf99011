"""``creditgraph query NAME``: the investigation queries, printed as tables or as JSON / CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creditgraph.cli.app import FormatOption, app, handles_errors, open_from, settings_of
from creditgraph.cli.output import OutputFormat, console, print_json, print_rows
from creditgraph.graph.errors import CreditGraphError, SettingsError
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.queries import (
    audits,
    civil_servants,
    clusters,
    linked,
    ownership,
    paths,
    profile,
    risk,
    screening,
)
from creditgraph.queries.subjects import resolve

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

query = typer.Typer(help="Investigation queries. `creditgraph query --list` describes them.",
                    invoke_without_command=True)
app.add_typer(query, name="query")

CATALOG = {
    "profile": ("a subject's credit file: identity (masked IDs), codes incl. legacy, list "
                "entries, penalties, licenses, commitments, direct relations", "--subject"),
    "linked-dishonesty": ("black-listed subjects reachable from a subject over control and "
                          "affiliation relations, with hops and the path in words",
                          "--subject, --max-hops, --relations"),
    "linked-dishonesty-scan": ("every subject not itself black-listed with a black-listed "
                               "party within N hops, closest first, then most entries",
                               "--max-hops, --limit"),
    "ownership": ("equity penetration: cumulative shares over all chains (cycles counted once) "
                  "and beneficial owners (>= 25% or control)", "--subject, --threshold"),
    "publication-audit": ("七天双公示: licenses and penalties published later than 7 working "
                          "days after the decision, by authority", "--from, --to, --summary"),
    "commitment-breaches": ("subjects penalised on a matter they had committed to", ""),
    "red-black-conflicts": ("red-listed subjects black-listed themselves or linked to a "
                            "black-listed party within N hops", "--max-hops"),
    "path": ("shortest and all shortest paths between two subjects, explained in words",
             "--from-subject, --to-subject, --max-length, --relations, --one"),
    "clusters": ("enterprises sharing address, phone, legal representative or officer with no "
                 "declared relation; phoenix firms of black-listed persons", "--min-size"),
    "civil-servant": ("integrity file timeline, for-profit findings, conflicts of interest, "
                      "promotion check", "--subject"),
    "screen": ("procurement / bond / subsidy screening: eligible or not, with reasons and "
               "evidence paths", "--bidders FILE or --subject ..., --max-hops"),
    "risk-rank": ("network risk: personalised PageRank seeded on black-listed subjects, top N "
                  "with reasons", "--top, --max-hops"),
}

AsOf = Annotated[str | None, typer.Option("--as-of", help="the date the question is asked for, "
                                                           "YYYY-MM-DD [default: today]")]
SubjectOption = Annotated[str, typer.Option(
    "--subject", help="USCC, legacy code, a person's document number (matched by its hash; "
                      "证件类型:number where the shape cannot tell the type, e.g. 护照:12345678) "
                      "or an overseas entity's id")]
Hops = Annotated[int, typer.Option("--max-hops", min=1, max=6, help="relations to follow")]


def _date(text: str | None, option: str = "--as-of") -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CreditGraphError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def timestamp(text: str, option: str) -> dt.datetime:
    """A time given on the command line (ISO 8601); a bare time is local time."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CreditGraphError(f"{option} {text!r} is not a time (ISO 8601, e.g. "
                               "2026-11-26T08:00:00+08:00)") from None
    return value if value.tzinfo else value.astimezone()


def _secret(ctx: typer.Context) -> bytes | None:
    try:
        return settings_of(ctx).id_secret()
    except SettingsError:
        return None  # only needed when the subject is given as an ID number


def _show(frame: pd.DataFrame, fmt: OutputFormat, title: str) -> None:
    rows = frame.to_dict("records")
    if fmt is OutputFormat.json:
        print_json(rows)
        return
    flat = [{str(k): ", ".join(map(str, v)) if isinstance(v, list) else _plain(v)
             for k, v in row.items()} for row in rows]
    print_rows(flat, list(frame.columns), fmt, title=title)


def _show_sections(sections: dict[str, pd.DataFrame], fmt: OutputFormat, who: str) -> None:
    """A file of several tables: one JSON object, or one table a section."""
    if fmt is OutputFormat.json:
        print_json({name: frame.to_dict("records") for name, frame in sections.items()})
        return
    for name, frame in sections.items():
        if fmt is OutputFormat.table and frame.empty:
            console.print(f"{name}: none")
            continue
        _show(frame, fmt, f"{who} · {name}")


def _plain(value: Any) -> Any:
    import pandas as pd
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


@query.callback()
def catalog(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="describe the queries")] = False,
) -> None:
    if list_ or ctx.invoked_subcommand is None:
        rows = [{"query": name, "what it answers": what, "options": options}
                for name, (what, options) in CATALOG.items()]
        print_rows(rows, ["query", "what it answers", "options"], OutputFormat.table,
                   title="查询 queries (all take --as-of and --format)")
        raise typer.Exit()


@query.command("profile")
@handles_errors
def profile_command(ctx: typer.Context, subject: SubjectOption, as_of: AsOf = None,
                    fmt: FormatOption = OutputFormat.table) -> None:
    """A subject's credit file (信用档案)."""
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        sections = profile.profile(store, found, _date(as_of))
    _show_sections(sections, fmt, found.name)


@query.command("linked-dishonesty")
@handles_errors
def linked_command(ctx: typer.Context, subject: SubjectOption, max_hops: Hops = 2,
                   relations: Annotated[str | None, typer.Option(
                       help="comma-separated relationship types to follow [default: "
                            + ",".join(CONTROL_RELATIONS) + "]")] = None,
                   as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Black-listed parties linked to a subject (关联失信)."""
    types = tuple(relations.split(",")) if relations else CONTROL_RELATIONS
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        frame = linked.linked_dishonesty(store, found, max_hops, _date(as_of), types)
    _show(frame, fmt, f"关联失信 linked dishonesty · {found.name} · {max_hops} hops")


@query.command("linked-dishonesty-scan")
@handles_errors
def scan_command(ctx: typer.Context, max_hops: Hops = 2,
                 limit: Annotated[int | None, typer.Option(
                     min=1, help="the top N rows only: the search stops after the first hop "
                     "that finds N")] = None,
                 as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Every subject with a black-listed party within N hops, ranked."""
    with open_from(ctx, read_only=True) as store:
        frame = linked.linked_dishonesty_scan(store, max_hops, _date(as_of), limit=limit)
    _show(frame, fmt, f"关联失信扫描 linked dishonesty scan · {max_hops} hops")


@query.command("ownership")
@handles_errors
def ownership_command(ctx: typer.Context, subject: SubjectOption,
                      threshold: Annotated[float, typer.Option(
                          min=0.0, max=1.0, help="beneficial-owner share")] = 0.25,
                      as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Equity penetration (股权穿透) and beneficial owners."""
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        frame = ownership.ownership(store, found, _date(as_of), threshold)
    _show(frame, fmt, f"股权穿透 ownership · {found.name}")


@query.command("publication-audit")
@handles_errors
def publication_command(
    ctx: typer.Context,
    from_date: Annotated[str, typer.Option("--from", help="first decision date")] = "2014-01-01",
    to_date: Annotated[str | None, typer.Option("--to", help="last decision date "
                                                           "[default: --as-of]")] = None,
    summary: Annotated[bool, typer.Option(help="counts by authority instead of rows")] = False,
    as_of: AsOf = None, fmt: FormatOption = OutputFormat.table,
) -> None:
    """七天双公示: decisions published after 7 working days."""
    day = _date(as_of) or dt.date.today()
    with open_from(ctx, read_only=True) as store:
        frame = audits.publication_audit(store, _date(from_date, "--from") or day,
                                         _date(to_date, "--to") or day, day)
    if summary:
        frame = audits.publication_summary(frame)
    _show(frame, fmt, "七天双公示 publication audit")


@query.command("commitment-breaches")
@handles_errors
def breaches_command(ctx: typer.Context, as_of: AsOf = None,
                     fmt: FormatOption = OutputFormat.table) -> None:
    """Penalties on a matter the subject had committed to (信用承诺)."""
    with open_from(ctx, read_only=True) as store:
        frame = audits.commitment_breaches(store, _date(as_of))
    _show(frame, fmt, "承诺违约 commitment breaches")


@query.command("red-black-conflicts")
@handles_errors
def conflicts_command(ctx: typer.Context, max_hops: Hops = 2, as_of: AsOf = None,
                      fmt: FormatOption = OutputFormat.table) -> None:
    """Red-listed subjects with linked dishonesty (红黑名单冲突)."""
    with open_from(ctx, read_only=True) as store:
        frame = audits.red_black_conflicts(store, max_hops, _date(as_of))
    _show(frame, fmt, f"红黑名单冲突 red/black conflicts · {max_hops} hops")


def _relations(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else CONTROL_RELATIONS


Relations = Annotated[str | None, typer.Option(help="comma-separated relationship types to "
                                                    "follow [default: all control relations]")]


@query.command("path")
@handles_errors
def path_command(ctx: typer.Context,
                 from_subject: Annotated[str, typer.Option("--from-subject", help="first subject")],
                 to_subject: Annotated[str, typer.Option("--to-subject", help="second subject")],
                 max_length: Annotated[int, typer.Option(min=1, max=8)] = 4,
                 relations: Relations = None,
                 one: Annotated[bool, typer.Option("--one", help="only one shortest path")] = False,
                 as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Shortest paths between two subjects (关系路径)."""
    with open_from(ctx, read_only=True) as store:
        secret = _secret(ctx)
        source, target = resolve(store, from_subject, secret), resolve(store, to_subject, secret)
        frame = paths.paths(store, source, target, max_length, _date(as_of),
                            _relations(relations), all_shortest=not one)
    _show(frame, fmt, f"关系路径 paths · {source.name} → {target.name}")


@query.command("clusters")
@handles_errors
def clusters_command(ctx: typer.Context,
                     min_size: Annotated[int, typer.Option(min=2, help="smallest group")] = 2,
                     as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Suspicious association and phoenix firms (可疑关联)."""
    with open_from(ctx, read_only=True) as store:
        groups = clusters.clusters(store, min_size, _date(as_of))
        phoenix = clusters.phoenix_firms(store, _date(as_of))
    if fmt is OutputFormat.json:
        print_json({"clusters": groups.to_dict("records"), "phoenix_firms":
                    phoenix.to_dict("records")})
        return
    _show(groups, fmt, "可疑关联 shared address / phone / officer, no declared relation")
    _show(phoenix, fmt, "失信后新设企业 phoenix firms")


@query.command("civil-servant")
@handles_errors
def civil_servant_command(ctx: typer.Context, subject: SubjectOption, as_of: AsOf = None,
                          fmt: FormatOption = OutputFormat.table) -> None:
    """A civil servant's integrity file and promotion check (公务员诚信)."""
    with open_from(ctx, read_only=True) as store:
        found = resolve(store, subject, _secret(ctx))
        sections = civil_servants.civil_servant(store, found, _date(as_of)).sections()
    _show_sections(sections, fmt, found.name)


@query.command("screen")
@handles_errors
def screen_command(ctx: typer.Context,
                   bidders: Annotated[Path | None, typer.Option(
                       help="CSV, XLSX or text file of codes (first column)")] = None,
                   subject: Annotated[list[str] | None, typer.Option(
                       "--subject", help="a code to screen (repeatable)")] = None,
                   max_hops: Hops = 2, relations: Relations = None,
                   as_of: AsOf = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Credit screening for procurement, bonds and subsidies (信用审查). Exit 1 if any
    applicant is not eligible."""
    codes = list(subject or []) + (read_codes(bidders) if bidders else [])
    if not codes:
        raise CreditGraphError("give --bidders FILE or one or more --subject CODE")
    with open_from(ctx, read_only=True) as store:
        frame = screening.screen(store, codes, _secret(ctx), max_hops, _date(as_of),
                                 _relations(relations))
    _show(frame, fmt, "信用审查 screening")
    if not frame["eligible"].all():
        raise typer.Exit(1)


@query.command("risk-rank")
@handles_errors
def risk_command(ctx: typer.Context, top: Annotated[int, typer.Option(min=1)] = 20,
                 max_hops: Hops = 3, as_of: AsOf = None,
                 fmt: FormatOption = OutputFormat.table) -> None:
    """Network risk ranking (网络风险)."""
    with open_from(ctx, read_only=True) as store:
        frame = risk.risk_rank(store, top, max_hops, _date(as_of))
    if fmt is OutputFormat.table:  # the reason says both in a sentence
        frame = frame.drop(columns=["black_within", "nearest_path"])
    _show(frame, fmt, f"网络风险 risk rank · top {top}")


def read_codes(path: Path) -> list[str]:
    """Codes from the first column of a CSV / XLSX, or a text file one a line; a header row
    that is not a code is skipped (loaders/code_lists.py, as the dashboard reads an upload)."""
    from creditgraph.loaders.code_lists import CLI, first_column

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CreditGraphError(f"{path}: cannot read: {exc.strerror}") from None
    return first_column(str(path), raw, **CLI)
