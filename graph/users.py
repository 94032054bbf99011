"""Dashboard users: a local store of names, roles and Argon2 password hashes.

Where: CREDITGRAPH_USERS, default ./data/users.json (outside the repository; never committed).
While it holds no user the dashboard runs as an open demo and says so; once one exists, every
page needs a login.

Roles, each including the one before:
- viewer: reads everything except civil-servant files; ID numbers masked; cannot export;
- investigator: also exports case bags;
- supervisor: also civil-servant integrity files;
- admin: also manages users.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.errors import CreditGraphError

ROLES = ("viewer", "investigator", "supervisor", "admin")
DEFAULT_FILE = Path("data") / "users.json"
NAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,80}$")  # an OIDC user is their e-mail
MIN_PASSWORD = 10
_hasher = PasswordHasher()


class UserError(CreditGraphError):
    pass


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str

    def can(self, needed: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(needed)


def users_file() -> Path:
    return Path(os.environ.get("CREDITGRAPH_USERS") or DEFAULT_FILE)


def load_users(path: Path | None = None) -> dict[str, User]:
    path = path or users_file()
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {u["name"]: User(u["name"], u["role"], u["password_hash"]) for u in raw["users"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path}: not a CreditGraph user file ({exc})") from None


def _save(users: dict[str, User], path: Path | None = None) -> None:
    path = path or users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"users": [asdict(u) for u in sorted(users.values(),
                                                          key=lambda u: u.name)]},
                      ensure_ascii=False, indent=2)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.chmod(temporary, 0o600)
    temporary.replace(path)  # all or nothing


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    return role


def add_user(name: str, role: str, password: str, path: Path | None = None) -> User:
    if not NAME.match(name):
        raise UserError(f"user name {name!r}: 2-80 letters, digits, Chinese characters, . _ - @")
    check_role(role)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password: at least {MIN_PASSWORD} characters")
    users = load_users(path)
    if name in users:
        raise UserError(f"user {name!r} exists (remove it first, or use set-role)")
    user = User(name, role, _hasher.hash(password))
    users[name] = user
    _save(users, path)
    return user


def set_role(name: str, role: str, path: Path | None = None) -> User:
    users = load_users(path)
    if name not in users:
        raise UserError(f"no user {name!r}")
    users[name] = User(name, check_role(role), users[name].password_hash)
    _save(users, path)
    return users[name]


def remove_user(name: str, path: Path | None = None) -> None:
    users = load_users(path)
    if users.pop(name, None) is None:
        raise UserError(f"no user {name!r}")
    _save(users, path)


def authenticate(name: str, password: str, path: Path | None = None) -> User | None:
    user = load_users(path).get(name)
    if user is None:
        _hasher.hash(password)  # the same time whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user
