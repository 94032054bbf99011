"""Stored checks: one JSON file per check under CREDITGRAPH_CHECKS (default data/checks/), so
``GET /v1/checks/{id}`` returns exactly what was answered — the record a procurement file keeps.

Files rather than graph nodes: a check is a record of an answer, not a fact about subjects
(like the audit log, it is no graph matter); a file is the same on both backends, written
once and never touched by a load, a wipe or a propagation that rewrites the graph; and the
embedded store stays free of writes from the service, which only reads it. Each file is written
atomically (temporary file, fsync, rename), mode 600, in a directory of mode 700."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from pathlib import Path
from typing import Any

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.files import write_private

CHECK_ID = re.compile(r"^[0-9a-f]{32}$")


class CheckStoreError(CreditGraphError):
    pass


def new_id() -> str:
    return uuid.uuid4().hex


def save(directory: Path, record: dict[str, Any]) -> None:
    """Write the record or raise CheckStoreError: an answer that cannot be kept is not given."""
    path = directory / f"{record['check_id']}.json"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(path, json.dumps(record, ensure_ascii=False, sort_keys=True))
    except OSError as exc:
        raise CheckStoreError(f"cannot store the check in {directory}: "
                              f"{exc.strerror or exc}") from None


def discard(directory: Path, check_id: str) -> None:
    """Remove a stored check that could not be audited: it was never answered."""
    with contextlib.suppress(FileNotFoundError):
        (directory / f"{check_id}.json").unlink()


def load(directory: Path, check_id: str) -> dict[str, Any] | None:
    if not CHECK_ID.match(check_id):
        return None
    try:
        return json.loads((directory / f"{check_id}.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise CheckStoreError(f"cannot read the stored check {check_id}: {exc}") from None
