"""One writer at a time: a load or a propagation holds the graph's write lock, a WriteLock node,
for its whole run. A second one is refused with a clear message naming the holder, rather than
both running: two loads of the same feed would end each other's relations.

A holder that died (killed, power cut) on this machine is recognised by its process id and the
lock taken over; one that died on another machine is released with `creditgraph unlock`.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from creditgraph.graph.errors import StoreError, StoreUnavailableError
from creditgraph.graph.store import GraphStore

LOCK = "write"
ACQUIRE = """
MERGE (l:WriteLock {name: $name})
ON CREATE SET l.holder = $holder, l.host = $host, l.pid = $pid, l.action = $action, l.since = $now
RETURN l.holder AS holder, l.host AS host, l.pid AS pid, l.action AS action, l.since AS since
"""
TAKE_OVER = """
MATCH (l:WriteLock {name: $name}) WHERE l.holder = $stale
SET l.holder = $holder, l.host = $host, l.pid = $pid, l.action = $action, l.since = $now
RETURN l.holder AS holder
"""
RELEASE = "MATCH (l:WriteLock {name: $name}) WHERE l.holder = $holder DELETE l"
FORCE_RELEASE = "MATCH (l:WriteLock {name: $name}) DELETE l"


class LockedError(StoreError):
    """Another load or propagation is writing."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def write_lock(store: GraphStore, action: str) -> Iterator[None]:
    me = {"name": LOCK, "host": socket.gethostname(), "pid": os.getpid(), "action": action,
          "now": dt.datetime.now(dt.UTC)}
    me["holder"] = f"{me['host']}:{me['pid']}:{secrets.token_hex(4)}"
    found = store.write(ACQUIRE, me)[0]
    if found["holder"] != me["holder"]:
        if found["host"] == me["host"] and found["pid"] and not _alive(int(found["pid"])):
            taken = store.write(TAKE_OVER, {**me, "stale": found["holder"]})
            if not taken:
                raise LockedError("another writer took the graph's write lock just now; retry")
        else:
            raise LockedError(
                f"another {found['action'] or 'writer'} is writing to the graph (process "
                f"{found['pid']} on {found['host']} since {found['since']}); wait for it to "
                "finish — if it died on another machine, run `creditgraph unlock`")
    try:
        yield
    except StoreUnavailableError:
        # the server went away: releasing would only wait out another round of retries. The
        # lock stays and the next run on this machine takes it over (this process is gone).
        raise
    except BaseException:
        store.write(RELEASE, {"name": LOCK, "holder": me["holder"]})
        raise
    store.write(RELEASE, {"name": LOCK, "holder": me["holder"]})


def force_unlock(store: GraphStore) -> None:
    store.write(FORCE_RELEASE, {"name": LOCK})
