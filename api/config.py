"""The service's own settings, read once at start-up (docs/api.md). A malformed value stops the
service with one line naming it, never a quiet default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.settings import DEFAULT_CHECKS_DIR, ApiLimits


@dataclass(frozen=True)
class ApiSettings:
    rate_per_minute: int = 600     # requests a key may make a minute, on average
    burst: int = 60                # requests a key may make at once (bucket size)
    max_body: int = 256 * 1024     # bytes in a request body (1,000 codes fit ten times over)
    max_batch: int = 1000          # subjects in one POST /v1/checks
    checks_dir: Path = DEFAULT_CHECKS_DIR

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        limits = ApiLimits.from_env(environ)  # the variables are read in graph/settings.py
        return cls(rate_per_minute=limits.rate_per_minute, burst=limits.burst,
                   max_body=limits.max_body, checks_dir=limits.checks_dir)
