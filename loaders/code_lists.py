"""Lists of codes in the first column of a CSV (UTF-8 or GB18030), XLSX or text file — a bidder
list uploaded on the dashboard, `--bidders` / `--file` of the CLI, an ID map for a case bag —
read one way for all of them, with bounded work: a size cap checked before parsing, a row cap
checked while reading (blank rows count: a sheet can hold a million empty ones), and XLSX read by
openpyxl in read-only (streaming) mode. Read-only mode still loads the whole shared-strings table,
so the unpacked size of an XLSX's members is checked against ``max_unpacked`` before openpyxl
opens it: a 2 MiB file cannot unpack into gigabytes. The dashboard's caps are the defaults; the
command line, reading a file its user chose, lifts the size and row caps (``CLI``)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import classify

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX's members, uncompressed, all together
MAX_MEMBERS = 1000  # zip members of one XLSX (a workbook of one sheet has about a dozen)
HEADERS = ("code", "uscc", "代码", "统一社会信用代码", "身份证号", "证件号码")
# the command line's caps: a file its user chose, still no zip that unpacks into gigabytes
CLI: dict[str, Any] = {"max_rows": None, "max_bytes": None, "max_unpacked": 1024 * 1024 * 1024}


class UploadError(CreditGraphError):
    """A list that cannot be read, or is over a cap: the message names the file."""


def first_column(name: str, raw: bytes, max_rows: int | None = MAX_ROWS,
                 max_bytes: int | None = MAX_UPLOAD_BYTES,
                 max_unpacked: int = MAX_UNPACKED_BYTES) -> list[str]:
    """The codes in the first column, or a clear refusal; a first cell that is a header (a
    known header word, or text that is no code of any kind) is skipped. Every row read counts
    against ``max_rows`` (one more for a header), blank or not; None: no cap."""
    codes = [text for _, text in first_column_lines(name, raw, max_rows, max_bytes, max_unpacked)]
    if codes and (codes[0].lower() in HEADERS or classify(codes[0]).kind == "unknown"):
        codes = codes[1:]
    if max_rows is not None and len(codes) > max_rows:
        raise UploadError(f"{name}: more than {max_rows:,} codes; split the list")
    return codes


def first_column_lines(name: str, raw: bytes, max_rows: int | None = MAX_ROWS,
                       max_bytes: int | None = MAX_UPLOAD_BYTES,
                       max_unpacked: int = MAX_UNPACKED_BYTES) -> list[tuple[int, str]]:
    """Every non-blank first-column cell with its line (row) number, a header included: for a
    caller whose errors name the line."""
    if max_bytes is not None and len(raw) > max_bytes:
        raise UploadError(f"{name}: {len(raw):,} bytes; at most {max_bytes:,} "
                          f"({max_bytes // (1024 * 1024)} MiB)")
    cells = _xlsx(name, raw, max_unpacked) if name.lower().endswith(".xlsx") else _csv(name, raw)
    found: list[tuple[int, str]] = []
    try:
        for read, cell in enumerate(cells, 1):
            text = "" if cell is None else str(cell).strip()
            if text:
                found.append((read, text))
            if max_rows is not None and len(found) > max_rows + 1:
                raise UploadError(f"{name}: more than {max_rows:,} codes; split the list")
            if max_rows is not None and read > max_rows + 1:
                raise UploadError(f"{name}: more than {max_rows:,} rows; split the list")
    except (csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UploadError(f"{name}: cannot be read ({exc})") from None
    return found


def _unpacked_size(name: str, raw: bytes, max_unpacked: int) -> None:
    """Refuse an XLSX whose members unpack beyond ``max_unpacked`` bytes, judged from the zip
    directory before anything is decompressed (zipfile reads a member no further than the size
    the directory states, so a member cannot lie its way past this)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadError(f"{name}: not a readable .xlsx file ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise UploadError(f"{name}: {len(members):,} parts in the file; at most {MAX_MEMBERS:,}")
    total = sum(member.file_size for member in members)
    if total > max_unpacked:
        raise UploadError(f"{name}: unpacks to {total:,} bytes; at most {max_unpacked:,} "
                          f"({max_unpacked // (1024 * 1024)} MiB)")


def _xlsx(name: str, raw: bytes, max_unpacked: int) -> Iterator[object]:
    _unpacked_size(name, raw, max_unpacked)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise UploadError(f"{name}: not a readable .xlsx file ({exc})") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_col=1, values_only=True):
            yield row[0] if row else None
    finally:
        book.close()


def _csv(name: str, raw: bytes) -> Iterable[object]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadError(f"{name}: unknown encoding (neither UTF-8 nor GB18030)")
    return (row[0] if row else None for row in csv.reader(io.StringIO(text)))
