"""Request and response models: they are the OpenAPI document (``/openapi.json``), so every
field a caller may rely on is named, typed and described here. Answers carry dates as ISO text
(``YYYY-MM-DD``); person document numbers only masked; persons' names only where the key may
see them (docs/api.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from creditgraph.graph.documents import ALIASES, DOCUMENT_TYPES, NAMES

MAX_BATCH = 1000
MAX_CODE = 100
# 证件类型: the national standard's names, the names registries also write, and the codes
# (graph/documents.py)
if TYPE_CHECKING:  # a type checker sees text; pydantic the names and codes themselves
    DocTypeName = str
else:
    DocTypeName = Literal[(*NAMES.values(), *ALIASES, *DOCUMENT_TYPES)]
Purpose = Literal["procurement", "bond", "subsidy", "tender", "license", "appointment"]
Verdict = Literal["pass", "restricted", "review"]


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """A date is written YYYY-MM-DD: pydantic alone would read ``0.0`` as 1970-01-01."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("a date is written YYYY-MM-DD")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Problem(Model):
    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str
    type: str


class Error(Model):
    """Every error answer: one line saying what is wrong, or the fields that are."""
    detail: str | list[Problem]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": text} for status, text in {
    400: "the body cannot be read as text (not UTF-8)", 401: "no valid API key in X-API-Key",
    403: "the key may not use this endpoint or purpose",
    404: "no subject with this code, or no stored check with this id",
    413: "request body too large",
    422: "malformed request (invalid JSON included), code or batch",
    429: "rate limit: retry after Retry-After seconds",
    503: "store unreachable, or the audit log or check store cannot be written"}.items()}


class Health(Model):
    status: Literal["ok"]


class Ready(Model):
    status: Literal["ready", "not ready"]
    backend: str
    problems: list[str] = []


class Identity(Model):
    label: str = Field(description="Enterprise, Person or OverseasEntity")
    key: str = Field(description="USCC, person key (pid) or overseas entity id")
    name: str | None = Field(None, description="withheld (null) for a person the key did not "
                                               "name by their number, below investigator")
    uscc: str | None = None
    reg_no: str | None = None
    org_code: str | None = None
    entity_type: str | None = None
    division: str | None = Field(None, description="administrative division code (district)")
    status: str | None = None
    established: str | None = None
    industry: str | None = None
    id_type: str | None = None
    id_type_name: str | None = None
    id_masked: str | None = Field(None, description="a person's document number, masked")
    nationality: str | None = None
    country: str | None = None
    country_name: str | None = None


class ListEntry(Model):
    entry_id: str
    list_kind: str | None = None
    list_type: str
    authority: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    status: str | None = None
    reason: str | None = None


class Measure(Model):
    measure: str
    kind: str | None = Field(None, description="punishment, incentive (a red-list incentive "
                                               "granted), or withheld (red-list incentives "
                                               "suspended)")
    effect: Literal["restricted", "review"] | None = Field(
        None, description="in a check: what the measure means for the purpose")
    departments: list[str] | None = None
    basis: str | None = None
    rule: str | None = None
    entry_id: str | None = None
    list_type: str | None = None
    hops: int | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    path: list[str] | None = Field(None, description="node ids from the listed subject on")
    path_types: list[str] | None = None
    path_text: str | None = Field(None, description="the path in words; withheld below "
                                                    "investigator where it names a person")


class Penalty(Model):
    decision_no: str
    decision_date: str | None = None
    violation_type: str | None = None
    category: str | None = None
    fine_amount: float | None = None
    authority: str | None = None
    publish_date: str | None = None


class PublishedPenalty(Penalty):
    """A penalty inside its publication window on as_of (publication/periods.yaml)."""
    content: str | None = None
    basis: str | None = Field(None, description="处罚依据")
    published_from: str = Field(description="the decision date: publication runs from it")
    published_until: str = Field(description="the last day it is public (the period's maximum, "
                                             "or the source's 公示截止期 when earlier, or the "
                                             "day before a credit-repair decision ends it)")
    repair_from: str = Field(description="credit repair may be asked for from this day (the "
                                         "minimum period has passed)")
    repairable: bool
    publication_domain: str = Field(description="一般, or the domain whose period applies "
                                                "(特种设备, 安全生产, 消防安全)")
    publication_basis: str


class Breach(Model):
    decision_no: str
    decision_date: str | None = None
    authority: str | None = None


class Commitment(Model):
    commitment_id: str
    matter: str | None = None
    commit_date: str | None = None
    content: str | None = None
    authority: str | None = None
    breached: bool = Field(False, description="a later penalty on the matter committed to")
    breaches: list[Breach] = Field(default_factory=list, description="those penalties, "
                                   "decided by as_of")


class Relation(Model):
    type: str
    direction: Literal["in", "out"]
    other_id: str
    other_label: str
    other_name: str | None = None
    ratio: float | None = None
    explanation: str | None = None


class SubjectFile(Model):
    as_of: str
    identity: Identity
    entries: list[ListEntry] = Field(description="list entries in force on as_of")
    measures: list[Measure] = Field(description="joint-punishment measures in force on as_of")
    penalties: list[PublishedPenalty] = Field(description="penalties inside their "
                                              "publication window on as_of")
    commitments: list[Commitment] = Field(description="commitments made by as_of, with any "
                                          "breach")
    relations: list[Relation]


class Lookup(Model):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=MAX_CODE,
                      description="any code, a person's document number included")
    doc_type: DocTypeName | None = Field(None, description="证件类型 where the number's shape "
                                                          "cannot tell it: the standard name or "
                                                          "its code")
    as_of: IsoDate | None = None


class CheckRequest(Model):
    model_config = ConfigDict(extra="forbid")
    purpose: Purpose
    subjects: list[str] = Field(min_length=1, max_length=MAX_BATCH,
                                description=f"1-{MAX_BATCH} codes")
    as_of: IsoDate | None = None


class Linked(Model):
    subject_id: str
    label: str
    name: str | None = None
    hops: int
    entries: list[str]
    list_types: list[str]
    path: list[str]
    path_labels: list[str]
    path_types: list[str]
    explanation: str | None = None


class Incentives(Model):
    red_entries: list[ListEntry]
    withheld: bool
    withheld_by: list[str]
    measures: list[str]


class SubjectCheck(Model):
    code: str = Field(description="the code as sent; a person's document number masked")
    found: bool
    label: str | None = None
    key: str | None = None
    name: str | None = None
    verdict: Verdict
    reasons: list[str]
    measures: list[Measure]
    own_entries: list[ListEntry]
    major_penalties: list[Penalty]
    linked: list[Linked]
    incentives: Incentives | None = None


class Snapshot(Model):
    backend: str
    list_entries: int
    list_entries_changed: str | None = None
    measures: int
    measures_computed: str | None = None
    purposes_sha256: str


class CheckRecord(Model):
    check_id: str
    created: str
    asked_by: str
    purpose: Purpose
    as_of: str
    subjects: list[str] = Field(description="the codes as asked; document numbers masked")
    results: list[SubjectCheck]
    snapshot: Snapshot


class LinkedAnswer(Model):
    as_of: str
    subject: Identity
    max_hops: int
    linked: list[Linked]


class Owner(Model):
    owner_id: str
    label: str
    name: str | None = None
    country: str | None = None
    share: float | None = None
    levels: int | None = None
    chains: int | None = None
    unknown_chains: int | None = Field(None, description="chains through a holding with no "
                                                         "recorded share: `share` is then a "
                                                         "lower bound")
    controls: bool | None = Field(None, description="an ACTUAL_CONTROLLER_OF relation into the "
                                                    "subject itself (never read from a missing "
                                                    "share)")
    beneficial_owner: bool | None = None
    example_chain: str | None = None


class OwnershipAnswer(Model):
    as_of: str
    subject: Identity
    threshold: float
    owners: list[Owner]


class ListRow(Model):
    entry_id: str
    kind: str
    list_type: str
    authority: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    label: str
    key: str
    name: str | None = None
    division: str | None = None


class ListPage(Model):
    as_of: str
    kind: Literal["black", "red"]
    entries: list[ListRow]
    next_cursor: str | None = Field(None, description="pass as cursor for the next page; null "
                                                      "on the last")
