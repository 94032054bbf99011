"""The service's own settings, read once at start-up (docs/api.md). A malformed value stops the
service with one line naming it, never a quiet default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.settings import absolute, whole_number

DEFAULT_CHECKS = Path("data") / "checks"


@dataclass(frozen=True)
class ApiSettings:
    rate_per_minute: int = 600     # requests a key may make a minute, on average
    burst: int = 60                # requests a key may make at once (bucket size)
    max_body: int = 256 * 1024     # bytes in a request body (1,000 codes fit ten times over)
    max_batch: int = 1000          # subjects in one POST /v1/checks
    checks_dir: Path = DEFAULT_CHECKS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        env = os.environ if environ is None else environ
        return cls(rate_per_minute=whole_number(env, "CREDITGRAPH_API_RATE", 600),
                   burst=whole_number(env, "CREDITGRAPH_API_BURST", 60),
                   max_body=whole_number(env, "CREDITGRAPH_API_MAX_BODY", 256 * 1024, least=1024),
                   checks_dir=absolute(env.get("CREDITGRAPH_CHECKS") or DEFAULT_CHECKS))
