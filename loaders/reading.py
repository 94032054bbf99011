"""Reading input files: finding them, their encoding, their rows with line numbers.

CSV in UTF-8, UTF-8 with BOM or GB18030 (the encoding of most Chinese government exports);
``.xlsx`` through openpyxl in read-only mode: the one sheet that holds data (a workbook with data
on two sheets is refused, never half-read). Every row keeps the line it came from, so a rejected
row can be found in the original file, and the last line it reached: a quoted field holding line
breaks (a stray quote swallows every line after it) shows as a row spanning lines.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creditgraph.loaders.errors import StructuralError
from creditgraph.loaders.spec import LOAD_ORDER, Spec

SUFFIXES = (".csv", ".xlsx")
CHUNK = 1 << 20
csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class InputFile:
    path: Path
    kind: str
    encoding: str | None  # None for .xlsx
    columns: dict[int, str]  # column index → canonical name
    unused_headers: tuple[str, ...]
    header_width: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class SourceRow:
    line: int
    values: dict[str, Any]  # canonical column → raw cell (str, or a number / date from Excel)
    extra_fields: int = 0   # fields beyond the header (a broken CSV row)
    last_line: int = 0      # the physical line the row ended on (> line: it spans lines)

    @property
    def spans_lines(self) -> bool:
        return self.last_line > self.line


def discover(directory: Path, spec: Spec) -> list[InputFile]:
    """Every input file in the directory, checked for structure, in load order. Raises
    StructuralError for the first file that cannot be loaded, before anything is written."""
    if not directory.is_dir():
        raise StructuralError(f"{directory}: not a directory")
    found: list[tuple[int, str, Path, str]] = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith((".", "~$")):
            continue
        kind = spec.kind_of(path)
        if kind is None:
            raise StructuralError(
                f"{path.name}: not a known input file; name it after its kind "
                f"({', '.join(LOAD_ORDER)}) or map it with --mapping"
            )
        found.append((LOAD_ORDER.index(kind), path.name, path, kind))
    if not found:
        raise StructuralError(f"{directory}: no .csv or .xlsx input files")
    return [_inspect(path, kind, spec) for _, _, path, kind in sorted(found)]


def _inspect(path: Path, kind: str, spec: Spec) -> InputFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StructuralError(f"{path.name}: cannot read: {exc.strerror}") from None
    if size == 0:
        raise StructuralError(f"{path.name}: empty file (not even a header row)")
    if path.suffix.lower() == ".xlsx":
        headers = _xlsx_headers(path)
        encoding = None
    else:
        encoding = detect_encoding(path)
        with path.open(encoding=encoding, newline="") as handle:
            headers = next(csv.reader(handle), [])
    if not any(h.strip() for h in headers):
        raise StructuralError(f"{path.name}: the first row holds no column names")
    columns = spec.match_headers(kind, headers, path.name)
    unused = tuple(h for i, h in enumerate(headers) if i not in columns and h.strip())
    return InputFile(path, kind, encoding, columns, unused, len(headers))


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, checked over the whole file."""
    with path.open("rb") as handle:
        head = handle.read(3)
    candidates = ["utf-8-sig"] if head == codecs.BOM_UTF8 else ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            last = exc
    raise StructuralError(
        f"{path.name}: unknown encoding (neither UTF-8 nor GB18030; first bad byte at offset "
        f"{last.start}); save it as UTF-8 or GB18030"
    )


def rows(source: InputFile) -> Iterator[SourceRow]:
    if source.encoding is None:
        yield from _xlsx_rows(source)
    else:
        yield from _csv_rows(source)


def _csv_rows(source: InputFile) -> Iterator[SourceRow]:
    with source.path.open(encoding=source.encoding, newline="") as handle:
        # The csv module refuses NUL characters; they carry nothing, so they go.
        reader = csv.reader(line.replace("\0", "") for line in handle)
        next(reader, None)
        next_line = reader.line_num + 1
        for record in reader:
            line, next_line = next_line, reader.line_num + 1  # a quoted field may span lines
            if not any(field.strip() for field in record):
                continue  # a blank line is not a row
            values = {name: record[i] if i < len(record) else "" for i, name in
                      source.columns.items()}
            yield SourceRow(line, values, max(0, len(record) - source.header_width),
                            reader.line_num)


def _open_xlsx(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise StructuralError(f"{path.name}: not a readable .xlsx workbook ({exc})") from None


def _data_sheet(book: Any, path: Path) -> Any:
    """The one sheet holding data. Data on two sheets is refused: reading only the first would
    silently drop the rest, and for a complete list that ends relations."""
    filled = [sheet for sheet in book.worksheets if _has_data(sheet)]
    if len(filled) > 1:
        names = ", ".join(repr(sheet.title) for sheet in filled)
        raise StructuralError(f"{path.name}: data on {len(filled)} sheets ({names}); keep one "
                              "sheet per file (save each sheet as its own file)")
    return filled[0] if filled else book.worksheets[0]


def _has_data(sheet: Any) -> bool:
    return any(_filled(value) for record in sheet.iter_rows(values_only=True)
               for value in record)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _xlsx_headers(path: Path) -> list[str]:
    book = _open_xlsx(path)
    try:
        sheet = _data_sheet(book, path)
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        return ["" if v is None else str(v) for v in first]
    finally:
        book.close()


def _xlsx_rows(source: InputFile) -> Iterator[SourceRow]:
    book = _open_xlsx(source.path)
    try:
        sheet = _data_sheet(book, source.path)
        for number, record in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            if not any(_filled(v) for v in record):
                continue
            values = {name: _cell(record[i]) if i < len(record) else "" for i, name in
                      source.columns.items()}
            yield SourceRow(number, values)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
