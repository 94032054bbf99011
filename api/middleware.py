"""Two guards around every call: the body-size bound (413 before the app reads a byte too many)
and the audit record (``api-call`` in the hash-chained log, docs/audit.md). A call whose record
cannot be written is answered 503, never unaudited. Health, readiness and the OpenAPI document
are not audited: load balancers poll them and they reveal nothing of the graph."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creditgraph.access import audit

UNAUDITED = ("/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class BodyLimit:
    """Reads a request body up to ``limit`` bytes, then hands it on; more is a 413. Bodies are
    small here (1,000 codes are about 30 KB), so holding one in memory is cheap."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_large = _error(413, f"request body over {self.limit:,} bytes")
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await too_large(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, sent = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _endpoint(request: Request) -> str:
    """The route's template (``/v1/subjects/{code}``), never the raw path: a code in it is
    logged only masked, from the details."""
    route = request.scope.get("route")
    return getattr(route, "path", None) or "<unmatched>"


def record_call(request: Request, status: int) -> None:
    """Append the call's ``api-call`` record; raises when it cannot be written. A route that
    records its own call before answering (a stored check) saves the guard a second record."""
    details: dict[str, Any] = {"endpoint": _endpoint(request), "method": request.method,
                               "status": status, **getattr(request.state, "audit", {})}
    actor = getattr(request.state, "key_name", None) or "api:unauthenticated"
    audit.append("api-call", actor=actor, **json.loads(json.dumps(details, default=str)))
    request.state.recorded_status = status


async def audited(request: Request, call_next: Callable[[Request], Awaitable[Response]]
                  ) -> Response:
    if request.url.path in UNAUDITED:
        return await call_next(request)
    request.state.audit = {}
    try:
        response = await call_next(request)
    except Exception:  # recorded as a 500 like any answer, then answered as one
        response = _error(500, "internal error (recorded in the audit log)")
    if getattr(request.state, "recorded_status", None) == response.status_code:
        return response  # the route recorded this very answer
    try:
        await run_in_threadpool(record_call, request, response.status_code)
    except Exception:  # any failure to record: answer nothing rather than answer unaudited
        return _error(503, "the audit log cannot be written: nothing is answered unaudited "
                           "(the operator runs `creditgraph audit verify`)")
    return response
