"""``/healthz`` (the process answers) and ``/readyz`` (the store answers and its schema is
current). Neither needs a key nor is audited: they say
nothing about subjects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from creditgraph.api.models import Health, Ready
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import Settings

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready, responses={503: {"model": Ready}})
def readyz(request: Request) -> Any:
    """Ready when the store answers and its schema is current: on the embedded store every
    label and relationship type has its table; on Neo4j every constraint and index of
    graph/schema.yaml exists and is online."""
    backend, problems = "?", []
    try:
        settings = Settings.from_env()
        backend = settings.backend
        with request.app.state.stores.borrow() as opened:
            opened.version()
            problems += opened.schema_problems()
    except CreditGraphError as exc:
        problems.append(str(exc))
    answer = {"status": "not ready" if problems else "ready", "backend": backend,
              "problems": problems}
    return JSONResponse(answer, status_code=503 if problems else 200)
