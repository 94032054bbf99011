"""Cells a spreadsheet program would run as a formula (a text starting with = + - @, a tab or
a carriage return) written with a leading apostrophe, so a name such as ``=HYPERLINK(...)`` in a
downloaded or published file is shown as written, never run (CSV / formula injection)."""

from __future__ import annotations

import re

FORMULA = re.compile(r"^[=+\-@\t\r]")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet cell: lists as text, formulas neutralised."""
    if isinstance(value, list | tuple):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value
