"""The credit check for a purpose (信用核查): for each subject a verdict — ``pass``,
``restricted`` or ``review`` — with what it rests on: the joint-punishment measures in force
that reach the purpose, its own black-list entries in force, major penalties where the purpose's
law counts them, black-listed parties within reach and its red-list incentives.

One implementation for every face: the dashboard's screening page (``queries/screening.py``,
purpose ``procurement``) and the API's ``POST /v1/checks`` both call ``check``, so the two can
never answer one subject differently. Which measures bar which purpose is data
(``check-purposes.yaml``), never code: a regulator edits the file, not this module.

Measures come from the Sanction nodes the last propagation wrote (their departments and legal
basis included), so the check never re-derives joint punishment. The answer is JSON-ready
(dates as ISO text) because it is stored and served exactly as computed.

A person's document number is echoed only masked (``CodeCheck.public``). With
``identify_persons=False`` (a dashboard viewer) a subject named by such a number gets only
found / not found."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from creditgraph.graph.documents import mask_personal_text, read_reference
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import CodeCheck
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore, Row
from creditgraph.graph.traversal import Found
from creditgraph.policy.workdays import years_from
from creditgraph.queries import subject_reads
from creditgraph.queries.library import run_once
from creditgraph.queries.linked import entries_by_kind, linked_rows, listed_within
from creditgraph.queries.subjects import Subject, UnknownSubject, default_as_of, resolve_many

PURPOSES_FILE = Path(__file__).resolve().parent / "check-purposes.yaml"
VERDICTS = ("pass", "review", "restricted")  # in rising order of severity
MAX_HOPS = 4


class CheckError(CreditGraphError):
    pass


@dataclass(frozen=True)
class MajorPenalties:
    years: int
    categories: tuple[str, ...]
    min_fine: float
    basis: str


@dataclass(frozen=True)
class Purpose:
    name: str          # procurement, bond, ...
    title: str         # 政府采购
    restrict: tuple[str, ...]
    review: tuple[str, ...]
    major_penalties: MajorPenalties | None
    max_hops: int


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CheckError(f"{where}: a list of measure names")
    return tuple(value)


def _purpose(name: str, spec: Any, where: str) -> Purpose:
    if not isinstance(spec, dict):
        raise CheckError(f"{where}: a mapping")
    unknown = set(spec) - {"name", "restrict", "review", "major_penalties", "linked"}
    if unknown:
        raise CheckError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    major = None
    if spec.get("major_penalties") is not None:
        raw = spec["major_penalties"]
        try:
            major = MajorPenalties(int(raw["years"]), _strings(raw.get("categories"),
                                                               f"{where}.major_penalties"),
                                   float(raw["min_fine"]), str(raw.get("basis") or ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckError(f"{where}.major_penalties: years, min_fine, categories, basis "
                             f"({exc})") from None
    hops = (spec.get("linked") or {}).get("max_hops", 2)
    if not isinstance(hops, int) or not 0 <= hops <= MAX_HOPS:
        raise CheckError(f"{where}.linked.max_hops: 0-{MAX_HOPS}")
    return Purpose(name, str(spec.get("name") or name), _strings(spec.get("restrict"),
                   f"{where}.restrict"), _strings(spec.get("review"), f"{where}.review"),
                   major, hops)


@cache
def _load(path: Path, stamp: tuple[int, int]) -> tuple[dict[str, Purpose], str]:
    raw = path.read_bytes()
    try:
        top = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CheckError(f"{path}: not a YAML file ({exc})") from None
    if not isinstance(top, dict) or not isinstance(top.get("purposes"), dict) or not top[
            "purposes"]:
        raise CheckError(f"{path}: needs a non-empty mapping `purposes`")
    purposes = {str(k): _purpose(str(k), v, f"{path}: purposes.{k}")
                for k, v in top["purposes"].items()}
    return purposes, hashlib.sha256(raw).hexdigest()


def load_purposes(path: Path | None = None) -> dict[str, Purpose]:
    """The purposes by name; read again when the file changes."""
    return _loaded(path)[0]


def purposes_digest(path: Path | None = None) -> str:
    """SHA-256 of the purpose file: part of a stored check's data snapshot."""
    return _loaded(path)[1]


def _loaded(path: Path | None) -> tuple[dict[str, Purpose], str]:
    path = (path or PURPOSES_FILE).resolve()
    try:
        info = path.stat()
    except OSError as exc:
        raise CheckError(f"cannot read the purpose file {path}: {exc.strerror}") from None
    return _load(path, (info.st_mtime_ns, info.st_size))


def check_measures(purposes: dict[str, Purpose], known: Collection[str]) -> None:
    """Refuse a purpose file naming a measure the rule file does not define: such a purpose
    would silently never restrict anyone."""
    for purpose in purposes.values():
        for measure in (*purpose.restrict, *purpose.review):
            if measure not in known:
                raise CheckError(f"purpose {purpose.name}: measure {measure!r} is not in the "
                                 "rule file")


def code_check(text: str) -> CodeCheck:
    """What a code is taken for (graph.documents ``read_reference``, as the dashboard reads
    it): a USCC, legacy code, a person's number of any type, or a shapeless entity id."""
    return read_reference(text)


def shown_code(code: str) -> str:
    """The code as an answer may echo it: a person's document number masked."""
    check = code_check(code)  # a shapeless text may still be a passport: masked
    return mask_personal_text(code) if check.kind == "unknown" else str(check.public()["input"])


def is_personal(code: str) -> bool:
    return code_check(code).personal


def jsonable(value: Any) -> Any:
    """Dates as ISO text, tuples as lists, NaN as None: the answer is stored and served as is."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return jsonable(value.item())
    return value


def check(store: GraphStore, codes: Iterable[str], purpose: str, secret: bytes | None,
          as_of: dt.date | None = None, *, purposes: dict[str, Purpose] | None = None,
          max_hops: int | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
          major_fine: float | None = None, incentive_measures: Sequence[str] = (),
          identify_persons: bool = True) -> list[dict[str, Any]]:
    """One answer per code, in order. ``max_hops`` and ``major_fine`` override the purpose
    file (the dashboard lets an investigator choose the reach); ``incentive_measures`` are the
    rule file's red-list incentives, named in the answer while not withheld."""
    purposes = purposes if purposes is not None else load_purposes()
    if purpose not in purposes:
        raise CheckError(f"unknown purpose {purpose!r}: one of {', '.join(purposes)}")
    rule = purposes[purpose]
    as_of = default_as_of(as_of)
    hops = rule.max_hops if max_hops is None else max_hops
    codes = list(codes)
    found: list[tuple[str, Subject | dict[str, Any]]] = []  # the subject, or the answer already
    for code, subject in zip(codes, resolve_many(store, codes, secret), strict=True):
        shown = shown_code(code)
        presence_only = not identify_persons and is_personal(code)
        if isinstance(subject, UnknownSubject):
            found.append((shown, _unknown(shown, str(subject), presence_only)))
            continue
        if presence_only:
            found.append((shown, _blank(shown, True) | {"verdict": None}))
            continue
        found.append((shown, subject))
    subjects = [item for _, item in found if isinstance(item, Subject)]
    ids = [s.node_id for s in subjects]
    listed = entries_by_kind(store, ids, ("black", "red"), as_of)
    near = listed_within(store, subjects, hops, as_of, relations) if hops else {}
    batch = _Batch(listed, subject_reads.sanctions(store, subjects, as_of),
                   _major_penalties(store, subjects, rule, as_of, major_fine), near)
    return [_subject_check(store, item, shown, rule, as_of, hops, relations, major_fine,
                           incentive_measures, batch) if isinstance(item, Subject) else item
            for shown, item in found]


@dataclass(frozen=True)
class _Batch:
    """What a batch of checks reads once for all its subjects."""

    listed: dict[str, dict[str, list[Row]]]   # kind -> node id -> its own entries in force
    sanctions: dict[str, list[Row]]           # node id -> measures in force
    penalties: dict[str, list[Row]] | None    # uscc -> major penalties (None: not counted)
    near: dict[str, list[Found]]               # node id -> listed parties within reach


def _major_penalties(store: GraphStore, subjects: Sequence[Subject], rule: Purpose,
                     as_of: dt.date, major_fine: float | None) -> dict[str, list[Row]] | None:
    if rule.major_penalties is None:
        return None
    major = rule.major_penalties
    return subject_reads.major_penalties(
        store, sorted({s.key for s in subjects if s.label == "Enterprise"}),
        since=years_from(as_of, -major.years), as_of=as_of,
        categories=major.categories,
        min_fine=major.min_fine if major_fine is None else major_fine)


def _blank(shown: str, found: bool) -> dict[str, Any]:
    return {"code": shown, "found": found, "label": None, "key": None, "name": None,
            "verdict": "review", "reasons": [], "measures": [], "own_entries": [],
            "major_penalties": [], "linked": [], "incentives": None}


def _unknown(shown: str, message: str, presence_only: bool) -> dict[str, Any]:
    if presence_only:
        return _blank(shown, False) | {"verdict": None}
    return _blank(shown, False) | {"reasons": [f"不在图谱中 not in the graph: {message}"]}


def _subject_check(store: GraphStore, subject: Subject, shown: str, rule: Purpose,
                   as_of: dt.date, hops: int, relations: Sequence[str],
                   major_fine: float | None, incentive_measures: Sequence[str],
                   batch: _Batch) -> dict[str, Any]:
    verdict, reasons = "pass", []

    def worse(level: str) -> None:
        nonlocal verdict
        verdict = max(verdict, level, key=VERDICTS.index)

    listed = batch.listed
    sanctions = batch.sanctions.get(subject.node_id, [])
    punish = [s for s in sanctions if s["kind"] == "punishment"]
    own = listed["black"].get(subject.node_id, [])
    for entry in own:
        reasons.append(f"本身失信 own black-list entry {entry['entry_id']} "
                       f"({entry['list_type']}, {entry['authority']})")
    penalties = []
    if rule.major_penalties is not None and subject.label == "Enterprise":
        major = rule.major_penalties
        penalties = (batch.penalties or {}).get(subject.key, [])
        for penalty in penalties:
            reasons.append(f"近{major.years}年重大违法 major penalty {penalty['decision_no']} "
                           f"{penalty['decision_date']} ({penalty['category']}, "
                           f"{penalty['authority']}): {major.basis}")
            worse("restricted")
    linked = linked_rows(store, subject, hops, as_of, relations,
                         found=batch.near.get(subject.node_id, [])) if hops else []
    for row in linked:
        reasons.append(f"关联失信 linked black-listed party {row['name']} at {row['hops']} "
                       f"hop(s): {', '.join(row['entries'])}")
        worse("review")
    applying = []
    for sanction in punish:
        if sanction["measure"] in rule.restrict:
            level = "restricted"
        elif sanction["measure"] in rule.review:
            level = "review"
        else:
            continue
        worse(level)
        applying.append(sanction | {"effect": level})
        reasons.append(f"联合惩戒 measure {sanction['measure']} ({level}) from entry "
                       f"{sanction['entry_id']} ({sanction['list_type']}, rule "
                       f"{sanction['rule']})")
    covered = {s["entry_id"] for s in applying}
    if any(entry["entry_id"] not in covered for entry in own):
        worse("review")  # listed, though no measure of this purpose follows from the entry
    answer: dict[str, Any] = jsonable({
        "code": shown, "found": True, "label": subject.label, "key": subject.key,
        "name": subject.name, "verdict": verdict, "reasons": reasons,
        "measures": [_measure(s) for s in applying],
        "own_entries": [{k: e.get(k) for k in ("entry_id", "list_type", "authority",
                                               "start_date", "end_date")} for e in own],
        "major_penalties": penalties,
        "linked": [{k: row[k] for k in ("subject_id", "label", "name", "hops", "entries",
                                        "list_types", "path", "path_labels", "path_types",
                                        "explanation")} for row in linked],
        "incentives": _incentives(listed["red"].get(subject.node_id, []), sanctions,
                                  incentive_measures),
    })
    return answer


MEASURE_FIELDS = ("measure", "effect", "departments", "basis", "rule", "entry_id", "list_type",
                  "hops", "valid_from", "valid_to", "path", "path_types", "path_text")


def _measure(sanction: dict[str, Any]) -> dict[str, Any]:
    return {k: sanction.get(k) for k in MEASURE_FIELDS}


def _incentives(red: list[dict[str, Any]], sanctions: list[dict[str, Any]],
                measures: Sequence[str]) -> dict[str, Any] | None:
    """Red-list entries in force (``red``) and the incentives propagation granted (``incentive``
    Sanctions), or withheld (a ``withheld`` Sanction: the subject or a party near it is
    black-listed). Before the first propagation nothing is granted: ``measures`` is empty."""
    if not red:
        return None
    withheld = [s for s in sanctions if s["kind"] == "withheld"]
    granted = sorted({s["measure"] for s in sanctions if s["kind"] == "incentive"
                      and (not measures or s["measure"] in measures)})
    return {"red_entries": [{k: e.get(k) for k in ("entry_id", "list_type", "authority",
                                                   "start_date", "end_date")} for e in red],
            "withheld": bool(withheld),
            "withheld_by": sorted({s["entry_id"] for s in withheld}),
            "measures": [] if withheld else granted}


def snapshot(store: GraphStore) -> dict[str, Any]:
    """The data a check was answered from: list entries and propagated measures, counted, with
    when each last changed, and the purpose file's digest. A later load or propagation changes
    it, so a stored check says which state of the graph it describes."""
    rows = {row["label"]: row for row in run_once(store, "check-snapshot")}
    answer: dict[str, Any] = jsonable({
        "backend": store.backend,
        "list_entries": (rows.get("ListEntry") or {}).get("n", 0),
        "list_entries_changed": (rows.get("ListEntry") or {}).get("latest"),
        "measures": (rows.get("Sanction") or {}).get("n", 0),
        "measures_computed": (rows.get("Sanction") or {}).get("latest"),
        "purposes_sha256": purposes_digest(),
    })
    return answer
