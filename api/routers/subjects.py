"""``/v1/subjects``: a subject's credit file, and its network for investigator keys. A person's
document number is never accepted in a URL (it would sit in proxy and server logs): it goes in
the body of ``POST /v1/subjects/lookup``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from creditgraph.access.api_keys import ApiKey
from creditgraph.api import privacy
from creditgraph.api.deps import Caller, IdKey, Investigator, Store
from creditgraph.api.models import (
    ERRORS,
    MAX_CODE,
    Identity,
    IsoDate,
    LinkedAnswer,
    Lookup,
    OwnershipAnswer,
    SubjectFile,
)
from creditgraph.graph.documents import UnknownDocumentType, mask_personal_text, read_reference
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.sanctions import subject_sanctions
from creditgraph.publication.public_record import commitments_with_breaches, published_penalties
from creditgraph.queries.checks import code_check, jsonable, shown_code
from creditgraph.queries.library import frame_rows
from creditgraph.queries.linked import linked_dishonesty
from creditgraph.queries.ownership import ownership
from creditgraph.queries.profile import profile
from creditgraph.queries.subjects import Subject, default_as_of, resolve

router = APIRouter(prefix="/v1/subjects", tags=["subjects"],
                   responses=ERRORS)  # 413: POST /lookup has a body
CodePath = Annotated[str, Path(max_length=MAX_CODE,
                               description="USCC, legacy registration number or organisation "
                                           "code, person key (pid) or overseas entity id — "
                                           "never a document number")]
AsOf = Annotated[IsoDate | None, Query(description="the date asked about (default today)")]


def _url_code(request: Request, code: str) -> str:
    """Refuse what may not be in a URL (a person's number) and what is malformed, naming why."""
    check = code_check(code)
    request.state.audit.update(codes=[shown_code(code)], subjects=1)
    if check.personal:
        raise HTTPException(422, "a person's document number may not be sent in a URL: "
                                 "POST it to /v1/subjects/lookup as {\"code\": ...}")
    if check.kind in ("uscc", "org_code", "reg_no") and not check.valid:
        raise HTTPException(422, f"malformed {check.kind}: {check.reason}")
    return code


def _identity(file: dict[str, Any], subject: Subject) -> dict[str, Any]:
    rows = jsonable(file["identity"].to_dict("records"))
    row = rows[0] if rows else {}
    return row | {"label": subject.label, "key": subject.key,
                  "name": row.get("display_name") or row.get("name") or subject.name}


def credit_file(opened: GraphStore, subject: Subject, as_of: dt.date, key: ApiKey,
                sent_number: bool) -> dict[str, Any]:
    file = profile(opened, subject, as_of)
    identity = _identity(file, subject)
    withheld = subject.label == "Person" and not sent_number and not privacy.sees_names(key)
    if withheld:
        identity["name"] = None
    own = subject.node_id if subject.label == "Person" else None
    entries = [e for e in jsonable(file["entries"].to_dict("records")) if e.get("in_force")]
    measures = jsonable(subject_sanctions(opened, subject, as_of).to_dict("records"))
    return {"as_of": as_of.isoformat(), "identity": identity, "entries": entries,
            "measures": [privacy.measure(m, key, own) for m in measures],
            "penalties": [privacy.record_text(p, key, withheld) for p in published_penalties(
                frame_rows(file["penalties"]), as_of)],
            "commitments": [privacy.record_text(c, key, withheld) for c in
                            commitments_with_breaches(
                                opened, subject, frame_rows(file["commitments"]),
                                as_of)],
            "relations": [privacy.relation(r, key)
                          for r in jsonable(file["relations"].to_dict("records"))]}


@router.get("/{code}", response_model=SubjectFile, summary="a subject's credit file")
def get_subject(request: Request, code: CodePath, key: Caller, opened: Store, id_key: IdKey,
                as_of: AsOf = None) -> dict[str, Any]:
    """Identity, list entries and measures in force on ``as_of`` (default today) with
    department, legal basis and path, penalties inside their publication window with the
    window and its basis, commitments with their breaches, and direct relations."""
    subject = resolve(opened, _url_code(request, code), id_key)
    return credit_file(opened, subject, default_as_of(as_of), key, sent_number=False)


@router.post("/lookup", response_model=SubjectFile,
             summary="a subject's credit file, the code (a document number too) in the body")
def lookup(request: Request, body: Lookup, key: Caller,
           opened: Store, id_key: IdKey
           ) -> dict[str, Any]:
    try:
        check = read_reference(body.code, body.doc_type)
    except UnknownDocumentType as exc:
        request.state.audit.update(codes=[mask_personal_text(body.code)], subjects=1)
        raise HTTPException(422, str(exc)) from None
    shown = str(check.public()["input"]) if check.personal else mask_personal_text(body.code)
    request.state.audit.update(codes=[shown], subjects=1)
    subject = resolve(opened, body.code, id_key, check.doc_type if body.doc_type else None)
    sent = check.personal
    return credit_file(opened, subject, default_as_of(body.as_of), key, sent_number=sent)


def _subject(opened: GraphStore, subject: Subject) -> Identity:
    return Identity(label=subject.label, key=subject.key, name=subject.name)


@router.get("/{code}/linked", response_model=LinkedAnswer,
            summary="black-listed parties within reach (investigator keys)")
def get_linked(request: Request, code: CodePath, key: Investigator, opened: Store,
               id_key: IdKey, max_hops: Annotated[int, Query(ge=1, le=4)] = 2,
               as_of: AsOf = None) -> dict[str, Any]:
    subject = resolve(opened, _url_code(request, code), id_key)
    day = default_as_of(as_of)
    rows = jsonable(linked_dishonesty(opened, subject, max_hops, day).to_dict("records"))
    return {"as_of": day.isoformat(), "subject": _subject(opened, subject),
            "max_hops": max_hops, "linked": rows}


@router.get("/{code}/ownership", response_model=OwnershipAnswer,
            summary="owners above an enterprise, with cumulative shares (investigator keys)")
def get_ownership(request: Request, code: CodePath, key: Investigator, opened: Store,
                  id_key: IdKey, threshold: Annotated[float, Query(gt=0, le=1)] = 0.25,
                  as_of: AsOf = None) -> dict[str, Any]:
    subject = resolve(opened, _url_code(request, code), id_key)
    day = default_as_of(as_of)
    rows = jsonable(ownership(opened, subject, day, threshold).to_dict("records"))
    return {"as_of": day.isoformat(), "subject": _subject(opened, subject),
            "threshold": threshold, "owners": rows}
