"""Cell values as registries export them: dates in every common form, amounts with units,
ratios as 0.35 / 35 / 35%, yes-no in Chinese. Each parser returns the value or raises
``BadValue`` with a message that names what was expected."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any


class BadValue(ValueError):
    pass


EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_UNITS = ("万元人民币", "万人民币", "万元", "元")
TRUE_WORDS = {"是", "1", "true", "yes", "y", "t", "中标", "已中标", "成交"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "f", "未中标", "不成交"}


def text(value: Any) -> str | None:
    """Trimmed text; empty becomes None. Control characters other than tab and newline go."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    if raw.isprintable():  # the common case, checked in C
        return raw.strip() or None
    cleaned = "".join(c for c in raw if c in "\t\n" or unicodedata.category(c) != "Cc")
    return cleaned.strip() or None


def code_text(value: Any) -> str | None:
    """A code cell. Excel may have turned a long code into a number, which loses digits."""
    if isinstance(value, float | int) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise BadValue("a code stored as a number in Excel has lost digits; "
                       "format the column as text and export again")
    return text(value)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(float(value))
    raw = text(value)
    return None if raw is None else _date_of_text(raw)


@lru_cache(maxsize=65_536)  # a feed's dates repeat: a few thousand days, millions of rows
def _date_of_text(raw: str) -> dt.date:
    raw = unicodedata.normalize("NFKC", raw)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups()[:3])
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise BadValue(f"{raw!r} is not a real date") from None
    if _NUMBER.match(raw):
        return _excel_serial(float(raw))
    raise BadValue(f"{raw!r} is not a date (use 2016-03-28, 2016/3/28, 2016年3月28日 or "
                   "20160328)")


def _excel_serial(serial: float) -> dt.date:
    # Serials 10000-80000 are 1927-2119; a bare year such as 2016 is not a serial.
    if not 10_000 <= serial < 80_000:
        raise BadValue(f"{serial!r} is not a date")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_number(value: Any) -> float | None:
    """An amount; units such as 万元 are dropped (amounts are in 万元 throughout)."""
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        raw = text(value)
        if raw is None:
            return None
        raw = unicodedata.normalize("NFKC", raw).replace(",", "")
        for unit in _UNITS:
            raw = raw.removesuffix(unit)
        if not _NUMBER.match(raw.strip()):
            raise BadValue(f"{raw!r} is not a number")
        number = float(raw)
    if not math.isfinite(number):
        raise BadValue(f"{value!r} is not a finite number")
    return number


def parse_ratio(value: Any) -> float | None:
    """``0.35``, ``35`` and ``35%`` all mean 35%. A value above 1 is read as a percentage."""
    raw = text(value) if not isinstance(value, int | float) else value
    if raw is None:
        return None
    percent = isinstance(raw, str) and raw.rstrip().endswith(("%", "％"))
    number = parse_number(raw.rstrip().rstrip("%％") if isinstance(raw, str) else raw)
    if number is None:
        return None
    if percent or number > 1:
        number /= 100
    if not 0 < number <= 1:
        raise BadValue(f"{value!r} is not a share between 0 and 100%")
    return round(number, 10)


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = text(value)
    if raw is None:
        return None
    word = unicodedata.normalize("NFKC", raw).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(f"{raw!r} is not yes or no (是 / 否)")


def normalize_name(name: str) -> str:
    """Names compare after NFKC (full-width brackets and letters), without spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()
