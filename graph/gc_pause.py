"""The cyclic garbage collector held off while a batch job runs (an alert run, a propagation,
risk rank reading the control graph).

Such a run makes hundreds of thousands of short-lived containers (rows, hits, evidence) that
reference counting frees as soon as they are dropped. The cyclic collector, triggered by their
number alone, walks every object the process holds each time: at a million enterprises, five
full collections an incremental alert run, 0.4-0.8 s of its Python time, more in a process
that holds much (a load's). Held off while any such job runs in the process, it resumes when
the last one ends and collects at its next threshold; the few cycles a run makes wait until
then."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    """Within: no automatic cyclic collection in this process (nested and concurrent uses
    share one pause; the collector is given back as it was found, errors or not)."""
    global _holders, _was_enabled
    with _LOCK:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _LOCK:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
