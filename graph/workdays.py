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
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def years_from(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (negative: earlier); 29 February becomes
    28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
