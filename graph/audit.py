"""The audit log: append-only JSON lines, each carrying the hash of the line before it, so an
edited, inserted or deleted line breaks the chain (`creditgraph audit verify`).

Where: CREDITGRAPH_AUDIT_LOG, default ./data/audit.log. Events never carry resident ID numbers.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from graph.errors import CreditGraphError

DEFAULT_LOG = Path("data") / "audit.log"
GENESIS = "0" * 64


def log_path() -> Path:
    return Path(os.environ.get("CREDITGRAPH_AUDIT_LOG") or DEFAULT_LOG)


def _digest(previous: str, body: dict[str, Any]) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((previous + text).encode("utf-8")).hexdigest()


def _last_hash(path: Path) -> str:
    if not path.exists() or not path.stat().st_size:
        return GENESIS
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 65536))
        last = handle.read().decode("utf-8", errors="replace").rstrip("\n").rsplit("\n", 1)[-1]
    try:
        return json.loads(last)["hash"]
    except (ValueError, KeyError):
        raise CreditGraphError(f"{path}: the last line is not an audit record; run "
                               "`creditgraph audit verify`") from None


def append(action: str, **details: Any) -> dict[str, Any]:
    """Record who did what, when; returns the record written."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = _last_hash(path)
    body = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "user": os.environ.get("CREDITGRAPH_USER") or getpass.getuser(),
            "action": action, "details": json.loads(json.dumps(details, default=str)),
            "previous": previous}
    record = {**body, "hash": _digest(previous, body)}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    return record


def verify(path: Path | None = None) -> tuple[int, list[str]]:
    """(records checked, problems): each problem names the line."""
    path = path or log_path()
    if not path.exists():
        return 0, []
    problems, previous, count = [], GENESIS, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        count += 1
        try:
            record = json.loads(line)
            body = {k: v for k, v in record.items() if k != "hash"}
        except ValueError:
            problems.append(f"line {number}: not a JSON record")
            previous = GENESIS
            continue
        if record.get("previous") != previous:
            problems.append(f"line {number}: does not follow line {number - 1} (a line was "
                            "removed, inserted or changed before it)")
        if _digest(record.get("previous", ""), body) != record.get("hash"):
            problems.append(f"line {number}: its content was changed")
        previous = record.get("hash", GENESIS)
    return count, problems
