"""Files written all or nothing: user stores, API keys, counters, stored checks (private);
published lists (public)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, text: str) -> None:
    """All or nothing, mode 600, synced to disk: a temporary file in the same folder, then a
    rename, so a reader sees the old file or the new one, never half of one."""
    write_atomic(path, text.encode("utf-8"), 0o600)


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """``data`` to ``path`` all or nothing, synced, with ``mode`` (600 private, 644 public)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
