"""How many ID numbers a user below investigator may look up: CREDITGRAPH_ID_LOOKUPS_PER_DAY
(default 50) over a rolling 24 hours, shared by the search page and the screening upload.

Why: a viewer who types a full ID number learns whether that person is in the graph and may
open the file; without a budget, guessing around a masked number (about 34 candidates per
birth year) one number at a time would still re-identify people. The counts live beside the
user store in ``<stem>.lookups.json`` — only times, never a number — written atomically under
a file lock (access/users.py ``locked_json``), so they hold across sessions and restarts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creditgraph.access.users import User, locked_json, users_file
from creditgraph.graph.settings import Access

WINDOW = dt.timedelta(hours=24)
UNLIMITED_FROM = "investigator"  # this role and above hold no budget


@dataclass(frozen=True)
class Budget:
    """The answer to a request for ``lookups``: granted (all of them) or not, and what is left
    afterwards. ``limit`` and ``remaining`` are None for a role without a budget."""
    granted: bool
    remaining: int | None
    limit: int | None
    free_again: dt.datetime | None = None  # when the oldest counted lookup leaves the window


def lookups_file(path: Path | None = None) -> Path:
    path = path or users_file()
    return path.with_name(f"{path.stem}.lookups.json")


def limited(user: User) -> bool:
    return not user.can(UNLIMITED_FROM)


def spend(user: User, lookups: int, access: Access | None = None, path: Path | None = None,
          now: dt.datetime | None = None) -> Budget:
    """Take ``lookups`` ID-number lookups from the user's budget, all or none (a screening
    upload is checked whole). ``lookups=0`` only tells what is left."""
    if not limited(user):
        return Budget(True, None, None)
    access = access or Access.from_env()
    now = now or dt.datetime.now(dt.UTC)
    limit = access.id_lookups_per_day
    with locked_json(lookups_file(path), lambda data: _tidy(data, now)) as data:
        times = _recent(data.get(user.name), now)
        granted = len(times) + lookups <= limit
        if granted and lookups:
            times += [now.isoformat()] * lookups
            data[user.name] = times
    free_again = dt.datetime.fromisoformat(times[0]) + WINDOW if times else None
    return Budget(granted, max(limit - len(times), 0), limit, free_again)


def _recent(times: Any, now: dt.datetime) -> list[str]:
    if not isinstance(times, list):
        return []
    return sorted(t for t in times
                  if isinstance(t, str) and now - dt.datetime.fromisoformat(t) < WINDOW)


def _tidy(data: dict[str, Any], now: dt.datetime) -> None:
    """Lookups older than the window are forgotten, and users with none left dropped."""
    for name in list(data):
        recent = _recent(data[name], now)
        if recent:
            data[name] = recent
        else:
            del data[name]
