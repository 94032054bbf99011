"""Working days on the State Council holiday calendar (with its swapped weekend working days),
for the 七天双公示 rule: decisions are published within 7 working days.

``chinesecalendar`` knows the official calendar for the years it covers; outside them we fall
back to Monday-Friday and say so (``official`` is False)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=1 << 16)
def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def official(day: dt.date) -> bool:
    """Whether the official holiday calendar covers this date."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    return _rank(end) - _rank(start) if end > start else 0


def _rank(day: dt.date) -> int:
    """Working days from an arbitrary origin up to and including ``day``: differences count
    working days between dates without walking them (a publication audit asks for thousands
    of decisions years apart)."""
    before, within = _year(day.year)
    return before + within[day.timetuple().tm_yday - 1]


@lru_cache(maxsize=512)
def _year(year: int) -> tuple[int, tuple[int, ...]]:
    """Working days before the year (counted from 1 January 2000) and, for each day of the
    year, the running count up to and including it."""
    if year >= 2000:
        before = sum(_days(y)[-1] for y in range(2000, year))
    else:
        before = -sum(_days(y)[-1] for y in range(year, 2000))
    return before, _days(year)


@lru_cache(maxsize=512)
def _days(year: int) -> tuple[int, ...]:
    running, count, day = [], 0, dt.date(year, 1, 1)
    while day.year == year:
        count += is_workday(day)
        running.append(count)
        day += dt.timedelta(days=1)
    return tuple(running)


def years_from(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (negative: earlier); 29 February becomes
    28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
