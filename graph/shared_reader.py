"""One read-only store kept open for a long-running reader (an API worker), lent to each
request, and given up while a writer waits.

Why keep it open: opening the embedded engine costs about 45 ms, and a new connection compiles
every query again (together two thirds of a credit check's time when each request opened its
own). Why give it up: on the embedded store a load, init or propagation waits for every reader
of the store (graph/backends/access_lock.py), so a store held for the server's life would shut
writers out for good. So: when a writer waits (``GraphStore.writer_waiting``), requests stop
borrowing the store, the last one out closes it, and the next request opens it again once the
writer is done — it then reads what the writer wrote. A watcher thread does the same while no
request runs. Neo4j serves readers and writers side by side: its store (the driver and its
pool) stays open until ``close``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from creditgraph.graph.errors import CreditGraphError, StoreUnavailableError
from creditgraph.graph.settings import Settings, store_wait_seconds
from creditgraph.graph.store import GraphStore, open_store

POLL_S = 0.05  # how often the watcher asks whether a writer waits, while no request runs


def _writer_waiting(store: GraphStore) -> bool:
    try:
        return store.writer_waiting()
    except CreditGraphError:
        return True  # cannot tell: give the store up rather than shut a writer out


class SharedReader:
    def __init__(self, settings: Callable[[], Settings] = Settings.from_env) -> None:
        self._settings = settings
        self._cond = threading.Condition()
        self._opening = threading.Lock()
        self._store: GraphStore | None = None
        self._users = 0
        self._draining = False  # a writer waits: no new borrower, the last one closes
        self._failure: tuple[float, CreditGraphError] | None = None
        self._shut = False

    @contextmanager
    def borrow(self) -> Iterator[GraphStore]:
        store = self._take()
        try:
            yield store
        finally:
            with self._cond:
                self._users -= 1
                if self._draining and self._users == 0:
                    self._close_locked()

    def close(self) -> None:
        """At shutdown: closes the store now if no request holds it, else when the last does."""
        with self._cond:
            self._shut = True
            if self._store is not None:
                self._draining = True
                if self._users == 0:
                    self._close_locked()

    # -- inside ----------------------------------------------------------------------------------

    def _take(self) -> GraphStore:
        asked = time.monotonic()
        deadline = asked + store_wait_seconds()
        while True:
            settings = self._settings()  # read per request, as before: a changed store is used
            with self._cond:
                if self._shut:
                    raise StoreUnavailableError("the service is shutting down")
                while self._draining:  # the writer's turn: wait until the store is closed
                    # bounded: a borrower still needs threadpool threads to finish and give the
                    # store back, and waiters that never gave up could hold every one of them
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise StoreUnavailableError(
                            "the store is about to be written: a load, init or propagation "
                            "waits for it; try again when it has finished")
                    self._cond.wait(left)
                store = self._store
                if store is not None:
                    if store.settings == settings and not _writer_waiting(store):
                        self._users += 1
                        return store
                    self._drain_locked()
                    continue
            with self._opening:  # one opener; the others then use its store or its failure
                with self._cond:
                    if self._store is not None or self._draining:
                        continue
                failure = self._failure
                if failure is not None and failure[0] >= asked:
                    raise type(failure[1])(*failure[1].args)  # waited for that very attempt
                try:
                    opened = open_store(settings, read_only=True)
                except CreditGraphError as exc:
                    self._failure = (time.monotonic(), exc)
                    raise
                with self._cond:
                    self._store = opened
                    self._failure = None
                    if opened.local_writers:
                        threading.Thread(target=self._watch, args=(opened,), daemon=True,
                                         name="creditgraph-store-watcher").start()

    def _drain_locked(self) -> None:
        self._draining = True
        if self._users == 0:
            self._close_locked()

    def _close_locked(self) -> None:
        store, self._store, self._draining = self._store, None, False
        try:
            if store is not None:
                store.close()
        except Exception:
            pass
        finally:
            self._cond.notify_all()

    def _watch(self, store: GraphStore) -> None:
        """While ``store`` is the one lent out: give it up as soon as a writer waits."""
        while True:
            time.sleep(POLL_S)
            with self._cond:
                if self._store is not store:
                    return
                if not self._draining and _writer_waiting(store):
                    self._drain_locked()
