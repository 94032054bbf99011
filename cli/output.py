"""Printing results: a table for people, JSON or CSV for machines."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

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
        table = Table(title=title or None)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        console.print(table)


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
