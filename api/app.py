"""The FastAPI application: routers, guards and the error answers every route shares.

Errors: an unknown subject is 404; a code or request that is malformed is 422 naming what is
wrong (validation errors never echo the input: it may hold a document number); a store, key
or audit log that cannot be used is 503 — one line, never a traceback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from creditgraph.api.middleware import BodyLimit, audited
from creditgraph.api.models import MAX_BATCH, MAX_CODE
from creditgraph.api.records import CheckStoreError
from creditgraph.api.routers import checks, health, lists, subjects
from creditgraph.api.security import RateLimiter
from creditgraph.graph.divisions import known
from creditgraph.graph.errors import CreditGraphError, SettingsError, StoreError
from creditgraph.graph.identifiers import mask_digit_runs
from creditgraph.graph.settings import ApiSettings
from creditgraph.graph.shared_reader import SharedReader
from creditgraph.propagation.rules import load_rules
from creditgraph.publication.windows import PeriodsError, load_periods
from creditgraph.queries.checks import check_measures, load_purposes, shown_code
from creditgraph.queries.subjects import UnknownSubject

UNAVAILABLE = (StoreError, SettingsError, CheckStoreError, PeriodsError)


def _record_sent_codes(request: Request, body: object) -> None:
    """A refused body still says, masked, which codes it sent (the audit record's ``codes``),
    as an accepted one does."""
    if not isinstance(body, dict) or not hasattr(request.state, "audit"):
        return
    if isinstance(body.get("code"), str):
        request.state.audit.update(codes=[shown_code(body["code"][:MAX_CODE])], subjects=1)
    elif isinstance(body.get("subjects"), list):
        sent = [c for c in body["subjects"][:MAX_BATCH] if isinstance(c, str)]
        request.state.audit.update(codes=[shown_code(c[:MAX_CODE]) for c in sent],
                                   subjects=len(body["subjects"]))


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Checks the purpose file against the rule file first: a purpose naming a measure no rule
    defines would never restrict anyone, so the service refuses to start."""
    settings = settings or ApiSettings.from_env()
    rules = load_rules()
    check_measures(load_purposes(), rules.measures)
    load_periods()  # a malformed publication-period file stops the service here
    known("330102")  # the division table is read now, not by the first caller (about a second)
    stores = SharedReader()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()  # this process's store, at shutdown

    app = FastAPI(title="CreditGraph 信用核查接口", version="1", lifespan=lifespan,
                  description="Credit checks for departmental systems. Every /v1 call needs "
                              "an API key in X-API-Key and is audited. See docs/api.md.")
    app.state.settings = settings
    app.state.stores = stores
    app.state.limiter = RateLimiter(settings.rate_per_minute, settings.burst)
    app.state.incentive_measures = tuple(rules.incentives.measures if rules.incentives else ())
    for router in (health.router, subjects.router, checks.router, lists.router):
        app.include_router(router)
    app.add_middleware(BodyLimit, limit=settings.max_body)
    app.middleware("http")(audited)  # added last: outermost, so it records every status

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        _record_sent_codes(request, exc.body)
        problems = [{"loc": [str(p) for p in e.get("loc", ())], "msg": mask_digit_runs(
            str(e.get("msg", ""))), "type": str(e.get("type", ""))} for e in exc.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(CreditGraphError)
    async def refused(_: Request, exc: CreditGraphError) -> JSONResponse:
        if isinstance(exc, UnknownSubject) and not str(exc).startswith("not a valid"):
            status = 404
        elif isinstance(exc, UNAVAILABLE):
            status = 503
        else:
            status = 422
        return JSONResponse({"detail": mask_digit_runs(str(exc))}, status_code=status)

    return app
