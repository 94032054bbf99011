"""Red and black list entries in force, in pages, for systems that mirror the lists
(``GET /v1/lists``). Paged by the entry id after a cursor (keyset paging): a page never shifts
when entries are added before it, and no page costs more than its own rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.queries.library import run
from creditgraph.queries.subjects import default_as_of

KINDS = ("black", "red")
MAX_PAGE = 500
EARLIEST = dt.date(1900, 1, 1)  # "since" not given: every start date counts


def list_page(store: GraphStore, kind: str, as_of: dt.date | None = None, *, after: str = "",
              district: str = "", authority: str = "", since: dt.date | None = None,
              limit: int = 100) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``limit`` entries in force and the entry id to continue after (None: last
    page). An entry naming several subjects is a row for each, all on the same page: a page
    boundary between them would lose the second to the cursor. ``district``: a division code
    or its prefix; ``authority``: the issuing department's code."""
    if kind not in KINDS:
        raise CreditGraphError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not 1 <= limit <= MAX_PAGE:
        raise CreditGraphError(f"limit must be 1-{MAX_PAGE}")
    rows = run(store, "lists-page", kind=kind, as_of=default_as_of(as_of), after=after,
               district=district, authority=authority, since=since or EARLIEST,
               limit=limit + 1)
    entries = list(dict.fromkeys(row["entry_id"] for row in rows))
    if len(entries) <= limit:
        return rows, None
    kept = set(entries[:limit])  # the store's order, not Python's: no comparison of ids here
    return [row for row in rows if row["entry_id"] in kept], entries[limit - 1]


def entries_in_force(store: GraphStore, kind: str, as_of: dt.date | None = None, *,
                     district: str = "", authority: str = "") -> list[dict[str, Any]]:
    """Every entry in force, page after page (what a published list holds)."""
    rows: list[dict[str, Any]] = []
    after: str | None = ""
    while after is not None:
        page, after = list_page(store, kind, as_of, after=after, district=district,
                                authority=authority, limit=MAX_PAGE)
        rows += page
    return rows
