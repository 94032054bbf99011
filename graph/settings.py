"""All configuration in one place, read from the environment; command-line options override.

| variable              | meaning                                   | default              |
|-----------------------|-------------------------------------------|----------------------|
| CREDITGRAPH_BACKEND   | ``embedded`` or ``neo4j``                 | embedded             |
| CREDITGRAPH_STORE     | embedded store directory                  | ./data/creditgraph   |
| CREDITGRAPH_BATCH_SIZE| rows per write transaction                | 5000                 |
| NEO4J_URI             | bolt://, neo4j://, neo4j+s://, bolt+s://… | bolt://localhost:7687|
| NEO4J_USER            | user name                                 | neo4j                |
| NEO4J_PASSWORD        | password (never printed)                  | (none)               |
| NEO4J_DATABASE        | database name                             | neo4j                |
| CREDITGRAPH_ID_KEY    | secret for keying ID numbers (HMAC)       | (none)               |
| CREDITGRAPH_ID_KEY_FILE | file holding that secret                | ./data/id.key        |

Dashboard access (``Access.from_env``; see docs/access.md):

| variable                          | meaning                                  | default   |
|-----------------------------------|------------------------------------------|-----------|
| CREDITGRAPH_DEMO                  | ``1``: with no users, open as a demo     | off       |
| CREDITGRAPH_AUTH                  | ``local`` (password) or ``oidc``         | local     |
| CREDITGRAPH_SESSION_IDLE_MINUTES  | a session idle this long signs out       | 30        |
| CREDITGRAPH_LOGIN_MAX_FAILURES    | failed sign-ins before a name is locked  | 5         |
| CREDITGRAPH_LOGIN_LOCKOUT_MINUTES | how long a locked name stays locked      | 15        |
| CREDITGRAPH_ID_LOOKUPS_PER_DAY    | ID numbers a viewer may look up in 24 h  | 50        |

Where records are kept, who acts, and the API's and rule files' settings: the functions at the
end of this module. Every variable is named in this module only (tests/graph/test_settings.py checks
it); docs/settings.md is the table of them all. Every path is made absolute when read, so a
process started from another directory names the file it looked for instead of silently
missing it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import urlsplit

from creditgraph.graph.errors import SettingsError

Backend = Literal["embedded", "neo4j"]
BACKENDS: tuple[str, ...] = get_args(Backend)
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

DEFAULT_STORE = Path("data") / "creditgraph"
DEFAULT_NEO4J_URI = "bolt://localhost:7687"
DEFAULT_BATCH_SIZE = 5000
DEFAULT_ID_KEY_FILE = Path("data") / "id.key"
MIN_ID_KEY_LENGTH = 16
AUTH_MODES = ("local", "oidc")
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def absolute(path: Path | str) -> Path:
    """A path as the process sees it now (``~`` expanded): relative paths break as soon as the
    dashboard or a job starts from another working directory."""
    return Path(path).expanduser().absolute()


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in TRUE_WORDS or value in FALSE_WORDS:
        return value in TRUE_WORDS
    raise SettingsError(f"{name} must be 1 or 0, got {value!r}")


def whole_number(env: Mapping[str, str], name: str, default: int, least: int = 1) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < least:
        raise SettingsError(f"{name} must be at least {least}, got {value}")
    return value


@dataclass(frozen=True)
class Access:
    """How the dashboard lets people in. Read on every page run, so a change to the environment
    of a running server cannot half-apply."""
    demo: bool = False
    auth: str = "local"
    idle_minutes: int = 30
    max_failures: int = 5
    lockout_minutes: int = 15
    id_lookups_per_day: int = 50  # below investigator; access/lookup_budget.py

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Access:
        env = os.environ if environ is None else environ
        auth = (env.get("CREDITGRAPH_AUTH") or "local").strip().lower()
        if auth not in AUTH_MODES:
            raise SettingsError(f"CREDITGRAPH_AUTH must be one of {', '.join(AUTH_MODES)}, "
                                f"got {auth!r}")
        return cls(demo=_flag(env, "CREDITGRAPH_DEMO"), auth=auth,
                   idle_minutes=whole_number(env, "CREDITGRAPH_SESSION_IDLE_MINUTES", 30),
                   max_failures=whole_number(env, "CREDITGRAPH_LOGIN_MAX_FAILURES", 5),
                   lockout_minutes=whole_number(env, "CREDITGRAPH_LOGIN_LOCKOUT_MINUTES", 15),
                   id_lookups_per_day=whole_number(env, "CREDITGRAPH_ID_LOOKUPS_PER_DAY", 50,
                                             least=0))


@dataclass(frozen=True)
class Settings:
    backend: Backend = "embedded"
    store_path: Path = DEFAULT_STORE
    batch_size: int = DEFAULT_BATCH_SIZE
    neo4j_uri: str = DEFAULT_NEO4J_URI
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    id_key: str | None = field(default=None, repr=False)
    id_key_file: Path = DEFAULT_ID_KEY_FILE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        batch = env.get("CREDITGRAPH_BATCH_SIZE", str(DEFAULT_BATCH_SIZE))
        try:
            batch_size = int(batch)
        except ValueError:
            raise SettingsError(
                f"CREDITGRAPH_BATCH_SIZE must be a whole number, got {batch!r}"
            ) from None
        settings = cls(
            backend=env.get("CREDITGRAPH_BACKEND", "embedded") or "embedded",  # type: ignore[arg-type]
            store_path=Path(env.get("CREDITGRAPH_STORE") or DEFAULT_STORE),
            batch_size=batch_size,
            neo4j_uri=env.get("NEO4J_URI") or DEFAULT_NEO4J_URI,
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
            id_key=env.get("CREDITGRAPH_ID_KEY") or None,
            id_key_file=Path(env.get("CREDITGRAPH_ID_KEY_FILE") or DEFAULT_ID_KEY_FILE),
        )
        return settings.checked()

    def with_overrides(self, **changes: object) -> Settings:
        """Apply command-line options (``None`` means "not given")."""
        given = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **given).checked()  # type: ignore[arg-type]

    def id_secret(self) -> bytes:
        """The secret that keys resident ID numbers (HMAC-SHA256). It must stay the same for a
        store's whole life: a different key makes every person a new node."""
        key = self.id_key
        if key is None and self.id_key_file.exists():
            try:
                key = self.id_key_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(
                    f"cannot read CREDITGRAPH_ID_KEY_FILE {self.id_key_file}: {exc.strerror}"
                ) from None
        if not key:
            raise SettingsError(
                "CREDITGRAPH_ID_KEY is not set (nor a key file at "
                f"{self.id_key_file}); it keys resident ID numbers. `make demo` makes a local one"
            )
        if len(key) < MIN_ID_KEY_LENGTH:
            raise SettingsError(
                f"CREDITGRAPH_ID_KEY is too short ({len(key)} characters; at least "
                f"{MIN_ID_KEY_LENGTH})"
            )
        return key.encode("utf-8")

    def checked(self) -> Settings:
        """Refuse what cannot work; make the store and key paths absolute."""
        if self.backend not in BACKENDS:
            raise SettingsError(
                f"unknown backend {self.backend!r} (CREDITGRAPH_BACKEND / --backend): "
                f"choose {' or '.join(BACKENDS)}"
            )
        if self.batch_size < 1:
            raise SettingsError("CREDITGRAPH_BATCH_SIZE must be at least 1")
        scheme = urlsplit(self.neo4j_uri).scheme
        if self.backend == "neo4j" and scheme not in NEO4J_SCHEMES:
            raise SettingsError(
                f"NEO4J_URI {self.neo4j_uri!r} has scheme {scheme!r}; "
                f"expected one of {', '.join(s + '://' for s in NEO4J_SCHEMES)}"
            )
        return replace(self, store_path=absolute(self.store_path),
                       id_key_file=absolute(self.id_key_file))


# -- where records are kept, who acts, the API, rule files -----------------------------------
# Read when asked, not once: a command sets them for the processes it starts, and tests
# change them between calls.

DEFAULT_USERS_FILE = Path("data") / "users.json"
DEFAULT_API_KEYS_FILE = Path("data") / "api-keys.json"
DEFAULT_AUDIT_LOG = Path("data") / "audit.log"
DEFAULT_AUDIT_KEY_FILE = Path("data") / "audit.key"
DEFAULT_CHECKS_DIR = Path("data") / "checks"
DEFAULT_STORE_WAIT = 30
MIN_AUDIT_KEY_LENGTH = 16


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def users_file(environ: Mapping[str, str] | None = None) -> Path:
    """The dashboard's user store (CREDITGRAPH_USERS)."""
    return absolute(_env(environ).get("CREDITGRAPH_USERS") or DEFAULT_USERS_FILE)


def api_keys_file(environ: Mapping[str, str] | None = None) -> Path:
    """The API's calling systems (CREDITGRAPH_API_KEYS)."""
    return absolute(_env(environ).get("CREDITGRAPH_API_KEYS") or DEFAULT_API_KEYS_FILE)


def audit_log_file(environ: Mapping[str, str] | None = None) -> Path:
    """The audit log (CREDITGRAPH_AUDIT_LOG)."""
    return absolute(_env(environ).get("CREDITGRAPH_AUDIT_LOG") or DEFAULT_AUDIT_LOG)


def audit_head_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The audit log's sealed head where CREDITGRAPH_AUDIT_HEAD names one; None: beside the
    log (access/audit.py)."""
    given = _env(environ).get("CREDITGRAPH_AUDIT_HEAD")
    return absolute(given) if given else None


def audit_key_file(environ: Mapping[str, str] | None = None) -> Path:
    """The file holding the audit log's key (CREDITGRAPH_AUDIT_KEY_FILE)."""
    return absolute(_env(environ).get("CREDITGRAPH_AUDIT_KEY_FILE") or DEFAULT_AUDIT_KEY_FILE)


def audit_secret(environ: Mapping[str, str] | None = None) -> bytes:
    """The key sealing the audit log (CREDITGRAPH_AUDIT_KEY, else the file
    CREDITGRAPH_AUDIT_KEY_FILE); missing or short is an error — the log is never unsealed."""
    key = _env(environ).get("CREDITGRAPH_AUDIT_KEY") or None
    source = "CREDITGRAPH_AUDIT_KEY"
    if key is None:
        path = audit_key_file(environ)
        source = f"CREDITGRAPH_AUDIT_KEY_FILE {path}"
        if path.exists():
            try:
                key = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"cannot read {source}: {exc.strerror}") from None
    if not key:
        raise SettingsError(
            f"CREDITGRAPH_AUDIT_KEY is not set (nor a key file at {audit_key_file(environ)}); "
            "it seals the audit log, and nothing is done unaudited. `make demo` makes a local "
            "one")
    if len(key) < MIN_AUDIT_KEY_LENGTH:
        raise SettingsError(f"the audit key ({source}) is too short ({len(key)} characters; "
                            f"at least {MIN_AUDIT_KEY_LENGTH})")
    return key.encode("utf-8")


def acting_user(environ: Mapping[str, str] | None = None) -> str | None:
    """Who a command acts as (CREDITGRAPH_USER): audit records, the case commands."""
    return _env(environ).get("CREDITGRAPH_USER", "").strip() or None


def store_wait_seconds(environ: Mapping[str, str] | None = None) -> int:
    """How long a reader or writer of the embedded store waits for the other
    (CREDITGRAPH_STORE_WAIT)."""
    return whole_number(_env(environ), "CREDITGRAPH_STORE_WAIT", DEFAULT_STORE_WAIT, least=0)


@dataclass(frozen=True)
class ApiSettings:
    """The credit-check API's bounds and where its answers are kept (docs/api.md), read once
    at the service's start: a malformed value stops it with one line naming the variable,
    never a quiet default."""
    rate_per_minute: int = 600     # requests a key may make a minute, on average
    burst: int = 60                # requests a key may make at once (bucket size)
    max_body: int = 256 * 1024     # bytes in a request body (1,000 codes fit ten times over)
    max_batch: int = 1000          # subjects in one POST /v1/checks
    checks_dir: Path = DEFAULT_CHECKS_DIR

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        env = _env(environ)
        return cls(rate_per_minute=whole_number(env, "CREDITGRAPH_API_RATE", 600),
                   burst=whole_number(env, "CREDITGRAPH_API_BURST", 60),
                   max_body=whole_number(env, "CREDITGRAPH_API_MAX_BODY", 256 * 1024,
                                         least=1024),
                   checks_dir=absolute(env.get("CREDITGRAPH_CHECKS") or DEFAULT_CHECKS_DIR))


def alert_rules_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """Another alert rule file (CREDITGRAPH_ALERT_RULES); None: the shipped one."""
    given = _env(environ).get("CREDITGRAPH_ALERT_RULES")
    return absolute(given) if given else None


def publication_rules_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """Other penalty publication windows (CREDITGRAPH_PUBLICATION_RULES); None: the shipped
    ones."""
    given = _env(environ).get("CREDITGRAPH_PUBLICATION_RULES")
    return absolute(given) if given else None


def child_environment(settings: Settings, checks_dir: Path | None = None) -> dict[str, str]:
    """The settings a process this one starts (the dashboard, the API's workers) must see
    alike, as absolute paths: the store, the backend, the user store, the audit log, its head
    and key file, the ID key file (and the API's key store and checks); each as set here, else
    its default under ./data, so the child finds the same files wherever it runs from.
    ``checks_dir``: for the API's workers, with its key store."""
    paths: dict[str, Path] = {
        "CREDITGRAPH_STORE": Path(settings.store_path),
        "CREDITGRAPH_USERS": users_file(),
        "CREDITGRAPH_AUDIT_LOG": audit_log_file(),
        "CREDITGRAPH_AUDIT_KEY_FILE": audit_key_file(),
        "CREDITGRAPH_ID_KEY_FILE": Path(settings.id_key_file),
    }
    head = audit_head_file()
    if head is not None:  # unset, it follows the log
        paths["CREDITGRAPH_AUDIT_HEAD"] = head
    if checks_dir is not None:
        paths |= {"CREDITGRAPH_API_KEYS": api_keys_file(), "CREDITGRAPH_CHECKS": checks_dir}
    return {name: str(path.absolute()) for name, path in paths.items()} | {
        "CREDITGRAPH_BACKEND": settings.backend}
