"""Gather a case from the store: the subjects' credit files, the findings about them, and the
subgraph around them — as plain, sorted, JSON-ready data, so every rendering (HTML, PDF, XLSX,
JSON, GraphML, SVG) shows the same facts and the same graph gives the same bytes."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.sanctions import subject_sanctions
from creditgraph.publication.public_record import penalties_with_windows
from creditgraph.queries import civil_servants, linked, network, ownership, profile
from creditgraph.queries.library import frame_rows
from creditgraph.queries.neighbourhood import walk
from creditgraph.queries.network import node_id, split_id
from creditgraph.queries.subjects import Subject

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

SCHEMA = "creditgraph-case/1"
MAX_NODES = 2000  # a case subgraph beyond this is cut (and says so)


@dataclass
class Case:
    case_no: str
    as_of: dt.date
    hops: int
    subjects: list[dict] = field(default_factory=list)
    nodes: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    list_entries: list[dict] = field(default_factory=list)
    penalties: list[dict] = field(default_factory=list)
    licenses: list[dict] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)
    sanctions: list[dict] = field(default_factory=list)
    linked_dishonesty: list[dict] = field(default_factory=list)
    ownership: list[dict] = field(default_factory=list)
    civil_servant: list[dict] = field(default_factory=list)
    paths: list[dict] = field(default_factory=list)
    truncated: int = 0  # nodes left out of the subgraph beyond MAX_NODES

    KINDS = ("subjects", "nodes", "relations", "list_entries", "penalties", "licenses",
             "commitments", "sanctions", "linked_dishonesty", "ownership", "civil_servant",
             "paths")

    def as_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "case_no": self.case_no, "as_of": self.as_of.isoformat(),
                "hops": self.hops, "truncated_nodes": self.truncated,
                **{kind: getattr(self, kind) for kind in self.KINDS}}

    def findings(self) -> list[str]:
        """Every finding as one sentence: what the report states and the exports must hold."""
        out = [f"{r['subject_name']}：关联失信 {r['party_name']}（{r['hops']} 跳，"
               f"{'、'.join(r['list_types'])}）：{r['explanation']}"
               for r in self.linked_dishonesty]
        out += [f"{r['subject_name']}：{r['measure']}（{r['entry_id']}）：{r['path_text']}"
                for r in self.sanctions]
        out += [f"{r['subject_name']}：{r['finding']}：{r['detail']}" for r in self.civil_servant]
        return out


def plain(value: Any) -> Any:
    """JSON-ready, deterministic values: dates as ISO text, floats rounded, NaN as null."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return value


def records(frame: pd.DataFrame | None, **extra: Any) -> list[dict]:
    if frame is None or frame.empty:
        return []
    return [plain({**row, **extra}) for row in frame.to_dict("records")]


def collect(store: GraphStore, subjects: Iterable[Subject], as_of: dt.date, hops: int,
            case_no: str, clear_ids: dict[str, str] | None = None,
            include_civil_servant: bool = False, max_nodes: int = MAX_NODES) -> Case:
    """``clear_ids`` maps person keys to resident ID numbers the user supplied (--reveal-ids);
    without it persons appear with the masked number only. Civil-servant findings are gathered
    only with ``include_civil_servant`` (supervisors and above; see casefile/export.py)."""
    import pandas as pd
    case = Case(case_no, as_of, hops)
    chosen = sorted(set(subjects), key=lambda s: s.node_id)
    for subject in chosen:
        file = profile.profile(store, subject, as_of)
        identity = records(file["identity"])
        # fields the graph does not record are left out (a person's resolution, say)
        ident = {k: v for k, v in (identity[0] if identity else {}).items()
                 if v not in (None, "")}
        if subject.label == "Person" and clear_ids and subject.key in clear_ids:
            ident["id_number"] = clear_ids[subject.key]
        case.subjects.append(plain({"id": subject.node_id, "label": subject.label,
                                    "key": subject.key, "name": subject.name,
                                    "code": _code(subject, ident), **_shown(subject, ident),
                                    "identity": ident}))
        mine = {"subject_id": subject.node_id, "subject_name": subject.name}
        case.list_entries += records(file["entries"], **mine)
        case.penalties += records(pd.DataFrame(penalties_with_windows(  # kept, marked
            frame_rows(file["penalties"]), as_of)), **mine)
        case.licenses += records(file["licenses"], **mine)
        case.commitments += records(file["commitments"], **mine)
        case.sanctions += records(subject_sanctions(store, subject, as_of), **mine)
        for row in records(linked.linked_dishonesty(store, subject, hops, as_of)):
            case.linked_dishonesty.append({
                **mine, "party_id": node_id(row["label"], row["subject_id"]),
                "party_name": row["name"], "hops": row["hops"], "entries": row["entries"],
                "list_types": row["list_types"],
                "path": [node_id(label, key)
                         for label, key in zip(row["path_labels"], row["path"], strict=True)],
                "path_names": row["path_names"], "path_types": row["path_types"],
                "explanation": row["explanation"]})
        if subject.label in ownership.OWNED_BY:  # enterprises and overseas entities
            case.ownership += records(ownership.ownership(store, subject, as_of), **mine)
        elif subject.label == "Person" and include_civil_servant:
            _servant(store, subject, as_of, case, mine)
    _subgraph(store, chosen, case, max_nodes)
    case.paths = sorted(
        [{"kind": "linked_dishonesty", "from": r["subject_id"], "to": r["party_id"],
          "nodes": r["path"], "types": r["path_types"], "explanation": r["explanation"]}
         for r in case.linked_dishonesty] +
        [{"kind": "sanction", "from": r["path"][0] if r["path"] else r["subject_id"],
          "to": r["subject_id"], "nodes": r["path"], "types": r["path_types"],
          "explanation": r["path_text"]} for r in case.sanctions if r["hops"]],
        key=lambda p: (p["kind"], p["from"], p["to"], p["explanation"]))
    for kind in Case.KINDS:
        rows = getattr(case, kind)
        if kind not in ("subjects", "paths"):
            rows.sort(key=lambda r: _json_key(r))
    return case


def _code(subject: Subject, ident: dict) -> str | None:
    """The code a subject is known by: a USCC, an overseas entity's id, or a person's masked
    (or, revealed, full) document number."""
    if subject.label != "Person":
        return subject.key
    return ident.get("id_number") or ident.get("id_masked")


def _shown(subject: Subject, ident: dict) -> dict[str, Any]:
    """What names a subject beside its code: an overseas entity's country or region, a
    person's document type and nationality — in Chinese, with the codes."""
    if subject.label == "OverseasEntity":
        return {"country": ident.get("country"), "country_name": ident.get("country_name")}
    if subject.label == "Person":
        return {"document_type": ident.get("id_type"),
                "document_type_name": ident.get("id_type_name"),
                "nationality": ident.get("nationality"),
                "nationality_name": ident.get("nationality_name")}
    return {}


def _servant(store: GraphStore, subject: Subject, as_of: dt.date, case: Case,
             mine: dict[str, str]) -> None:
    file = civil_servants.civil_servant(store, subject, as_of)
    if file.posts.empty:
        return
    for row in records(file.for_profit):
        case.civil_servant.append({**mine, "finding": "违规经商办企业 for-profit activity",
                                   "detail": " ".join(str(v) for k, v in sorted(row.items())
                                                      if v not in (None, ""))})
    for row in records(file.conflicts):
        case.civil_servant.append({**mine, "finding": "利益冲突 conflict of interest",
                                   "detail": " ".join(str(v) for k, v in sorted(row.items())
                                                      if v not in (None, ""))})
    for row in records(file.promotion):
        verdict = "可以晋升 eligible" if row.get("eligible") else "暂缓晋升 not eligible"
        case.civil_servant.append({**mine, "finding": f"晋升审查 promotion check: {verdict}",
                                   "detail": "；".join(map(str, row.get("reasons") or []))})


def _subgraph(store: GraphStore, subjects: list[Subject], case: Case, max_nodes: int) -> None:
    """The network the dashboard draws (queries/neighbourhood.py), walked to the end: at most
    ``max_nodes`` nodes, nearest first, every relation among them, the exact count left out."""
    found = walk(store, subjects, case.hops, case.as_of, CONTROL_RELATIONS, max_nodes,
                 exact=True)
    case.truncated = found.more
    nodes = sorted(found.hops, key=lambda n: (found.hops[n], n))
    details = network.node_details(store, nodes)
    flags = found.flags
    case.nodes = [plain({"id": n, "label": split_id(n)[0], "name": found.names.get(n, ""),
                         "hops": found.hops[n], "case_subject": found.hops[n] == 0,
                         "black_listed": n in flags["black"], "red_listed": n in flags["red"],
                         "sanctioned": n in flags["sanctioned"], **details.get(n, {})})
                  for n in nodes]
    names = found.names
    case.relations = [plain({"source": e.source, "target": e.target, "type": e.type,
                             "source_name": names.get(e.source, ""),
                             "target_name": names.get(e.target, ""),
                             "ratio": e.ratio, "role": e.role, "kind": e.kind})
                      for _, e in sorted(found.edges.items())]


def _json_key(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
