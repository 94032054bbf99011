"""Personal data in answers (docs/access.md, docs/api.md): document numbers are masked by the
services already; here, a key below investigator loses the names of persons it did not name by
their number itself — and the texts that would carry those names (paths in words)."""

from __future__ import annotations

from typing import Any

from creditgraph.access.api_keys import ApiKey
from creditgraph.graph.documents import mask_personal_text
from creditgraph.publication.public_record import FREE_TEXT


def sees_names(key: ApiKey) -> bool:
    return key.can("investigator")


def _names_person(path: list[str] | None, own: str | None) -> bool:
    return any(str(node).startswith("Person:") and node != own for node in path or [])


def measure(row: dict[str, Any], key: ApiKey, own: str | None) -> dict[str, Any]:
    if sees_names(key) or not _names_person(row.get("path"), own):
        return row
    return row | {"path_text": None}


def linked(row: dict[str, Any], key: ApiKey) -> dict[str, Any]:
    if sees_names(key):
        return row
    persons = "Person" in (row.get("path_labels") or [])
    return row | {"name": None if row.get("label") == "Person" else row.get("name"),
                  "explanation": None if persons else row.get("explanation")}


def subject_check(answer: dict[str, Any], key: ApiKey, sent_number: bool) -> dict[str, Any]:
    """One subject of a check as this key may see it."""
    if sees_names(key):
        return answer
    own = f"Person:{answer['key']}" if answer.get("label") == "Person" else None
    name = answer.get("name")
    if answer.get("label") == "Person" and not sent_number:
        name = None
    return answer | {
        "name": name,
        "reasons": [r for r in answer["reasons"] if not r.startswith("关联失信")]
        + [f"关联失信 linked black-listed party at {row['hops']} hop(s): "
           f"{', '.join(row['entries'])}" for row in answer["linked"]],
        "measures": [measure(m, key, own) for m in answer["measures"]],
        "linked": [linked(row, key) for row in answer["linked"]],
    }


def relation(row: dict[str, Any], key: ApiKey) -> dict[str, Any]:
    if sees_names(key) or row.get("other_label") != "Person":
        return row
    return row | {"other_name": None, "explanation": None}


def list_row(row: dict[str, Any], key: ApiKey) -> dict[str, Any]:
    if sees_names(key) or row.get("label") != "Person":
        return row
    return row | {"name": None}


def record_text(row: dict[str, Any], key: ApiKey, person_withheld: bool) -> dict[str, Any]:
    """A penalty's or commitment's free text as the key may see it: every document number in
    it masked; for a person whose name the key may not see, left out (it would name them)."""
    out = dict(row)
    for field in FREE_TEXT:
        if isinstance(out.get(field), str):
            out[field] = None if person_withheld else mask_personal_text(out[field])
    return out
