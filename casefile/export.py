"""``export_case``: collect, render, bag, and record the export in the audit log.

The case number becomes part of a file name (the dashboard's .zip, the user's download), so it is
checked against a whitelist here — for the CLI and the dashboard alike. Civil-servant findings
(integrity records, for-profit findings, conflicts of interest) go into a bag only when asked
for: the dashboard asks for them for supervisors and above, the CLI with
``--include-civil-servant``; the audit record says which."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from creditgraph.access import audit
from creditgraph.casefile.bag import write_bag
from creditgraph.casefile.collect import Case, collect
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import classify, person_key
from creditgraph.graph.store import GraphStore
from creditgraph.queries.subjects import Subject

CASE_NO = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff〔〕()（）_.\-]{1,64}$")


def check_case_no(case_no: str) -> str:
    """The case number, if it is safe as part of a file name; otherwise a clear refusal."""
    if not CASE_NO.match(case_no) or ".." in case_no or case_no.startswith("."):
        raise CreditGraphError(
            f"case number {case_no[:80]!r}: 1-64 letters, digits, Chinese characters, 〔〕 () "
            "（） _ . -, not starting with a dot and without '..' (it becomes part of a file "
            "name)")
    return case_no


def snapshot(store: GraphStore) -> dict[str, Any]:
    """What the graph held when the case was exported: counts, and the last time list entries
    were written (loads stamp every row they write)."""
    status = store.status()
    last = store.read("MATCH (l:ListEntry) RETURN max(l.updated_at) AS last")
    value = last[0]["last"] if last else None
    return {"nodes": dict(sorted(status.nodes.items())),
            "relationships": dict(sorted(status.relationships.items())),
            "last_load": value.isoformat(timespec="seconds") if value else None}


def read_id_map(path: Path, secret: bytes) -> dict[str, str]:
    """Resident ID numbers the user holds (first column of a CSV, XLSX or text file, read as
    every code list is: loaders/code_lists.py), keyed the way the graph keys persons; rows that
    are not valid ID numbers are errors naming the line."""
    from creditgraph.loaders.code_lists import CLI, first_column_lines

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CreditGraphError(f"{path}: cannot read the ID map ({exc.strerror})") from None
    clear: dict[str, str] = {}
    for index, (number, text) in enumerate(first_column_lines(str(path), raw, **CLI)):
        check = classify(text)
        if check.kind != "resident_id" or not check.valid:
            if index == 0 and not check.valid and check.kind == "unknown":
                continue  # a header
            raise CreditGraphError(f"{path}: line {number}: not a valid resident ID "
                                   f"number ({check.public()['input']})")
        clear[person_key(check.normalized, secret)] = check.normalized
    return clear


def export_case(store: GraphStore, subjects: list[Subject], as_of: dt.date, hops: int,
                case_no: str, out: Path, clear_ids: dict[str, str] | None = None,
                reveal: bool = False, include_civil_servant: bool = False,
                actor: str | None = None, exported_at: dt.datetime | None = None
                ) -> tuple[Case, str]:
    """Write the bag; returns the case and the bag checksum. ``actor`` is the signed-in user
    the audit record names (the CLI leaves it to the audit log's own default); the report's
    cover names the same person and the time (``exported_at``, now by default: the same case
    exported by the same person at the same time gives the same bytes)."""
    check_case_no(case_no)
    if not subjects:
        raise CreditGraphError("give at least one --subject")
    case = collect(store, subjects, as_of, hops, case_no, clear_ids if reveal else None,
                   include_civil_servant)
    at = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    parameters = {"subjects": sorted(s.node_id for s in subjects), "hops": hops,
                  "as_of": as_of.isoformat(), "reveal_ids": reveal,
                  "civil_servant": include_civil_servant,
                  "exported_by": audit.actor_name(actor),
                  "exported_at": at.isoformat(timespec="seconds")}
    digest = write_bag(case, parameters, snapshot(store), out)
    who = {"actor": actor} if actor else {}
    audit.append("export-case", **who, case_no=case_no, out=str(out), parameters=parameters,
                 bag_sha256=digest, backend=store.backend)
    return case, digest
