"""Administrative division codes (行政区划代码), historical as well as current.

A code issued in 2015 keeps its 2015 division after a district merger, so checks ask "did this
code exist in that year" rather than "does it exist today". The national history comes from
python-stdnum's table; graph/divisions.yaml adds the Hangzhou codes it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from stdnum import numdb

DATA = Path(__file__).with_name("divisions.yaml")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    first_year: int | None
    last_year: int | None

    def in_use(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


@cache
def _supplement() -> dict[str, Division]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {
        code: Division(code, body["name"], body.get("from"), body.get("to"))
        for code, body in raw["supplement"].items()
    }


@cache
def hangzhou_2016() -> dict[str, str]:
    """The 13 districts and counties the 2016 plan names, code → name."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return {str(code): name for code, name in raw["hangzhou_2016"].items()}


@cache
def divisions(code: str) -> tuple[Division, ...]:
    """Every division that has carried this six-digit code, oldest first."""
    if len(code) != 6 or not code.isdigit():
        return ()
    found: list[Division] = []
    if code in _supplement():
        found.append(_supplement()[code])
    info: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        info.update(props)
    if "county" in info:
        for entry in info["county"].split(","):
            if entry.startswith("["):
                years, name = entry[1:].split("]", 1)
                start, end = years.split("-")
                found.append(Division(code, name, int(start) if start else None,
                                      int(end) if end else None))
            else:
                found.append(Division(code, entry, None, None))
    elif "province" in info and code.endswith("0000"):
        found.append(Division(code, info["province"], None, None))
    elif code.endswith("00") and "province" in info:
        found.append(Division(code, info["province"] + "（市辖）", None, None))
    return tuple({d.name: d for d in reversed(found)}.values())[::-1]


@cache  # asked once per row of a load: a few thousand codes, millions of rows
def known(code: str, year: int | None = None) -> bool:
    """Was this code in use (in that year, when given)?"""
    return any(d.in_use(year) for d in divisions(code))


def name(code: str, year: int | None = None) -> str | None:
    for division in divisions(code):
        if division.in_use(year):
            return division.name
    return None
