"""``/v1/checks``: the departmental credit check (``queries/checks.py`` ``check``, the same one
the dashboard's screening page runs), stored before it is answered, and read back later."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request

from creditgraph.api import privacy, records
from creditgraph.api.deps import Caller, IdKey, Service, Store
from creditgraph.api.middleware import record_call
from creditgraph.api.models import ERRORS, CheckRecord, CheckRequest
from creditgraph.api.security import allow_purpose
from creditgraph.queries.checks import check, is_personal, shown_code, snapshot
from creditgraph.queries.subjects import default_as_of

router = APIRouter(prefix="/v1/checks", tags=["checks"], responses=ERRORS)


@router.post("", response_model=CheckRecord, summary="check subjects for a purpose")
def post_check(request: Request, body: CheckRequest, key: Caller,
               opened: Store, id_key: IdKey,
               settings: Service) -> dict[str, Any]:
    """Per subject a verdict (pass / restricted / review) with the measures that reach the
    purpose, own black-list entries, major penalties where the purpose's law counts them,
    black-listed parties within reach and red-list incentives. The answer is stored and
    audited before it is sent: ``GET /v1/checks/{check_id}`` returns it unchanged."""
    shown = [shown_code(code) for code in body.subjects]
    request.state.audit.update(purpose=body.purpose, subjects=len(body.subjects),
                               codes=shown)
    allow_purpose(key, body.purpose)
    day = default_as_of(body.as_of)
    answers = check(opened, body.subjects, body.purpose, id_key, day,
                    incentive_measures=request.app.state.incentive_measures)
    results = [privacy.subject_check(a, key, is_personal(code))
               for a, code in zip(answers, body.subjects, strict=True)]
    asked: dict[str, Any] = {"check_id": records.new_id(),
              "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "asked_by": key.name, "purpose": body.purpose, "as_of": day.isoformat(),
              "subjects": shown, "results": results, "snapshot": snapshot(opened)}
    record = CheckRecord.model_validate(asked).model_dump(mode="json")
    records.save(settings.checks_dir, record)
    request.state.audit.update(check_id=record["check_id"],
                               verdicts=[r["verdict"] for r in results])
    try:  # the call's one record, before the answer leaves; without it nothing is kept or sent
        record_call(request, 200)
    except Exception:
        records.discard(settings.checks_dir, record["check_id"])
        raise HTTPException(503, "the audit log cannot be written: the check is not stored "
                                 "or answered") from None
    return record


@router.get("/{check_id}", response_model=CheckRecord, summary="a stored check, as answered")
def get_check(request: Request, check_id: Annotated[str, Path(max_length=64)], key: Caller,
              settings: Service) -> dict[str, Any]:
    """Only the key that asked may read it back (another key gets 404, as for an unknown id)."""
    request.state.audit.update(check_id=check_id[:64])
    record = records.load(settings.checks_dir, check_id)
    if record is None or record.get("asked_by") != key.name:
        raise HTTPException(404, f"no check {check_id[:64]!r} of this key")
    return record
