"""API keys of the departmental systems that call the credit-check service (docs/api.md).

A key is shown once, when made (``cgk_<id>_<secret>``: the id finds the record, the secret
proves it); the store keeps only HMAC-SHA256 of the whole key under the ID key
(CREDITGRAPH_ID_KEY, domain-separated), so a copy of the file gives no usable key. A keyed hash
rather than Argon2 because the secret is 256 random bits — nothing to guess — and every API
call checks it: a slow hash per request would be the service's bottleneck.

Where: CREDITGRAPH_API_KEYS, default ./data/api-keys.json, made absolute when read, mode 600,
written atomically under a file lock. A missing, unreadable or malformed store means no valid
key (fail closed). Revoked keys stay in the file (named in the audit log; never reissued)."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from creditgraph.graph import settings
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.files import write_private

ROLES = ("viewer", "investigator")
NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,64}$")
KEY = re.compile(r"^cgk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
MAX_KEY_TEXT = 200  # a header longer than any key is refused before hashing
_DOMAIN = b"creditgraph-api-key\x00"
Hook = Callable[[], object] | None


class ApiKeyError(CreditGraphError):
    pass


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    key_id: str
    key_hash: str = field(repr=False)
    purposes: tuple[str, ...] = ()
    expires: str | None = None      # ISO date: the last day the key works
    created: str = ""
    revoked: str | None = None      # ISO time of revocation
    rate_per_minute: int | None = None  # None: the service's default

    def can(self, needed: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(needed)

    def usable(self, today: dt.date) -> bool:
        return self.revoked is None and (self.expires is None
                                         or dt.date.fromisoformat(self.expires) >= today)

    def public(self) -> dict[str, Any]:
        """Everything but the hash: what ``api-keys list`` prints."""
        data = asdict(self)
        data.pop("key_hash")
        data["purposes"] = list(self.purposes)
        return data


def keys_file() -> Path:
    return settings.api_keys_file()


def _digest(text: str, secret: bytes) -> str:
    return hmac.new(secret, _DOMAIN + text.encode("utf-8"), hashlib.sha256).hexdigest()


def load_keys(path: Path | None = None) -> dict[str, ApiKey]:
    """The keys by name; {} when the file does not exist. A file that exists but cannot be
    read or parsed is an error, never 'no keys'."""
    path = path or keys_file()
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ApiKeyError(f"{path}: cannot read the API key file ({exc.strerror})") from None
    return dict(_parsed(path, info.st_mtime_ns, info.st_size, info.st_ino))


@cache
def _parsed(path: Path, _mtime: int, _size: int, _inode: int) -> tuple[tuple[str, ApiKey], ...]:
    """Parsed once per version of the file (an atomic replace changes inode and time), so a
    revocation counts from the next request on without re-reading the file every call."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        keys = [ApiKey(k["name"], k["role"], k["key_id"], k["key_hash"],
                       tuple(k.get("purposes") or ()), k.get("expires"), k.get("created", ""),
                       k.get("revoked"), k.get("rate_per_minute")) for k in raw["keys"]]
    except OSError as exc:
        raise ApiKeyError(f"{path}: cannot read the API key file ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ApiKeyError(f"{path}: not a CreditGraph API key file ({exc})") from None
    for key in keys:
        if key.role not in ROLES:
            raise ApiKeyError(f"{path}: key {key.name!r} has an unknown role {key.role!r}")
    return tuple((k.name, k) for k in keys)


@contextlib.contextmanager
def _changing(path: Path | None) -> Iterator[tuple[Path, dict[str, ApiKey]]]:
    """Read, change and write the store under an exclusive lock (two `api-keys add` at once
    must not lose one)."""
    path = path or keys_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        keys = load_keys(path)
        yield path, keys
        text = json.dumps({"keys": [asdict(k) | {"purposes": list(k.purposes)}
                                    for k in sorted(keys.values(), key=lambda k: k.name)]},
                          ensure_ascii=False, indent=2)
        write_private(path, text + "\n")


def add_key(name: str, role: str, secret: bytes, *, purposes: Collection[str] = (),
            known_purposes: Collection[str] = (), expires: dt.date | None = None,
            rate_per_minute: int | None = None, path: Path | None = None,
            before_save: Hook = None, today: dt.date | None = None) -> tuple[ApiKey, str]:
    """A new key: the record and the key text, which is never stored and cannot be shown
    again. ``before_save`` (the audit record) runs after the checks and before the write: if
    it raises, nothing is saved."""
    if not NAME.match(name):
        raise ApiKeyError(f"key name {name!r}: 2-64 letters, digits, Chinese characters, . _ -")
    if role not in ROLES:
        raise ApiKeyError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    unknown = sorted(set(purposes) - set(known_purposes))
    if unknown:
        raise ApiKeyError(f"unknown purpose(s) {', '.join(unknown)}: one of "
                          f"{', '.join(known_purposes)}")
    today = today or dt.date.today()
    if expires is not None and expires < today:
        raise ApiKeyError(f"--expires {expires} is in the past")
    if rate_per_minute is not None and rate_per_minute < 1:
        raise ApiKeyError("--rate: at least 1 request a minute")
    with _changing(path) as (_, keys):
        if name in keys:
            raise ApiKeyError(f"a key named {name!r} exists (revoked keys keep their name)")
        key_id = secrets.token_hex(6)
        text = f"cgk_{key_id}_{secrets.token_urlsafe(32)}"
        record = ApiKey(name, role, key_id, _digest(text, secret),
                        tuple(p for p in known_purposes if p in set(purposes)),
                        expires.isoformat() if expires else None,
                        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), None,
                        rate_per_minute)
        if before_save is not None:
            before_save()
        keys[name] = record
    return record, text


def revoke_key(name: str, *, path: Path | None = None, before_save: Hook = None) -> ApiKey:
    with _changing(path) as (_, keys):
        if name not in keys:
            raise ApiKeyError(f"no key named {name!r}")
        if keys[name].revoked:
            raise ApiKeyError(f"key {name!r} was revoked on {keys[name].revoked}")
        if before_save is not None:
            before_save()
        keys[name] = replace(keys[name], revoked=dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"))
        return keys[name]


def authenticate(text: str | None, secret: bytes, *, path: Path | None = None,
                 today: dt.date | None = None) -> ApiKey | None:
    """The key a request presents, if it is known, unrevoked and unexpired; else None. The
    hash is compared in constant time."""
    if not text or len(text) > MAX_KEY_TEXT:
        return None
    match = KEY.match(text)
    if not match:
        return None
    today = today or dt.date.today()
    for key in load_keys(path).values():
        if key.key_id == match.group(1):
            if hmac.compare_digest(key.key_hash, _digest(text, secret)) and key.usable(today):
                return key
            return None
    return None
