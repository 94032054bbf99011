"""Printing results: a table for people, JSON or CSV for machines."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


console = Console()
error_console = Console(stderr=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


def print_rows(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: OutputFormat, title: str = ""
) -> None:
    if fmt is OutputFormat.json:
        print_json([dict(row) for row in rows])
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        shown = [{c: "" if row.get(c) is None else str(row.get(c)) for c in columns}
                 for row in rows]
        if not shown:
            console.print(f"{title}: none" if title else "none", highlight=False)
        elif _fits(columns, shown, console.width):
            console.print(_table(columns, shown, title))
        else:  # too many columns for the terminal: one block of field | value per row
            for number, row in enumerate(shown, 1):
                name = f"{title} · {number}/{len(shown)}" if title else f"{number}/{len(shown)}"
                console.print(_table(("field", "value"),
                                     [{"field": c, "value": row[c]} for c in columns], name))


KEEP = 24  # a column whose cells are all this short (counts, codes, dates, file names) is whole


def _short(column: str, rows: Sequence[Mapping[str, str]]) -> int:
    """The width a column must keep: its header, and all of its cells where they are short —
    long text may fold."""
    widest = max((cell_len(row[column]) for row in rows), default=0)
    return max(cell_len(column), widest if widest <= KEEP else 0)


def _fits(columns: Sequence[str], rows: Sequence[Mapping[str, str]], width: int) -> bool:
    """Whether every column keeps its width: each costs its padding (2) and a divider (1)."""
    return sum(_short(c, rows) for c in columns) + 3 * len(columns) + 1 <= width


def _table(columns: Sequence[str], rows: Sequence[Mapping[str, str]], title: str) -> Table:
    """Headers never fold (rows of fragments in an 80-column terminal); light rules."""
    table = Table(title=title or None, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        keep = _short(column, rows)
        numeric = bool(rows) and all(row[column].replace(".", "", 1).replace("-", "", 1)
                                     .replace(",", "").isdigit() or not row[column]
                                     for row in rows)
        table.add_column(column, min_width=keep, overflow="fold",
                         justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(row[c] for c in columns))
    return table


def print_record(record: Mapping[str, Any], fmt: OutputFormat, title: str = "") -> None:
    """One result (a summary): as JSON, one CSV row, or a two-column table that fits an
    80-column terminal however many fields it has."""
    if fmt is OutputFormat.table:
        print_rows([{"field": k, "value": v} for k, v in record.items()], ("field", "value"),
                   fmt, title)
    elif fmt is OutputFormat.json:
        print_json(dict(record))
    else:
        print_rows([record], list(record), fmt)


def fail(message: str) -> None:
    """One clear line on stderr; the caller exits non-zero."""
    error_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
