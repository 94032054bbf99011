"""The audit log: append-only JSON lines chained and sealed with HMAC-SHA256, plus a sealed head
kept in a separate file, so an edited, inserted, removed or cut-off line, a deleted log or a
rewritten one is named by `creditgraph audit verify` (see docs/audit.md).

- A log exists only once `creditgraph audit init` made it (an empty log and a head sealing 0
  records): appends never start a chain, so a log deleted together with its head is named
  instead of silently starting again at 1.
- `creditgraph audit repair --yes` moves aside a torn last line (a write cut by power loss),
  and nothing else.

- Log: CREDITGRAPH_AUDIT_LOG, default ./data/audit.log. One ASCII-escaped JSON record a line,
  split on b"\\n" only, so no character in a user name can split a record.
- Key: CREDITGRAPH_AUDIT_KEY, else the file CREDITGRAPH_AUDIT_KEY_FILE (default
  ./data/audit.key); at least 16 characters; never written into the log. No key, no append.
- Head: CREDITGRAPH_AUDIT_HEAD, default `<log>.head`: the record count and the last record's
  seal, itself sealed; it is what makes cutting lines off the end or deleting the log visible.
- Appends hold an exclusive lock on `<log>.lock`, so concurrent processes cannot fork the chain.

Events never carry resident ID numbers.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import hmac
import json
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

from creditgraph.access.group_commit import GroupCommit
from creditgraph.graph import settings
from creditgraph.graph.errors import CreditGraphError

GENESIS = "0" * 64
MAX_STRING = 500        # characters kept of any one string (values and keys)
MAX_ITEMS = 100         # items kept of any one list or mapping
MAX_DEPTH = 6           # nesting kept; deeper values become their (capped) text
MAX_DETAILS = 16_384    # characters of the serialised details, whatever their shape
MAX_PROBLEMS = 1000     # problems listed by verify before it summarises the rest
MAX_RECORD_BYTES = 1 << 20  # far above any capped record: a longer torn tail is not one
MAX_BATCH = 64          # records one append writes at most (threads appending at once)
_RECORD_DOMAIN = b"creditgraph-audit-record\x00"
_HEAD_DOMAIN = b"creditgraph-audit-head\x00"


class AuditLogError(CreditGraphError):
    """The audit log cannot be appended to safely (no key, or it does not match its head)."""


# -- where ---------------------------------------------------------------------------------------

def log_path() -> Path:
    """Absolute, so a process started in another directory cannot start a second log."""
    return settings.audit_log_file()


def head_path(log: Path | None = None) -> Path:
    """The sealed head: CREDITGRAPH_AUDIT_HEAD, else beside the log as `<log>.head`."""
    given = settings.audit_head_file()
    if given is not None:
        return given
    log = (log or log_path()).absolute()
    return log.with_name(log.name + ".head")


def key_file_path() -> Path:
    return settings.audit_key_file()


def _lock_path(log: Path) -> Path:
    return log.with_name(log.name + ".lock")


def _secret() -> bytes:
    """The HMAC key; missing or short is an error (fail closed) rather than an unsealed log."""
    return settings.audit_secret()


# -- what ----------------------------------------------------------------------------------------

def _cap_text(text: str, limit: int | None = None) -> str:
    limit = MAX_STRING if limit is None else limit
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[truncated {len(text) - limit} chars]"


def _bounded(value: Any, limit: int, depth: int = 0) -> Any:
    """A JSON-ready copy with every string (to `limit`), list and mapping capped, so one huge
    value (a 70,000-character name) cannot make records unbounded."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return _cap_text(value, limit)
    if depth >= MAX_DEPTH or not isinstance(value, dict | list | tuple | set | frozenset):
        return _cap_text(str(value), limit)
    if isinstance(value, dict):
        items = list(value.items())
        kept = {_cap_text(str(k), limit): _bounded(v, limit, depth + 1)
                for k, v in items[:MAX_ITEMS]}
        if len(items) > MAX_ITEMS:
            kept["…"] = f"[truncated {len(items) - MAX_ITEMS} items]"
        return kept
    values = list(value)
    kept_list = [_bounded(v, limit, depth + 1) for v in values[:MAX_ITEMS]]
    if len(values) > MAX_ITEMS:
        kept_list.append(f"…[truncated {len(values) - MAX_ITEMS} items]")
    return kept_list


def _bounded_details(details: dict[str, Any]) -> dict[str, Any]:
    """Capped values; when many values together are still too long, shorter caps, and as a
    last resort the serialised text cut to MAX_DETAILS: a record's size is always bounded."""
    for limit in (MAX_STRING, 100, 20):
        kept = _bounded(details, limit)
        text = _canonical(kept)
        if len(text) <= MAX_DETAILS:
            return kept
    return {"…": f"{text[:MAX_DETAILS]}…[truncated {len(text) - MAX_DETAILS} chars]"}


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _seal(key: bytes, previous: str, body: dict[str, Any]) -> str:
    message = _RECORD_DOMAIN + previous.encode("ascii", "replace") + b"\x00" + \
        _canonical(body).encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _head_seal(key: bytes, records: int, last: str) -> str:
    message = _HEAD_DOMAIN + f"{records}\x00{last}".encode("ascii", "replace")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def actor_name(actor: str | None = None) -> str:
    """Who a record names: the signed-in user given, else CREDITGRAPH_USER, else the login
    name (a case report's cover names the same person its audit record does)."""
    return _cap_text(actor or settings.acting_user() or _os_user())


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"uid {os.getuid()}"


# -- the head ------------------------------------------------------------------------------------

def _read_head(path: Path, key: bytes) -> tuple[int, str] | str | None:
    """(records, last seal); a problem string if it does not seal; None if there is none."""
    if not path.exists():
        return None
    try:
        head = json.loads(path.read_bytes())
        records, last, seal = int(head["records"]), str(head["last"]), str(head["seal"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"head {path}: not a head record (it was edited or damaged)"
    if not hmac.compare_digest(seal, _head_seal(key, records, last)):
        return f"head {path}: its seal does not match (it was edited, or written with another key)"
    return records, last


def _write_head(path: Path, key: bytes, records: int, last: str) -> None:
    """Atomically: a temp file beside it, fsynced, renamed over it, the directory fsynced."""
    text = json.dumps({"records": records, "last": last,
                       "seal": _head_seal(key, records, last)}) + "\n"
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- append --------------------------------------------------------------------------------------

@contextmanager
def _locked(log: Path, *, shared: bool = False) -> Iterator[None]:
    """A lock on a sidecar file (the log itself may be missing or replaced): exclusive for an
    append; shared for verify, so it never sees a line whose head is not yet written. A
    verifier that cannot create the lock file (read-only copy) reads unlocked."""
    try:
        fd = os.open(_lock_path(log), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        if not shared:
            raise
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _last_line(path: Path) -> bytes | None:
    """The last record's bytes. None for an absent or empty log."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        if not size:
            return None
        handle.seek(size - 1)
        if handle.read(1) != b"\n":
            raise AuditLogError(f"{path}: the last line is incomplete (an interrupted write or a "
                                "cut); run `creditgraph audit verify`")
    lines = _last_lines(path, 1)
    return lines[0] if lines else b""  # a last line too long to be a record


def _not_initialised(log: Path) -> AuditLogError:
    return AuditLogError(f"the audit log at {log} is not initialised (or it and its head were "
                         "deleted): run `creditgraph audit init`")


def _tail(log: Path, key: bytes, head_file: Path | None = None, *,
          seal_unheaded: bool = False) -> tuple[int, str]:
    """(records so far, last seal) after checking the log against its head, so an append can
    never paper over a cut, a deleted log or a deleted head by writing a fresh head, nor start
    a chain where none was initialised (both deleted looks the same as never made).
    ``seal_unheaded`` (an append, holding the lock): a run of records past the head that a
    crash left is sealed by a head of its own first, so no more than one run is ever past it."""
    head_file = head_file or head_path(log)
    head = _read_head(head_file, key)
    if isinstance(head, str):
        raise AuditLogError(f"{head}; run `creditgraph audit verify`")
    if head is None and not log.exists():
        raise _not_initialised(log)
    if head is None:
        raise AuditLogError(f"{log} exists but its head file {head_file} does not; run "
                            "`creditgraph audit verify` (docs/audit.md)")
    if not log.exists():
        raise AuditLogError(f"{log} is missing but its head says {head[0]} record(s); run "
                            "`creditgraph audit verify`")
    raw = _last_line(log)
    if raw is None:
        if head[0] > 0:
            raise AuditLogError(f"{log} is empty but its head says {head[0]} record(s); run "
                                "`creditgraph audit verify`")
        return 0, GENESIS
    try:
        last = json.loads(raw)
        seq, seal = int(last["seq"]), str(last["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditLogError(f"{log}: the last line is not an audit record of this format; run "
                            "`creditgraph audit verify` (docs/audit.md: start a new log)") from None
    if head == (seq, seal):
        return seq, seal
    if _unheaded(log, head, key):  # a batch whose head a crash kept from being written
        if seal_unheaded:
            _write_head(head_file, key, seq, seal)
        return seq, seal
    raise AuditLogError(f"{log} does not match its head {head_file} (records cut off or "
                        "added); run `creditgraph audit verify`")


def _last_lines(path: Path, count: int, end: int | None = None) -> list[bytes]:
    return _lines_back(path, count, end)[0]


def _lines_back(path: Path, count: int, end: int | None = None) -> tuple[list[bytes], bool]:
    """The last ``count`` complete lines (fewer in a shorter log) without their b"\\n", of the
    whole file or of its first ``end`` bytes, read backwards, and whether they are all the
    lines there are. Reads at most about ``count + 1`` records' worth (MAX_RECORD_BYTES each):
    a longer line is no record, and reading it whole under the append lock would stall every
    caller."""
    with path.open("rb") as handle:
        end = handle.seek(0, os.SEEK_END) if end is None else end
        chunks: list[bytes] = []
        newlines = read = 0
        while end > 0 and newlines <= count and read <= (count + 1) * MAX_RECORD_BYTES:
            step = min(65536, end)
            end -= step
            handle.seek(end)
            chunks.append(handle.read(step))
            newlines += chunks[-1].count(b"\n")
            read += step
    lines = b"".join(reversed(chunks)).split(b"\n")[:-1]  # after the last b"\n": no line
    if end > 0:
        lines = lines[1:]  # the first piece may be the end of a longer line
    return lines[-count:], end == 0 and len(lines) <= count


def _parsed(line: bytes) -> tuple[int, str, Any, dict[str, Any]] | None:
    """(seq, seal, previous, body) of a record line, None when it is none."""
    try:
        record = json.loads(line)
        return (int(record["seq"]), str(record["hash"]), record.get("previous"),
                {k: v for k, v in record.items() if k != "hash"})
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _chain_after(lines: Sequence[bytes], head: tuple[int, str], key: bytes,
                 whole: bool) -> bool:
    """Whether ``lines`` (the log's last, ``whole``: all of it) end with at most MAX_BATCH
    records past the one the head seals, each sealed and chained to the one before: the
    records of one append (a batch) whose head a crash kept from being written.

    Only the tail is read: for a head counting 0 records the whole log must be such a run from
    the start; otherwise the head's record must be among the lines, sealed and chained to the
    line before it. What lies further back is for `verify`, which reads every line."""
    records = [_parsed(line) for line in lines]
    if any(r is None for r in records):
        return False
    chain = [r for r in records if r is not None]
    count, last = head
    if count == 0:
        start = 0 if whole and last == GENESIS and len(chain) <= MAX_BATCH else None
    else:
        start = next((i + 1 for i, (seq, seal, previous, body) in enumerate(chain)
                      if (seq, seal) == head and i > 0 and previous == chain[i - 1][1]
                      and hmac.compare_digest(seal, _seal(key, str(previous), body))), None)
    if start is None or start == len(chain):
        return False
    previous_seal = last
    for seq, seal, chained_to, body in chain[start:]:
        count += 1
        if (seq != count or chained_to != previous_seal
                or not hmac.compare_digest(seal, _seal(key, previous_seal, body))):
            return False
        previous_seal = seal
    return True


def _unheaded(log: Path, head: tuple[int, str], key: bytes, end: int | None = None) -> bool:
    """``_chain_after`` on the log's last lines (those before byte ``end``)."""
    lines, whole = _lines_back(log, MAX_BATCH + 2, end)  # the run, the head's, the one before
    return _chain_after(lines, head, key, whole)


def check_ready() -> None:
    """Raise what ``append`` would raise, before work that must end in an audit record starts:
    a load that ran for minutes must not then find it cannot be recorded."""
    key = _secret()
    log = log_path()
    if not log.parent.is_dir():
        raise _not_initialised(log)
    with _locked(log, shared=True):
        _tail(log, key)


def append(action: str, /, *, actor: str | None = None, **details: Any) -> dict[str, Any]:
    """Record who did what, when; returns the record written, once it is on disk. `actor` is
    the signed-in user when the caller knows one, else CREDITGRAPH_USER, else the OS account; a
    `user=` keyword is a detail like any other (the name tried at a login, the user a command
    created). Threads appending at once share one write (group commit, `_COMMITS`)."""
    key = _secret()
    log = log_path()
    if not log.parent.is_dir():  # not even the lock file can be made: nothing was initialised
        raise _not_initialised(log)
    user = actor_name(actor)
    entry = _Entry(log, head_path(log), key, user, _cap_text(str(action)),
                   _bounded_details(details))
    return _COMMITS.submit(entry)


class _Entry(NamedTuple):
    """One record to append, all but its place in the chain."""

    log: Path
    head: Path
    key: bytes
    user: str
    action: str
    details: dict[str, Any]


def _commit(entries: Sequence[_Entry]) -> list[dict[str, Any] | BaseException]:
    """Each run of entries for one log in one locked write; a log that cannot be appended to
    fails its own entries only."""
    outcomes: list[dict[str, Any] | BaseException] = []
    for (log, head, key), run in groupby(entries, key=lambda e: (e.log, e.head, e.key)):
        group = list(run)
        try:
            with _locked(log):
                outcomes += _append_locked(log, head, key, group)
        except Exception as exc:  # raised in each caller of the run
            outcomes += [exc] * len(group)
    return outcomes


def _append_locked(log: Path, head: Path, key: bytes, entries: Sequence[_Entry]
                   ) -> list[dict[str, Any]]:
    """The append proper, for a caller already holding the exclusive lock (flock is per open
    file, so taking it a second time in the same process would wait forever): the records
    chained after the log's last, written at once, synced, then the head sealing the last."""
    count, previous = _tail(log, key, head, seal_unheaded=True)
    written, lines = [], []
    for entry in entries:
        count += 1
        body = {"seq": count, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "user": entry.user, "action": entry.action, "details": entry.details,
                "previous": previous}
        seal = _seal(key, previous, body)
        record = {**body, "hash": seal}
        lines.append((json.dumps(record, ensure_ascii=True, sort_keys=True) + "\n"
                      ).encode("ascii"))
        written.append(record)
        previous = seal
    data = memoryview(b"".join(lines))
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)  # no O_CREAT: `init` made it (see _tail)
    try:
        while data:
            data = data[os.write(fd, data):]
        os.fsync(fd)
    finally:
        os.close(fd)
    _write_head(head, key, count, previous)
    return written


_COMMITS: GroupCommit[_Entry, dict[str, Any]] = GroupCommit(_commit, MAX_BATCH)


# -- init ----------------------------------------------------------------------------------------

class Initialised(NamedTuple):
    """What `init` found or made: whether it created the log, and the records its head counts."""

    created: bool
    records: int


def init(path: Path | None = None, head: Path | None = None) -> Initialised:
    """Create an empty log and a head sealing 0 records, so the first append has a chain to
    join. Made once, by a person: if the log and its head both vanish later, appends and
    verify say so rather than start again at 1. Idempotent when a sealed head and its log are
    there; refuses when only one of the two is (the other was deleted: that is for `verify`)."""
    key = _secret()
    log = (path or log_path()).absolute()
    head_file = (head or head_path(log)).absolute()
    log.parent.mkdir(parents=True, exist_ok=True)
    head_file.parent.mkdir(parents=True, exist_ok=True)
    with _locked(log):
        log_there, head_there = log.exists(), head_file.exists()
        if log_there and head_there:
            state = _read_head(head_file, key)
            if not isinstance(state, tuple):  # a problem, or the head gone since we looked
                raise AuditLogError(f"{state or 'the head vanished'}; run `creditgraph audit "
                                    "verify`")
            return Initialised(False, state[0])
        if log_there:
            raise AuditLogError(f"{log} exists but its head {head_file} does not (the head was "
                                "deleted?): not initialising over it; run `creditgraph audit "
                                "verify` (docs/audit.md)")
        if head_there:
            raise AuditLogError(f"the head {head_file} exists but the log {log} does not (the log "
                                "was deleted?): not initialising over it; run `creditgraph "
                                "audit verify` (docs/audit.md)")
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(log.parent)
        _write_head(head_file, key, 0, GENESIS)
    return Initialised(True, 0)


# -- repair --------------------------------------------------------------------------------------

class Repair(NamedTuple):
    """A torn last line: `size` bytes from byte `start` on, to be (or already) saved to `saved`."""

    start: int
    size: int
    saved: Path


def _complete_end(log: Path) -> int:
    """The byte offset just past the last b"\\n" (0 when there is none), read backwards."""
    with log.open("rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        while end > 0:
            step = min(65536, end)
            handle.seek(end - step)
            chunk = handle.read(step)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                return end - step + cut + 1
            end -= step
    return 0


def _torn_path(log: Path) -> Path:
    """`<log>.torn-<UTC time>`, numbered if a file of that second is there already."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    saved, number = log.with_name(f"{log.name}.torn-{stamp}"), 1
    while saved.exists():
        number += 1
        saved = log.with_name(f"{log.name}.torn-{stamp}-{number}")
    return saved


def _check_torn(log: Path, head_file: Path, key: bytes) -> Repair:
    """The torn tail that `repair` may move aside, or AuditLogError naming why it may not: no
    partial last line, a partial line that is a whole sealed record, or complete records that
    do not verify against the head (a cut, an edit, a rewrite: those are not for repair)."""
    size = log.stat().st_size
    start = _complete_end(log)
    if start == size:
        raise AuditLogError(f"nothing to repair: {log} does not end in a partial line (repair "
                            "only moves aside a torn last line; run `creditgraph audit verify`)")
    count, problems = _verify(log, head_file, key, limit=start, unheaded=MAX_BATCH)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; …{len(problems) - 3} more" if len(problems) > 3
                                            else "")
        raise AuditLogError(f"not repairing: the {count} complete record(s) before the partial "
                            f"line of {log} do not verify against the head ({shown})")
    with log.open("rb") as handle:
        handle.seek(start)
        tail = handle.read(MAX_RECORD_BYTES + 1)
    head = _read_head(head_file, key)
    complete = next(iter(_last_lines(log, 1, end=start)), None)
    last = _parsed(complete) if complete is not None else None
    if (isinstance(head, tuple) and last is not None and (last[0], last[1]) != head
            and not _unheaded(log, head, key, end=start)):  # as the append after it checks
        raise AuditLogError(f"not repairing: the records of {log} past its head do not follow "
                            "the head's record as one append's would (run `creditgraph audit "
                            "verify`)")
    if len(tail) <= MAX_RECORD_BYTES:
        try:
            record = json.loads(tail)
            body = {k: v for k, v in record.items() if k != "hash"}
            chain_end = last[1] if last is not None else GENESIS
            whole = (record.get("previous") == chain_end
                     and hmac.compare_digest(str(record["hash"]), _seal(key, chain_end, body)))
        except (ValueError, KeyError, TypeError, AttributeError):
            whole = False
        if whole:
            raise AuditLogError(f"not repairing: the last line of {log} is a whole sealed record "
                                "missing only its newline, not a torn one (docs/audit.md)")
    return Repair(start, size - start, _torn_path(log))


def repair(*, apply: bool = False) -> Repair:
    """Move a torn last line aside so appends (and sign-ins) work again, without losing or
    hiding anything: only when the head accounts for every complete record before it; the torn
    bytes are saved to `<log>.torn-<UTC time>` (never deleted), the log is cut back to its last
    complete line and an `audit-repair` record names the file and the byte count. Without
    `apply`, only says what it would do."""
    key = _secret()
    log = log_path()
    head_file = head_path(log)
    if not log.exists():
        raise AuditLogError(f"nothing to repair: there is no log at {log} (run `creditgraph "
                            "audit verify`)")
    with _locked(log):
        plan = _check_torn(log, head_file, key)
        if not apply:
            return plan
        fd = os.open(plan.saved, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with log.open("rb") as handle:
                handle.seek(plan.start)
                while chunk := handle.read(65536):
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(plan.saved.parent)  # saved for good before the log loses them
        fd = os.open(log, os.O_WRONLY)
        try:
            os.ftruncate(fd, plan.start)
            os.fsync(fd)
        finally:
            os.close(fd)
        entry = _Entry(log, head_file, key, _cap_text(settings.acting_user() or _os_user()),
                       "audit-repair", {"saved": str(plan.saved), "bytes": plan.size})
        _append_locked(log, head_file, key, [entry])
    return plan


# -- verify --------------------------------------------------------------------------------------

def _lines(path: Path, limit: int | None = None) -> Iterator[tuple[bytes, bool]]:
    """(line without its b"\\n", whether it had one); splits on b"\\n" and nothing else.
    With `limit`, the lines in the first `limit` bytes only (repair checks what precedes a torn
    line as if it were the whole log)."""
    read = 0
    with path.open("rb") as handle:
        for raw in handle:  # binary files split on b"\n" only
            if limit is not None and read >= limit:
                return
            read += len(raw)
            yield (raw[:-1], True) if raw.endswith(b"\n") else (raw, False)


def verify(path: Path | None = None, head: Path | None = None) -> tuple[int, list[str]]:
    """(records checked, problems): each problem says what is wrong, naming the line when it
    is about one. No log and no head is a problem too: `init` makes both, so neither means
    never initialised or both deleted, and only a person can tell which."""
    log = (path or log_path()).absolute()
    head_file = (head or head_path(log)).absolute()
    if not log.exists() and not head_file.exists():
        return 0, [f"no audit log and no head at {log}: never initialised, or both deleted"]
    key = _secret()
    with _locked(log, shared=True):
        return _verify(log, head_file, key)


def _verify(log: Path, head_file: Path, key: bytes, limit: int | None = None,
            unheaded: int = 0) -> tuple[int, list[str]]:
    """``unheaded``: how many chained records past the head's last to accept (repair: those
    of a batch whose head a crash kept from being written)."""
    problems: list[str] = []
    seals: list[str | None] = []
    chain_broken = False
    unsealed = 0
    expected: str | None = GENESIS
    count = 0
    last_seq: int | None = None
    for number, (raw, complete) in enumerate(_lines(log, limit) if log.exists() else (), 1):
        count += 1
        if not complete:
            problems.append(f"line {number}: incomplete, no newline at its end (an interrupted "
                            "write, or the log was cut)")
        try:
            record = json.loads(raw)
            body = {k: v for k, v in record.items() if k != "hash"}
            seal = str(record["hash"])
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(f"line {number}: not a JSON record")
            seals.append(None)
            chain_broken, expected, unsealed, last_seq = True, None, unsealed + 1, None
            continue
        seals.append(seal)
        previous = record.get("previous")
        if expected is not None and previous != expected:
            chain_broken = True
            problems.append(f"line {number}: does not start the log (lines were removed before "
                            "it)" if number == 1 else
                            f"line {number}: does not follow line {number - 1} (a line was "
                            "removed, inserted or changed before it)")
        if not hmac.compare_digest(seal, _seal(key, str(previous), body)):
            unsealed += 1
            problems.append(f"line {number}: its content was changed")
        expected = seal
        last_seq = record.get("seq") if isinstance(record.get("seq"), int) else None
    if count >= 2 and unsealed == count:
        problems = [p for p in problems if not p.endswith("its content was changed")]
        problems.insert(0, f"no line's seal matches the key ({count} lines): the log was "
                           "rewritten, or CREDITGRAPH_AUDIT_KEY is not the key it was written "
                           "with")
    problems += _head_problems(log, head_file, key, count, seals, last_seq, chain_broken,
                               unheaded)
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS],
                    f"…and {len(problems) - MAX_PROBLEMS} more problem(s)"]
    return count, problems


def _head_problems(log: Path, head_file: Path, key: bytes, count: int,
                   seals: list[str | None], last_seq: int | None,
                   chain_broken: bool, unheaded: int = 0) -> list[str]:
    """What the head says that the lines alone cannot: a cut end, a deleted log or head."""
    head = _read_head(head_file, key)
    if isinstance(head, str):
        return [head]
    if head is None:
        return [f"head {head_file} is missing while the log has {count} record(s) (it was "
                "deleted, or the log was written without one)"]
    records, last = head
    if not log.exists():
        return [f"the log {log} is missing but its head says {records} record(s): it was "
                "deleted"]
    if count == records == 0 and last == GENESIS:  # as `init` left it
        return []
    if count and seals[-1] == last:
        if count != records and not chain_broken:
            return [f"the log has {count} record(s) but its head says {records}"]
        if last_seq is not None and last_seq != records:
            return [f"line {count}: numbered {last_seq} but the head says {records} record(s)"]
        return []
    if last in seals or (records == 0 and last == GENESIS and count):
        sealed = seals.index(last) + 1 if last in seals else 0
        if count - sealed <= unheaded and sealed == records and not chain_broken:
            return []
        lines = f"line {count}" if sealed + 1 == count else f"lines {sealed + 1}-{count}"
        sealed_text = f"line {sealed}" if sealed else "none: the head counts 0 records"
        return [f"{lines}: after the last record the head seals ({sealed_text}); added "
                "without updating the head, or an append was interrupted"]
    if count < records:
        return [f"the log ends after {count} record(s) but its head says {records}: records "
                "were cut off the end (or the log was replaced)"]
    return [f"the head's last record is not in the log ({count} record(s), head says "
            f"{records}): the log was replaced or rewritten"]
