"""``creditgraph codes check``: what a code is and whether it verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.app import FormatOption, app, handles_errors
from cli.output import OutputFormat, print_rows
from graph.errors import CreditGraphError
from graph.identifiers import classify

codes = typer.Typer(help="Unified social credit codes, organisation codes, registration and "
                         "resident ID numbers.", no_args_is_help=True)
app.add_typer(codes, name="codes")

COLUMNS = ["input", "normalized", "kind", "valid", "reason"]


@codes.command("check")
@handles_errors
def check(
    values: Annotated[list[str] | None, typer.Argument(help="codes to check")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="a text file, one code a line "
                                               "(UTF-8 or GB18030)")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check codes: kind (uscc, org_code, reg_no, resident_id, unknown), validity and why.
    Resident ID numbers are echoed masked (330102********1234), never in clear.
    Exit status 1 when any code is invalid."""
    inputs = list(values or [])
    if file is not None:
        inputs += _read_lines(file)
    if not inputs:
        raise CreditGraphError("give codes as arguments or --file FILE")
    results = [classify(code).public() for code in inputs]
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
