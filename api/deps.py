"""What a router needs per request: an open store, the ID key, the service settings.

The store: on Neo4j one store (the driver and its connection pool) per process, opened at the
first request and closed at shutdown — a driver per request would cost a connection handshake
and a probe query on every call. On the embedded store it is opened read-only per request and
closed before the answer is sent: any number of readers (workers, the dashboard, read
commands) run side by side, and a load waits only for the requests in flight, never for the
server's whole life (graph/backends/access_lock.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request

from api.config import ApiSettings
from api.security import caller, investigator
from graph.api_keys import ApiKey
from graph.settings import Settings
from graph.store import GraphStore, open_store


class Stores:
    """Lends each request its store (see the module's docstring)."""

    def __init__(self) -> None:
        self._shared: GraphStore | None = None
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[GraphStore]:
        settings = Settings.from_env()
        if settings.backend != "neo4j":
            with open_store(settings, read_only=True) as opened:
                yield opened
            return
        shared = self._shared
        if shared is None:
            # opened outside the lock: while Neo4j is down each request fails on its own
            # connect timeout instead of queueing behind another's; a failed open is not kept
            opened = open_store(settings, read_only=True)
            with self._lock:
                if self._shared is None:
                    self._shared, opened = opened, None
                shared = self._shared
            if opened is not None:
                opened.close()  # another request opened one first
        yield shared

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None


def store(request: Request) -> Iterator[GraphStore]:
    with request.app.state.stores.borrow() as opened:
        yield opened


def secret() -> bytes:
    """The ID key: needed to find a person by number; missing is a 503 (SettingsError)."""
    return Settings.from_env().id_secret()


def api_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


# Parameter types for routers (``key: Caller``): the dependency travels with the annotation.
Caller = Annotated[ApiKey, Depends(caller)]
Investigator = Annotated[ApiKey, Depends(investigator)]
# scope="function": the store is closed before the answer is sent, so a caller that got its
# answer may start a load at once (a load waits for the embedded store's readers).
Store = Annotated[GraphStore, Depends(store, scope="function")]
IdKey = Annotated[bytes, Depends(secret)]
Service = Annotated[ApiSettings, Depends(api_settings)]
