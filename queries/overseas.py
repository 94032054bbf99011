"""Overseas entities (境外主体) as subjects: from the registry's own entity id to a Subject that
every query takes (profile, linked-party search, ownership, paths, sanctions, case bags).

An entity id has no shape of its own (the registry numbers its entities as it likes), so it is
looked up as given — trimmed, and in half-width characters if typed in full-width — never
guessed from its form. Meant to be tried after the codes and document numbers a USCC-or-ID
lookup understands (queries/subjects.py)."""

from __future__ import annotations

import unicodedata

from graph.store import GraphStore
from queries.library import run
from queries.linked import display_name
from queries.subjects import Subject

MAX_ID_LENGTH = 100  # longer text is no entity id: not sent to the store


def overseas_subject(store: GraphStore, entity_id: str) -> Subject | None:
    """The overseas entity with this id, or None. Its name is shown with its country or region
    in Chinese (``Golden Bridge Holdings Ltd（香港）``), as every path in words names it."""
    text = (entity_id or "").strip()
    candidates = dict.fromkeys([text, unicodedata.normalize("NFKC", text).strip()])
    for value in candidates:
        if not value or len(value) > MAX_ID_LENGTH:
            continue
        rows = run(store, "subject-overseas", value=value)
        if rows:
            row = rows[0]
            return Subject("OverseasEntity", row["key"],
                           display_name("OverseasEntity", row["name"], row["country"]))
    return None
