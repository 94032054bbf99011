"""``creditgraph publish lists``: what the credit office releases to the public
(docs/publication.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cli.app import FormatOption, app, handles_errors, open_from
from cli.output import OutputFormat, print_record
from cli.query_commands import AsOf, _date
from graph import audit
from publication.lists import check_out, published_list, write

publish = typer.Typer(help="Files for public release: red and black lists (红黑名单发布).",
                      no_args_is_help=True)
app.add_typer(publish, name="publish")


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
    try:
        audit.append("publish-lists", **summary)
    except Exception:
        with contextlib.suppress(OSError):
            out.unlink()  # released only once recorded
        raise
    print_record(summary, fmt, title="名单发布 published list")
