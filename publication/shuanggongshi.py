"""The 双公示 export: administrative penalties and licenses decided in a period, in the columns of
the national data standard (信用中国), for the city to push upward.

Each record is checked against the standard's required fields first; one that fails is not
exported but listed in the rejects file with every missing or invalid field named, so nothing
leaves half-filled and nothing is silently dropped. 公示截止期 is computed from the publication
window rules (publication/windows.py). The file loads back through ``creditgraph load`` into
the same records (its headers are among the loader's aliases, loaders/columns.yaml).

What the graph cannot give is said, not invented:
- a natural person's document number: the graph holds only its keyed hash and masked form, so
  a person's record is a reject naming the field (the deciding department pushes those);
- 数据来源单位 and its code default to the deciding authority when the source named none (in
  双公示 the deciding authority is the data's source); that is documented, not guessed per row;
- 事业单位证书号, 社会组织登记证号 and 暂扣或吊销证照名称及编号 are not held: left empty (none is
  required).
Free text (违法事实, 处罚依据, 处罚内容, 许可内容, 备注) has every document number masked
(publication/public_record.py). A penalty whose publication window has already ended is a
reject (公示截止期 has passed), and so is one whose publication a repair decision ended early
(信用修复): what is pushed is what may be public."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from creditgraph.graph.cypher import quote_label, quote_property, quote_rel_type
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.predicates import valid_on
from creditgraph.graph.store import GraphStore
from creditgraph.publication.public_record import masked
from creditgraph.publication.spreadsheet import csv_bytes, xlsx_bytes
from creditgraph.publication.windows import Periods, window

PENALTY_CATEGORIES = ("警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件",
                      "降低资质等级", "吊销许可证件", "限制开展生产经营活动", "责令停产停业",
                      "责令关闭", "限制从业", "行政拘留", "其他")  # 行政处罚法 (2021) art. 9
LICENSE_CATEGORIES = ("普通", "特许", "认可", "核准", "登记", "其他")
SUBJECT_CATEGORIES = ("法人及非法人组织", "自然人", "个体工商户")

# The subject block, then each kind's own columns: (header, field of the exported row).
SUBJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("行政相对人名称", "subject_name"), ("行政相对人类别", "subject_category"),
    ("行政相对人代码_1", "uscc"), ("行政相对人代码_2", "reg_no"),
    ("行政相对人代码_3", "org_code"), ("行政相对人代码_4", "tax_no"),
    ("行政相对人代码_5", "institution_no"), ("行政相对人代码_6", "social_org_no"),
    ("法定代表人", "legal_rep"), ("证件类型", "id_type"), ("证件号码", "id_number"),
)
PENALTY_COLUMNS: tuple[tuple[str, str], ...] = (
    *SUBJECT_COLUMNS,
    ("行政处罚决定书文号", "decision_no"), ("违法行为类型", "violation_type"),
    ("违法事实", "facts"), ("处罚依据", "basis"), ("处罚类别", "category"),
    ("处罚内容", "content"), ("罚款金额（万元）", "fine_amount"),
    ("没收违法所得、没收非法财物的金额（万元）", "confiscated_amount"),
    ("暂扣或吊销证照名称及编号", "license_withheld"), ("处罚决定日期", "decision_date"),
    ("处罚有效期", "valid_until"), ("公示截止期", "publish_until"), ("处罚机关", "authority"),
    ("处罚机关统一社会信用代码", "authority_code"), ("数据来源单位", "data_source"),
    ("数据来源单位统一社会信用代码", "data_source_code"), ("备注", "remark"),
)
LICENSE_COLUMNS: tuple[tuple[str, str], ...] = (
    *SUBJECT_COLUMNS,
    ("行政许可决定文书名称", "document_name"), ("行政许可决定文书号", "decision_no"),
    ("许可类别", "license_type"), ("许可证书名称", "certificate_name"),
    ("许可编号", "license_no"), ("许可内容", "content"), ("许可决定日期", "decision_date"),
    ("有效期自", "valid_from"), ("有效期至", "valid_to"), ("许可机关", "authority"),
    ("许可机关统一社会信用代码", "authority_code"), ("当前状态", "status"),
    ("数据来源单位", "data_source"), ("数据来源单位统一社会信用代码", "data_source_code"),
    ("备注", "remark"),
)
REJECT_COLUMNS = ("record", "decision_no", "authority", "decision_date", "problems")


class ExportError(CreditGraphError):
    pass


@dataclass(frozen=True)
class Kind:
    name: str                 # penalties | licenses
    label: str                # the record's node label
    link: str                 # record → subject
    key: str                  # the record's key property
    columns: tuple[tuple[str, str], ...]
    required: tuple[str, ...]  # fields of the exported row the standard requires
    categories: tuple[str, tuple[str, ...]]  # the field with a closed vocabulary, its values


KINDS = {
    "penalties": Kind("penalties", "Penalty", "PENALIZED", "penalty_id", PENALTY_COLUMNS,
                      ("subject_name", "subject_category", "decision_no", "violation_type",
                       "facts", "basis", "category", "content", "decision_date", "valid_until",
                       "authority", "authority_code", "data_source", "data_source_code"),
                      ("category", PENALTY_CATEGORIES)),
    "licenses": Kind("licenses", "License", "LICENSED", "license_id", LICENSE_COLUMNS,
                     ("subject_name", "subject_category", "decision_no", "license_type",
                      "content", "decision_date", "valid_from", "valid_to", "authority",
                      "authority_code", "data_source", "data_source_code"),
                     ("license_type", LICENSE_CATEGORIES)),
}


@dataclass(frozen=True)
class Export:
    kind: Kind
    since: dt.date
    until: dt.date
    rows: list[dict[str, Any]]      # the records that meet the standard
    rejects: list[dict[str, Any]]   # the others, with their problems


def records_query(store: GraphStore, kind: Kind) -> str:
    """The kind's records decided in a period with their subject and, for an enterprise, its
    legal representatives on the decision date. Generated from the schema (labels from its
    whitelist), so that penalties and licenses are one query text."""
    schema = store.schema
    node = schema.node(kind.label)
    record = ", ".join(f"p.{quote_property(name)} AS {quote_property(name)}"
                       for name in node.properties)
    # a subject's repair (信用修复) is on its link: in a joint decision, the others' stands
    record += "".join(f", x.{quote_property(name)} AS {quote_property(name)}"
                      for name in schema.relationship(kind.link).properties
                      if name in ("repaired_on", "repair_id"))
    return (f"MATCH (p:{quote_label(schema, kind.label)})-[x:{quote_rel_type(schema, kind.link)}]"
            "->(s) WHERE p.decision_date >= $since AND p.decision_date <= $until "
            f"OPTIONAL MATCH (rep:{quote_label(schema, 'Person')})"
            f"-[r:{quote_rel_type(schema, 'LEGAL_REP_OF')}]->(s) "
            f"WHERE {valid_on('r', 'p.decision_date')} "
            f"WITH p, x, s, collect(DISTINCT rep.name) AS reps RETURN {record}, "
            "CASE WHEN s.uscc IS NULL THEN 'Person' ELSE 'Enterprise' END AS label, "
            "s.name AS subject, s.uscc AS uscc, s.reg_no AS reg_no, s.org_code AS org_code, "
            "s.tax_no AS tax_no, s.entity_type AS entity_type, s.id_type AS subject_id_type, "
            "s.id_masked AS id_masked, reps "
            f"ORDER BY decision_date, {quote_property(kind.key)}")


def export(store: GraphStore, kind_name: str, since: dt.date, until: dt.date,
           periods: Periods) -> Export:
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ExportError(f"--kind must be one of {', '.join(KINDS)}; got {kind_name!r}")
    if until < since:
        raise ExportError(f"--to {until} is before --from {since}")
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    found_rows = store.read(records_query(store, kind), {"since": since, "until": until})
    subjects = Counter(found[kind.key] for found in found_rows)
    today = dt.date.today()
    for found in found_rows:
        row = _row(kind, found, periods, joint=subjects[found[kind.key]] > 1)
        problems = _problems(kind, row, found)
        repaired = found.get("repaired_on") if kind.name == "penalties" else None
        repaired_on = _text(repaired)
        if repaired_on and repaired_on <= today.isoformat():
            problems.append(f"信用修复: publication ended early on {_text(repaired)} by repair "
                            f"decision {found.get('repair_id')}: no longer public")
        elif kind.name == "penalties" and row["publish_until"] and row["publish_until"] < (
                today.isoformat()):
            problems.append(f"公示截止期: {row['publish_until']} has passed: no longer public")
        if problems:
            rejects.append({"record": found[kind.key], "decision_no": found["decision_no"],
                            "authority": found["authority"],
                            "decision_date": _text(found["decision_date"]),
                            "problems": "; ".join(problems)})
        else:
            rows.append(row)
    return Export(kind, since, until, rows, rejects)


def _category(found: Mapping[str, Any]) -> str:
    if found["label"] == "Person":
        return "自然人"
    if (found.get("entity_type") or "").startswith("个体") or (found.get("uscc") or "")[:2] == "92":
        return "个体工商户"  # GB 32100: registration authority 9, organisation type 2
    return "法人及非法人组织"


def _row(kind: Kind, found: Mapping[str, Any], periods: Periods, joint: bool
         ) -> dict[str, Any]:
    """One exported row: a decision concerning several subjects gives one row each, named as
    the graph names that subject (the record's own 相对人名称 names one of them)."""
    person = found["label"] == "Person"
    row = {field: found.get(field) for _, field in kind.columns}
    own = None if joint else found.get("subject_name")
    row |= {"subject_name": own or found.get("subject"),
            "subject_category": _category(found),
            "uscc": None if person else found.get("uscc"),
            "reg_no": None if person else found.get("reg_no"),
            "org_code": None if person else found.get("org_code"),
            "tax_no": None if person else found.get("tax_no"),
            "institution_no": None, "social_org_no": None, "license_withheld": None,
            "legal_rep": None if person else "、".join(sorted(found.get("reps") or [])) or None,
            "id_type": found.get("subject_id_type") if person else None,
            "id_number": None}  # never held: see the module's docstring
    if not row.get("data_source"):  # the deciding authority is the data's source
        row["data_source"], row["data_source_code"] = found["authority"], found["authority_code"]
    if kind.name == "penalties":
        span = window(found, periods)
        row["publish_until"] = (span.end - dt.timedelta(days=1)) if span else None
    return {k: _text(v) for k, v in masked(row).items()}


def _problems(kind: Kind, row: Mapping[str, Any], found: Mapping[str, Any]) -> list[str]:
    headers = {field: header for header, field in kind.columns}
    problems = [f"{headers[field]}: missing" for field in kind.required if not row.get(field)]
    if found["label"] == "Person":
        problems.append(f"证件号码: a natural person's document number is not held (only its "
                        f"keyed hash and {found.get('id_masked') or 'masked form'}); the "
                        "deciding department pushes this record")
    elif not any(row.get(f) for f in ("uscc", "reg_no", "org_code", "tax_no")):
        problems.append("行政相对人代码_1…_4: no code of the subject")
    field, allowed = kind.categories
    given = row.get(field)
    if given:
        unknown = [part for part in _parts(given) if part not in allowed]
        if unknown:
            problems.append(f"{headers[field]}: {'、'.join(unknown)} is not one of "
                            f"{'、'.join(allowed)}")
    return problems


def _parts(value: str) -> list[str]:
    """A decision with several penalty types names them separated by 、 , ; or ，."""
    for separator in "，,;；":
        value = value.replace(separator, "、")
    return [part.strip() for part in value.split("、") if part.strip()]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):  # 万元 to the fen, without a float's noise
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def render(result: Export, suffix: str) -> bytes:
    """The exported records as .csv (UTF-8 with BOM) or .xlsx, the standard's headers."""
    header = [header for header, _ in result.kind.columns]
    rows = ([row.get(field) for _, field in result.kind.columns] for row in result.rows)
    if suffix == ".csv":
        return csv_bytes(header, rows)
    return xlsx_bytes("行政处罚" if result.kind.name == "penalties" else "行政许可", header, rows)


def render_rejects(result: Export) -> bytes:
    return csv_bytes(REJECT_COLUMNS, ([r[c] for c in REJECT_COLUMNS] for r in result.rejects))
