"""``/v1/lists``: red or black list entries in force, paged, for systems that mirror them."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from creditgraph.api import privacy
from creditgraph.api.deps import Caller, Store
from creditgraph.api.models import ERRORS, IsoDate, ListPage
from creditgraph.queries.checks import jsonable
from creditgraph.queries.lists import MAX_PAGE, list_page
from creditgraph.queries.subjects import default_as_of

router = APIRouter(prefix="/v1/lists", tags=["lists"],
                   responses={k: v for k, v in ERRORS.items() if k not in (400, 404, 413)})


def _cursor(entry_id: str | None) -> str | None:
    return base64.urlsafe_b64encode(entry_id.encode()).decode() if entry_id else None


def _after(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        return base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raise HTTPException(422, "cursor: not a cursor this service gave") from None


@router.get("", response_model=ListPage, summary="list entries in force, paged")
def get_lists(request: Request, key: Caller, opened: Store,
              kind: Annotated[str, Query(pattern="^(black|red)$")],
              district: Annotated[str, Query(max_length=12, pattern="^[0-9]*$",
                                             description="division code or its prefix "
                                                         "(3301: 杭州市)")] = "",
              since: Annotated[IsoDate | None, Query(description="listed on or after")] = None,
              as_of: IsoDate | None = None,
              cursor: Annotated[str | None, Query(max_length=200)] = None,
              limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> dict[str, Any]:
    request.state.audit.update(kind=kind, district=district, page=bool(cursor))
    day = default_as_of(as_of)
    rows, last = list_page(opened, kind, day, after=_after(cursor), district=district,
                           since=since, limit=limit)
    return {"as_of": day.isoformat(), "kind": kind,
            "entries": [privacy.list_row(r, key) for r in jsonable(rows)],
            "next_cursor": _cursor(last)}
