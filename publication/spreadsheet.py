"""Cells a spreadsheet program would run as a formula (a text starting with = + - @, a tab or
a carriage return) written with a leading apostrophe, so a name such as ``=HYPERLINK(...)`` in a
downloaded or published file is shown as written, never run (CSV / formula injection)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA = re.compile(r"^[=+\-@\t\r]")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet cell: lists as text, formulas neutralised."""
    if isinstance(value, list | tuple):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file as spreadsheet programs read Chinese: UTF-8 with a byte-order mark, CRLF
    line ends, None as an empty cell, formulas neutralised."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if value is None else safe_cell(value) for value in row]
                      for row in rows])
    return text.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet, the header then the rows as text (codes keep their leading zeros), formulas
    neutralised."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook's one sheet
    sheet.title = sheet_name[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
