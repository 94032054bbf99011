"""Reading an uploaded bidder list with bounded work: a size cap checked before parsing, a row cap
checked while reading, and XLSX read by openpyxl in read-only (streaming) mode, so a small file
that unpacks to a huge sheet stops at the cap instead of filling memory."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from graph.errors import CreditGraphError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
HEADERS = ("code", "uscc", "代码", "统一社会信用代码", "身份证号", "证件号码")


class UploadError(CreditGraphError):
    pass


def first_column(name: str, raw: bytes, max_rows: int = MAX_ROWS,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> list[str]:
    """The codes in the first column (a header row is skipped), or a clear refusal."""
    if len(raw) > max_bytes:
        raise UploadError(f"{name}: {len(raw):,} bytes; at most {max_bytes:,} "
                          f"({max_bytes // (1024 * 1024)} MiB)")
    cells = _xlsx(raw) if name.lower().endswith(".xlsx") else _csv(raw)
    codes: list[str] = []
    try:
        for cell in cells:
            text = "" if cell is None else str(cell).strip()
            if not text or (not codes and text.lower() in HEADERS):
                continue
            codes.append(text)
            if len(codes) > max_rows:
                raise UploadError(f"{name}: more than {max_rows:,} codes; split the list")
    except (csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UploadError(f"{name}: cannot be read ({exc})") from None
    return codes


def _xlsx(raw: bytes) -> Iterator[object]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise UploadError(f"not a readable .xlsx file ({exc})") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_col=1, values_only=True):
            yield row[0] if row else None
    finally:
        book.close()


def _csv(raw: bytes) -> Iterable[object]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadError("not UTF-8 or GB18030 text")
    return (row[0] if row else None for row in csv.reader(io.StringIO(text)))
