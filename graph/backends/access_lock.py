"""Readers and writers of one embedded store, across processes.

The embedded engine locks a store against a second writer, but lets a read-only opener in
while a writer changes the files under it. So the API, the dashboard and the CLI's read
commands (readers) share ``<store>/.access.lock`` and a load, init or propagation (a writer)
takes it alone: readers run side by side; a writer waits for the readers in flight (up to
``CREDITGRAPH_STORE_WAIT`` seconds, default 30) and a reader waits for a writer the same
way — then each is refused with one line saying who holds the store. Never a torn read.

A waiting writer is not starved by a stream of readers: it holds ``.access.turnstile`` while
it waits, and a reader passes the turnstile before it takes its shared lock, so readers that
come after a writer queue behind it.

Within one process the lock is counted, not taken twice (a load that then propagates, the
dashboard's threads). A process that holds the store for writing may read it too — its own
code orders its reads and writes. A process that reads and then wants to write waits until its
own readers are done, then takes the lock like any writer: a shared lock is never converted
in place (on Linux a failed conversion drops the lock it had).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from creditgraph.graph.errors import StoreError, StoreUnavailableError
from creditgraph.graph.settings import store_wait_seconds

LOCK_FILE = ".access.lock"
TURNSTILE = ".access.turnstile"
POLL_S = 0.05


@dataclass
class _Held:
    fd: int
    exclusive: bool
    count: int


_HELD: dict[Path, _Held] = {}
_GUARD = threading.Lock()


class AccessLock:
    def __init__(self, directory: Path, shared: bool) -> None:
        self.directory, self.shared, self._released = directory.resolve(), shared, False
        wait = store_wait_seconds()
        deadline = time.monotonic() + wait
        turnstile = -1
        try:
            while True:
                if not shared and turnstile < 0:
                    turnstile = _open(self.directory / TURNSTILE)
                    if not _flock(turnstile, fcntl.LOCK_EX):
                        os.close(turnstile)
                        turnstile = -1  # another writer waits first: try again
                if (shared or turnstile >= 0) and self._try():
                    return
                if time.monotonic() >= deadline:
                    raise StoreUnavailableError(self._refusal(wait))
                time.sleep(POLL_S)
        finally:
            if turnstile >= 0:
                os.close(turnstile)

    @property
    def among_readers_only(self) -> bool:
        """This process holds the store for reading alone: no write of its own (and none of
        another process) can happen while the lock is held."""
        with _GUARD:
            held = _HELD.get(self.directory)
            return held is not None and not held.exclusive

    def _try(self) -> bool:
        with _GUARD:
            held = _HELD.get(self.directory)
            if held is not None:
                if held.exclusive:  # this process writes: its own reads and writes go on
                    held.count += 1
                    return True
                if self.shared:
                    held.count += 1
                    return True
                return False  # this process reads: a write waits for its readers to finish
            if self.shared and not _passes_turnstile(self.directory / TURNSTILE):
                return False  # a writer is waiting: queue behind it
            fd = _open(self.directory / LOCK_FILE)
            if not _flock(fd, fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX):
                os.close(fd)
                return False
            _HELD[self.directory] = _Held(fd, not self.shared, 1)
            return True

    def _refusal(self, wait: int) -> str:
        """Names who holds the store: a writer keeps even a shared lock out, readers do not."""
        nothing = "" if self.shared else "nothing was written; "
        with _GUARD:
            mine = _HELD.get(self.directory)
        if mine is not None and not mine.exclusive:
            return (f"embedded store {self.directory} is being read by this process, so it "
                    f"cannot write it: {nothing}close its reads first")
        if self.shared and not _passes_turnstile(self.directory / TURNSTILE):
            return (f"embedded store {self.directory} is about to be written: a load, init or "
                    f"propagation is waiting for it and it did not come free within {wait} s; "
                    "try again when it has finished")
        fd = _open(self.directory / LOCK_FILE)
        try:
            readers_only = _flock(fd, fcntl.LOCK_SH)
        finally:
            os.close(fd)
        if readers_only:
            return (f"embedded store {self.directory} is in use by another process reading it "
                    f"(the API, the dashboard or a read command) and did not come free within "
                    f"{wait} s: {nothing}try again, or stop them for a long load "
                    "(CREDITGRAPH_STORE_WAIT sets the wait)")
        return (f"embedded store {self.directory} is in use by another process writing it (a "
                f"load, init or propagation) and did not come free within {wait} s: {nothing}"
                "try again when it has finished")

    def release(self) -> None:
        with _GUARD:
            if self._released:
                return
            self._released = True
            held = _HELD.get(self.directory)
            if held is None:
                return
            held.count -= 1
            if held.count <= 0:
                os.close(held.fd)  # closing the descriptor releases the flock
                del _HELD[self.directory]


def _open(path: Path) -> int:
    """The lock files hold nothing; a lock needs only a descriptor, so one that exists is
    opened read-only (another user's, in a container beside the host, works too)."""
    try:
        return os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except PermissionError:
        try:
            return os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise StoreError(f"cannot use the lock file {path}: {exc.strerror}") from None
    except OSError as exc:
        raise StoreError(f"cannot use the lock file {path}: {exc.strerror}") from None


def writer_waiting(directory: Path) -> bool:
    """A writer holds the turnstile while it waits for the readers: one lock probe, no wait."""
    return not _passes_turnstile(directory.resolve() / TURNSTILE)


def _passes_turnstile(path: Path) -> bool:
    fd = _open(path)
    try:
        return _flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def _flock(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
