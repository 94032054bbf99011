"""What a router needs per request: an open store, the ID key, the service settings.

The store: one read-only store per worker process, lent to every request
(graph/shared_reader.py) — on Neo4j the driver and its connection pool; on the embedded store
the engine with its compiled queries, given up while a load, init or propagation waits for it
(graph/backends/access_lock.py), so a writer waits only for the requests in flight."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from creditgraph.access.api_keys import ApiKey
from creditgraph.api.security import caller, investigator
from creditgraph.graph.settings import ApiSettings, Settings
from creditgraph.graph.store import GraphStore


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
# scope="function": the store is given back before the answer is sent, so a load that a
# caller starts once it has its answer waits for no request of its own.
Store = Annotated[GraphStore, Depends(store, scope="function")]
IdKey = Annotated[bytes, Depends(secret)]
Service = Annotated[ApiSettings, Depends(api_settings)]
