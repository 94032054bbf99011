"""Red and black lists for public release (红黑名单发布): the entries in force on a day, of the
city, one district or one issuing department, as a file the credit office publishes.

Only what is in force is published: an entry repaired (信用修复), revoked or past its end is
left out, the same test as every other list reader (``queries/lists-page.cypher``). A natural
person appears with the masked document number only (the graph holds no other form). An empty
list is a file with its header: "nobody is listed" is a result to publish, not an error. In the
CSV and XLSX files a cell a spreadsheet would run as a formula is neutralised
(publication/spreadsheet.py); the JSON keeps every value as it is."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.files import write_atomic
from creditgraph.graph.store import GraphStore
from creditgraph.publication.spreadsheet import csv_bytes, xlsx_bytes
from creditgraph.queries.lists import KINDS, entries_in_force

# (field, header of the published file): the order of the columns.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("entry_id", "名单编号"),
    ("list", "名单"),
    ("list_type", "名单类型"),
    ("name", "主体名称"),
    ("subject_category", "主体类别"),
    ("uscc", "统一社会信用代码"),
    ("id_number", "证件号码（脱敏）"),
    ("division", "行政区划代码"),
    ("reason", "列入事由"),
    ("basis", "认定依据"),
    ("authority", "认定部门"),
    ("start_date", "列入日期"),
    ("end_date", "有效期至"),
)
LIST_NAMES = {"black": "失信黑名单", "red": "守信红名单"}
CATEGORIES = {"Enterprise": "法人及非法人组织", "Person": "自然人"}
FORMATS = (".csv", ".xlsx", ".json")


class PublishError(CreditGraphError):
    pass


@dataclass(frozen=True)
class PublishedList:
    kind: str
    as_of: dt.date
    district: str
    authority: str
    rows: list[dict[str, Any]]

    def meta(self) -> dict[str, Any]:
        return {"list": LIST_NAMES[self.kind], "kind": self.kind,
                "as_of": self.as_of.isoformat(), "district": self.district or None,
                "authority": self.authority or None, "entries": len(self.rows)}


def public_row(row: dict[str, Any]) -> dict[str, Any]:
    """A list reader's row as it is published: codes by the subject's kind, dates as text."""
    person = row.get("label") == "Person"
    out = {"entry_id": row["entry_id"], "list": LIST_NAMES[row["kind"]],
           "list_type": row.get("list_type"), "name": row.get("name"),
           "subject_category": CATEGORIES.get(row.get("label") or "", row.get("label")),
           "uscc": None if person else row.get("key"),
           "id_number": row.get("id_masked") if person else None,
           "division": row.get("division"), "reason": row.get("reason"),
           "basis": row.get("basis"), "authority": row.get("authority"),
           "start_date": row.get("start_date"), "end_date": row.get("end_date")}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in out.items()}


def published_list(store: GraphStore, kind: str, as_of: dt.date, *, district: str = "",
                   authority: str = "") -> PublishedList:
    if kind not in KINDS:
        raise PublishError(f"--kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if district and not (district.isdigit() and len(district) <= 12):
        raise PublishError(f"--district must be a division code or its prefix (digits, such "
                           f"as 3301 or 330106); got {district!r}")
    rows = entries_in_force(store, kind, as_of, district=district, authority=authority.strip())
    return PublishedList(kind, as_of, district, authority.strip(), [public_row(r) for r in rows])


def check_out(path: Path) -> None:
    """Refuse a file name this module cannot write before anything is read."""
    if path.suffix.lower() not in FORMATS:
        raise PublishError(f"--out {path}: the file name must end in "
                           f"{', '.join(FORMATS)} (it says which format to write)")
    if path.is_dir():
        raise PublishError(f"--out {path}: a directory; give a file name")


def render(published: PublishedList, suffix: str) -> bytes:
    fields = [field for field, _ in COLUMNS]
    if suffix == ".json":
        document = {**published.meta(), "columns": dict(COLUMNS), "rows": published.rows}
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    header = [header for _, header in COLUMNS]
    rows = ([row.get(f) for f in fields] for row in published.rows)
    if suffix == ".csv":
        return csv_bytes(header, rows)
    return xlsx_bytes(LIST_NAMES[published.kind], header, rows)


def write(published: PublishedList, path: Path) -> str:
    """Write the file all or nothing (a half-written public list must never be picked up);
    returns its SHA-256."""
    check_out(path)
    data = render(published, path.suffix.lower())
    write_atomic(path, data, 0o644)  # a file for public release
    return hashlib.sha256(data).hexdigest()
