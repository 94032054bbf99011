"""``/healthz`` (the process answers) and ``/readyz`` (the store answers and holds every label
and relationship type of graph/schema.yaml). Neither needs a key nor is audited: they say
nothing about subjects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.models import Health, Ready
from graph import cypher
from graph.errors import CreditGraphError
from graph.settings import Settings
from graph.store import open_store

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/readyz", response_model=Ready, responses={503: {"model": Ready}})
def readyz() -> Any:
    """Ready when the store opens and every schema label and relationship type can be read
    (the embedded engine refuses a table `creditgraph init` never made). Constraints and
    indexes on Neo4j are not checked here."""
    backend, problems = "?", []
    try:
        settings = Settings.from_env()
        backend = settings.backend
        with open_store(settings) as opened:
            opened.version()
            for label in opened.schema.labels:
                try:
                    opened.read(cypher.count_nodes(opened.schema, label))
                except CreditGraphError:
                    problems.append(f"label {label} missing: run `creditgraph init`")
            for rel in opened.schema.relationship_types:
                try:
                    opened.read(cypher.count_relationships(opened.schema, rel))
                except CreditGraphError:
                    problems.append(f"relationship {rel} missing: run `creditgraph init`")
    except CreditGraphError as exc:
        problems.append(str(exc))
    answer = {"status": "not ready" if problems else "ready", "backend": backend,
              "problems": problems}
    return JSONResponse(answer, status_code=503 if problems else 200)
