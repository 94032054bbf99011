"""Dashboard users: a local store of names, roles and Argon2 password hashes, and the sign-in
check with its failure counters.

Where: CREDITGRAPH_USERS, default ./data/users.json, made absolute when read (outside the
repository; never committed). The failure counters live beside it in ``<stem>.failures.json``,
so a lockout survives a rerun or a restart and holds for every session at once
(access/lookup_budget.py keeps its per-user counts the same way). While the store holds no user
the dashboard stays closed (unless CREDITGRAPH_DEMO=1); see docs/access.md.

Roles, each including the one before:
- viewer: reads everything except civil-servant files; ID numbers masked; cannot export;
  a resident ID number answers only found / not found; sees nothing of cases;
- investigator: also exports case bags; works the cases assigned to them (alerts/cases.py);
- supervisor: also civil-servant integrity files (also in case bags); assigns and closes cases;
- admin: also manages users. The last admin can be neither removed nor demoted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from creditgraph.graph import settings
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.files import write_private
from creditgraph.graph.settings import Access

ROLES = ("viewer", "investigator", "supervisor", "admin")
MAX_NAME = 80
MAX_PASSWORD = 1024  # checked before hashing: Argon2 over megabytes is a denial of service
NAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,80}$")  # an OIDC user is their e-mail
MIN_PASSWORD = 10
DELAY_BASE, DELAY_MAX = 0.25, 4.0  # seconds: 0.25, 0.5, 1, 2, 4 after 1, 2, 3, 4, 5 failures
MAX_COUNTERS = 10_000  # names kept in the failure file; the oldest go first
_hasher = PasswordHasher()


class UserError(CreditGraphError):
    pass


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str
    webhook: str | None = None  # where the alerts of this user's watches are POSTed

    def can(self, needed: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(needed)


def users_file() -> Path:
    """The user store, absolute: a relative default missed from another directory must be
    named in the 'closed' message, not read as 'no users'."""
    return settings.users_file()


def failures_file(path: Path | None = None) -> Path:
    path = path or users_file()
    return path.with_name(f"{path.stem}.failures.json")


def load_users(path: Path | None = None) -> dict[str, User]:
    """The users by name; {} when the file does not exist. A file that exists but cannot be
    read or parsed is an error (the dashboard then stays closed), never 'no users'."""
    path = path or users_file()
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        users = {u["name"]: User(u["name"], u["role"], u["password_hash"], u.get("webhook"))
                 for u in raw["users"]}
    except OSError as exc:
        raise UserError(f"{path}: cannot read the user file ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path}: not a CreditGraph user file ({exc})") from None
    for user in users.values():
        if user.role not in ROLES:
            raise UserError(f"{path}: user {user.name!r} has an unknown role {user.role!r}")
    return users


def _save(users: dict[str, User], path: Path | None = None, before_save: Hook = None) -> None:
    if before_save is not None:
        before_save()
    text = json.dumps({"users": [asdict(u) for u in sorted(users.values(),
                                                          key=lambda u: u.name)]},
                      ensure_ascii=False, indent=2)
    write_private(path or users_file(), text + "\n")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    return role


Hook = Callable[[], object] | None


def add_user(name: str, role: str, password: str, path: Path | None = None,
             before_save: Hook = None) -> User:
    """``before_save`` runs once the change has been checked and before it is written (e.g.
    the audit record): if it raises, nothing changes, so no change goes unrecorded and no
    record names a change that was refused."""
    if not NAME.match(name):
        raise UserError(f"user name {name!r}: 2-80 letters, digits, Chinese characters, . _ - @")
    check_role(role)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"password: at most {MAX_PASSWORD} characters")
    users = load_users(path)
    if name in users:
        raise UserError(f"user {name!r} exists (remove it first, or use set-role)")
    user = User(name, role, _hasher.hash(password))
    users[name] = user
    _save(users, path, before_save)
    return user


def _keep_an_admin(users: dict[str, User], name: str, doing: str) -> None:
    """Without an admin nobody can manage users from the dashboard again."""
    admins = [u for u in users.values() if u.role == "admin"]
    if users[name].role == "admin" and len(admins) == 1:
        raise UserError(f"cannot {doing} {name!r}: the last admin (make another user admin "
                        "first)")


def set_role(name: str, role: str, path: Path | None = None, before_save: Hook = None
             ) -> User:
    """See ``add_user`` for ``before_save``."""
    users = load_users(path)
    if name not in users:
        raise UserError(f"no user {name!r}")
    check_role(role)
    if role != "admin":
        _keep_an_admin(users, name, "demote")
    users[name] = replace(users[name], role=role)
    _save(users, path, before_save)
    return users[name]


MAX_URL = 2000


def set_webhook(name: str, url: str | None, path: Path | None = None,
                before_save: Hook = None) -> User:
    """Where the alerts of the user's watches are POSTed (alerts/notify.py); None clears it.
    Only an http(s) URL with a host; see ``add_user`` for ``before_save``."""
    from urllib.parse import urlsplit

    users = load_users(path)
    if name not in users:
        raise UserError(f"no user {name!r}")
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL:
            raise UserError(f"webhook {url[:80]!r}: an http:// or https:// URL with a host "
                            f"(at most {MAX_URL} characters)")
    users[name] = replace(users[name], webhook=url)
    _save(users, path, before_save)
    return users[name]


def remove_user(name: str, path: Path | None = None, before_save: Hook = None) -> None:
    """See ``add_user`` for ``before_save``."""
    users = load_users(path)
    if name not in users:
        raise UserError(f"no user {name!r}")
    _keep_an_admin(users, name, "remove")
    users.pop(name)
    _save(users, path, before_save)


def _password_matches(name: str, password: str, path: Path | None) -> User | None:
    """The user when the password matches. Only ``sign_in`` calls this, after refusing
    over-long input (Argon2 over megabytes is a denial of service) and counting the attempt."""
    user = load_users(path).get(name)
    if user is None:
        _hasher.hash(password)  # the same time whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


# -- failed sign-ins: slowed, then locked per name ---------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt came to. ``outcome``: ok, wrong, locked (refused: the name is
    locked) or too_long; a wrong attempt that starts a lockout carries ``locked_until``."""
    outcome: str
    user: User | None = None
    failures: int = 0  # consecutive failures of this name after the attempt
    locked_until: dt.datetime | None = None
    delay: float = 0.0  # seconds waited before answering


@contextlib.contextmanager
def locked_json(path: Path, tidy: Callable[[dict[str, Any]], None] | None = None
                ) -> Iterator[dict[str, Any]]:
    """A small JSON mapping beside the user store, read and written under an exclusive lock
    (sessions run concurrently), written back atomically — after ``tidy`` — only when the block
    changed it. A broken file reads as empty: it must not lock everybody out for good."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        before = json.dumps(data, sort_keys=True)
        yield data
        if json.dumps(data, sort_keys=True) != before:
            if tidy is not None:
                tidy(data)
            write_private(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _tidy_counters(counters: dict[str, Any], now: dt.datetime, access: Access,
                   most: int | None = None) -> None:
    """Keep only what the next answer depends on: a name (existing or not — treated alike, so
    the file says nothing about which names exist) stays while it is locked or has failures
    within the lockout period. Above ``most`` names the oldest unlocked go first; a running
    lock is never dropped, or flooding the file with names would unlock a guessed one."""
    most = MAX_COUNTERS if most is None else most
    for name in list(counters):
        entry = counters[name]
        if not isinstance(entry, dict) or (
                _locked_until(entry, now) is None and _recent_failures(entry, now, access) == 0):
            del counters[name]
    excess = len(counters) - most
    if excess > 0:
        unlocked = [n for n in counters if _locked_until(counters[n], now) is None]
        for name in sorted(unlocked, key=lambda n: str(counters[n].get("last", "")))[:excess]:
            del counters[name]


def _counters(path: Path, now: dt.datetime, access: Access
              ) -> contextlib.AbstractContextManager[dict[str, Any]]:
    return locked_json(path, lambda counters: _tidy_counters(counters, now, access))


def _locked_until(entry: dict[str, Any], now: dt.datetime) -> dt.datetime | None:
    locked = entry.get("locked_until")
    if not locked:
        return None
    until = dt.datetime.fromisoformat(locked)
    return until if until > now else None


def _delay(failures: int) -> float:
    return 0.0 if failures <= 0 else min(DELAY_BASE * 2 ** (failures - 1), DELAY_MAX)


def sign_in(name: str, password: str, path: Path | None = None,
            access: Access | None = None, now: dt.datetime | None = None,
            sleep: Callable[[float], None] = time.sleep) -> SignIn:
    """Check a password with the name's failure history: each failure makes the next answer
    slower, ``max_failures`` in a row lock the name for ``lockout_minutes`` (a locked name is
    refused without looking at the password, so guessing on cannot succeed).

    The attempt is counted as a failure under the lock *before* the password is checked, and
    taken back if it was right: parallel attempts each see the ones before them, so no more
    than ``max_failures`` passwords are ever checked before the lock. Over-long input is
    refused here, before any hashing (the one place that checks it)."""
    if len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
        return SignIn("too_long")
    access = access or Access.from_env()
    now = now or dt.datetime.now(dt.UTC)
    path = path or users_file()
    with _counters(failures_file(path), now, access) as counters:
        entry = counters.get(name, {})
        locked = _locked_until(entry, now)
        if locked is not None:
            return SignIn("locked", failures=int(entry.get("failures", 0)), locked_until=locked)
        failures = _recent_failures(entry, now, access) + 1  # this attempt, until proven right
        entry = {"failures": failures, "last": now.isoformat()}
        until = None
        if failures >= access.max_failures:
            until = now + dt.timedelta(minutes=access.lockout_minutes)
            entry["locked_until"] = until.isoformat()
        counters[name] = entry
    wait = _delay(failures - 1)  # outside the lock: one slow name must not hold up the others
    if wait:
        sleep(wait)
    user = _password_matches(name, password, path)
    if user is None:
        return SignIn("wrong", None, failures, until, wait)
    with _counters(failures_file(path), now, access) as counters:
        counters.pop(name, None)  # a right password ends the run of failures
    return SignIn("ok", user, 0, delay=wait)


def _recent_failures(entry: dict[str, Any], now: dt.datetime, access: Access) -> int:
    """Failures count while the last one is younger than the lockout period; after that (and
    so after a lockout has run out) the name starts afresh."""
    last = entry.get("last")
    if not last or now - dt.datetime.fromisoformat(last) >= dt.timedelta(
            minutes=access.lockout_minutes):
        return 0
    return int(entry.get("failures", 0))
