"""``creditgraph codes check``: what a code is and whether it verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creditgraph.cli.app import FormatOption, app, handles_errors
from creditgraph.cli.output import OutputFormat, print_rows
from creditgraph.graph.documents import NAMES, UnknownDocumentType, document_type, identify
from creditgraph.graph.errors import CreditGraphError

codes = typer.Typer(help="Unified social credit codes, organisation codes, registration numbers "
                         "and persons' identity document numbers.", no_args_is_help=True)
app.add_typer(codes, name="codes")

COLUMNS = ["input", "normalized", "kind", "doc_type", "nationality", "valid", "reason"]


@codes.command("check")
@handles_errors
def check(
    values: Annotated[list[str] | None, typer.Argument(help="codes to check")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="a text file, one code a line "
                                               "(UTF-8 or GB18030)")] = None,
    id_type: Annotated[str | None, typer.Option(
        "--type", help="the 证件类型 of every value: " + ", ".join(NAMES.values()))] = None,
    nationality: Annotated[str | None, typer.Option(
        "--nationality", help="the holder's nationality (ISO code or name) for passports")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check codes: kind (uscc, org_code, reg_no, resident_id, document, unknown), the document
    type, validity and why. Without --type a person's document is told by its shape, and an
    ambiguous shape is invalid with the reason. Document numbers are echoed masked
    (330102********1234, E******78), never in clear. Exit status 1 when any code is invalid."""
    inputs = list(values or [])
    if file is not None:
        inputs += _read_lines(file)
    if not inputs:
        raise CreditGraphError("give codes as arguments or --file FILE")
    try:
        doc_type = document_type(id_type) if id_type else None
    except UnknownDocumentType as exc:
        raise CreditGraphError(f"--type: {exc}") from None
    results = [identify(code, doc_type, nationality).public() for code in inputs]
    print_rows(results, COLUMNS, fmt, title="代码校验 code check")
    if not all(r["valid"] for r in results):
        raise typer.Exit(1)


def _read_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CreditGraphError(f"{path}: cannot read: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return [line.strip() for line in data.decode(encoding).splitlines() if line.strip()]
        except UnicodeDecodeError:
            continue
    raise CreditGraphError(f"{path}: unknown encoding (neither UTF-8 nor GB18030)")
