"""Group commit: the writes that threads of one process ask for while another write is under
way are done together, as one, so that one durable write (its lock, its fsyncs) serves every
caller waiting at that moment — the API's audit records, one per request, on two cores.

No background thread: the caller that finds nothing under way commits (it "leads"); callers
arriving meanwhile queue and wait. When a leader is done it hands the lead to the first caller
still queued, so no caller ever waits for more than the batch before its own and its own.
Each caller gets its own result, or its own exception, back from ``submit``."""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(eq=False)
class _Ticket(Generic[Item, Result]):
    item: Item
    woken: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    result: Result | None = None
    error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """``commit(items)`` returns one result or exception per item, in order; an exception it
    raises is every item's. At most ``max_batch`` items go to one commit."""

    def __init__(self, commit: Callable[[Sequence[Item]], Sequence[Result | BaseException]],
                 max_batch: int) -> None:
        self._commit, self.max_batch = commit, max_batch
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a lock held at the fork stays held

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Ticket[Item, Result]] = []
        self._leading = False

    def submit(self, item: Item) -> Result:
        ticket: _Ticket[Item, Result] = _Ticket(item)
        with self._lock:
            self._queue.append(ticket)
            lead = not self._leading
            self._leading = True
        if not lead:
            try:
                ticket.woken.wait()  # done by a leader, or handed the lead (first in the queue)
            except BaseException:
                self._abandon(ticket)
                raise
        led = not ticket.done
        if led:
            self._lead()
        if ticket.error is not None:
            if led:
                raise ticket.error
            raise _own_copy(ticket.error) from ticket.error  # the leader's is shared
        return ticket.result  # type: ignore[return-value]

    def _abandon(self, ticket: _Ticket[Item, Result]) -> None:
        """A waiting caller interrupted: its item is not written; if it had just been handed
        the lead, the lead goes on to the next caller."""
        with self._lock:
            if ticket not in self._queue:
                return  # in a leader's batch: written or failed by it
            handed = ticket.woken.is_set()
            self._queue.remove(ticket)
            if handed:
                self._hand_on()

    def _hand_on(self) -> None:
        """Under the lock: the first caller still queued leads next, or nobody leads."""
        if self._queue:
            self._queue[0].woken.set()
        else:
            self._leading = False

    def _lead(self) -> None:
        """Commit the queue's first ``max_batch`` items (this caller's among them), then hand
        the lead on, whatever happened."""
        with self._lock:
            batch = self._queue[:self.max_batch]
            del self._queue[:self.max_batch]
        try:
            try:
                outcomes = list(self._commit([t.item for t in batch]))
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"group commit: {len(outcomes)} results for "
                                       f"{len(batch)} items")
            except BaseException as exc:  # every waiting caller gets it raised
                outcomes = [exc] * len(batch)
            for ticket, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    ticket.error = outcome
                else:
                    ticket.result = outcome
                ticket.done = True
        finally:
            for ticket in batch:
                if not ticket.done:
                    ticket.error = RuntimeError("group commit: interrupted before this write")
                    ticket.done = True
                ticket.woken.set()
            with self._lock:
                self._hand_on()


def _own_copy(error: BaseException) -> BaseException:
    """A caller's own instance of a shared error: one object raised in many threads would
    gather all their tracebacks."""
    try:
        return copy.copy(error)
    except Exception:  # an exception type that cannot be copied
        return RuntimeError(str(error))
