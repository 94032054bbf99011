"""Who is calling: the API key in ``X-API-Key`` (access/api_keys.py), its role and purposes,
and its rate. Fails closed: no key store, an unreadable one, or no ID key to check hashes with
means no valid key (401), never an open door."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from creditgraph.access.api_keys import ApiKey, ApiKeyError, authenticate
from creditgraph.graph.errors import SettingsError
from creditgraph.graph.settings import Settings

HEADER = APIKeyHeader(name="X-API-Key", auto_error=False,
                      description="the key `creditgraph api-keys add` printed")


@dataclass
class Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """A token bucket per key name, in this process's memory: ``rate`` tokens a minute, at most
    ``burst`` saved up. With --workers N each worker has its own buckets (N times the rate in
    all); a shared limit needs a shared store and is not built."""

    def __init__(self, rate_per_minute: int, burst: int) -> None:
        self.rate, self.burst = rate_per_minute, burst
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: ApiKey) -> float:
        """0 when the call may go ahead, else the seconds until it may."""
        rate = key.rate_per_minute or self.rate
        size = max(1, min(self.burst, rate))
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.setdefault(key.name, Bucket(size, now))
            bucket.tokens = min(size, bucket.tokens + (now - bucket.stamp) * rate / 60)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) * 60 / rate


def caller(request: Request, text: str | None = Depends(HEADER)) -> ApiKey:
    """The calling key, rate-limited; named in request.state for the audit record."""
    try:
        secret = Settings.from_env().id_secret()
        key = authenticate(text, secret)
    except (ApiKeyError, SettingsError):
        key = None  # fail closed; the operator sees why in `creditgraph api-keys list`
    if key is None:
        raise HTTPException(401, "no valid API key in the X-API-Key header",
                            headers={"WWW-Authenticate": "X-API-Key"})
    request.state.key_name = key.name
    wait = request.app.state.limiter.take(key)
    if wait:
        raise HTTPException(429, f"rate limit of the key {key.name!r}: retry in "
                                 f"{math.ceil(wait)} s",
                            headers={"Retry-After": str(math.ceil(wait))})
    return key


def investigator(key: Annotated[ApiKey, Depends(caller)]) -> ApiKey:
    """The network endpoints name persons along paths: investigator keys only."""
    if not key.can("investigator"):
        raise HTTPException(403, f"the key {key.name!r} ({key.role}) may not use this "
                                 "endpoint: investigator keys only")
    return key


def allow_purpose(key: ApiKey, purpose: str) -> None:
    if purpose not in key.purposes:
        allowed = ", ".join(key.purposes) or "none"
        raise HTTPException(403, f"the key {key.name!r} may not check for {purpose!r} "
                                 f"(its purposes: {allowed})")
