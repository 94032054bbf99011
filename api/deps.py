"""What a router needs per request: an open store, the ID key, the service settings.

The store is opened per request and closed after it, as the dashboard does: the embedded
engine lets one process hold a store at a time, so a store held between requests would lock
out a load or the dashboard for the server's whole life. (On Neo4j a per-process driver would
save the connection set-up; that is a speed matter for the bench, not done here.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from api.config import ApiSettings
from api.security import caller, investigator
from graph.api_keys import ApiKey
from graph.settings import Settings
from graph.store import GraphStore, open_store


def store() -> Iterator[GraphStore]:
    with open_store(Settings.from_env()) as opened:
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
# answer may start a load at once (the embedded engine lets one process hold a store).
Store = Annotated[GraphStore, Depends(store, scope="function")]
IdKey = Annotated[bytes, Depends(secret)]
Service = Annotated[ApiSettings, Depends(api_settings)]
