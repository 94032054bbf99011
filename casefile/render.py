"""The case as evidence.json, evidence.xlsx and report.html — every one byte-stable for the same
case (sorted rows, fixed ZIP entry dates inside the XLSX; the reports' only time is the export's
own, named on their cover)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html import escape
from typing import Any

from creditgraph.casefile import network
from creditgraph.casefile.collect import Case
from creditgraph.publication.field_words import LABEL_WORDS, field_both, field_value
from creditgraph.publication.spreadsheet import safe_cell
from creditgraph.queries.ownership import OWNED_BY

SHEETS = ("subjects", "relations", "list_entries", "penalties", "licenses", "sanctions", "paths",
          "linked_dishonesty", "ownership", "civil_servant", "nodes", "commitments")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def evidence_json(case: Case) -> bytes:
    return (json.dumps(case.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            ).encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return safe_cell(value)  # a spreadsheet must show a formula, not run it


def evidence_xlsx(case: Case) -> bytes:
    """One sheet per kind; then the ZIP is rewritten with fixed entry dates and document
    properties, so the same case gives the same bytes."""
    import pandas as pd
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for kind in SHEETS:
            rows = [{k: _cell(v) for k, v in row.items()} for row in getattr(case, kind)]
            frame = pd.DataFrame(rows)
            if frame.empty:
                frame = pd.DataFrame({"(none)": []})
            frame.to_excel(writer, sheet_name=kind, index=False)
        moment = pd.Timestamp(case.as_of).to_pydatetime()
        writer.book.properties.created = moment
        writer.book.properties.modified = moment
        writer.book.properties.creator = "CreditGraph"
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_core(content)
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def _fixed_core(content: bytes) -> bytes:
    """openpyxl stamps 'modified' with the clock on save whatever the book says."""
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>1980-01-01T00:00:00Z\g<2>", content)


CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:2em;
color:#212121;line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #c62828;padding-bottom:.2em;
margin-top:1.6em}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.85em;width:100%}
th,td{border:1px solid #cfd8dc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eceff1}.meta td:first-child{width:12em;font-weight:bold}
.finding{margin:.3em 0}.none{color:#757575}
"""

SECTION_TITLES = {
    "list_entries": "红黑名单 List entries", "penalties": "行政处罚 Penalties",
    "licenses": "行政许可 Licenses", "commitments": "信用承诺 Commitments",
    "sanctions": "联合惩戒措施 Joint-punishment measures (with legal basis)",
    "ownership": "股权穿透 Ownership", "linked_dishonesty": "关联失信 Linked dishonesty",
    "civil_servant": "公务员诚信 Civil-servant findings",
}
COLUMNS = {
    "list_entries": ["entry_id", "list_kind", "list_type", "authority", "start_date", "end_date",
                     "status", "status_date", "in_force", "reason"],
    "penalties": ["decision_no", "decision_date", "authority", "violation_type", "category",
                  "content", "fine_amount", "publish_date", "published_until", "public"],
    "licenses": ["decision_no", "decision_date", "authority", "certificate_name", "license_no",
                 "valid_from", "valid_to", "status"],
    "commitments": ["commitment_id", "matter", "commit_date", "content", "authority"],
    "sanctions": ["measure", "kind", "departments", "entry_id", "list_type", "hops",
                  "valid_from", "valid_to", "path_text", "basis"],
    "ownership": ["owner_id", "label", "name", "country", "share", "levels", "chains",
                  "unknown_chains", "controls", "beneficial_owner", "example_chain"],
    "linked_dishonesty": ["party_name", "hops", "list_types", "entries", "explanation"],
    "civil_servant": ["finding", "detail"],
}


LABEL_NAMES = {"Enterprise": "企业 Enterprise", "Person": "自然人 Person",
               "OverseasEntity": "境外主体 Overseas entity"}


def subject_heading(subject: dict) -> str:
    """A case subject's heading: name, kind, and what identifies it — a USCC; an overseas
    entity's id with its country or region; a person's document type with the masked (or
    revealed) number and the nationality."""
    parts = [subject["name"], LABEL_NAMES.get(subject["label"], subject["label"])]
    if subject["label"] == "OverseasEntity":
        if subject.get("country"):
            parts.append(f"{subject.get('country_name') or ''} ({subject['country']})".strip())
        parts.append(str(subject["code"] or ""))
    elif subject["label"] == "Person":
        parts.append(" ".join(str(v) for v in (subject.get("document_type_name"),
                                               subject["code"]) if v))
        if subject.get("nationality_name"):
            parts.append(f"国籍 {subject['nationality_name']}")
    else:
        parts.append(str(subject["code"] or ""))
    return " · ".join(p for p in parts if p)


def identity_line(case: Case, evidence_sha256: str) -> str:
    """What names the bag on every page of its report: the case, the date asked about and the
    SHA-256 of the evidence the report shows (data/evidence.json, in the bag's manifest)."""
    return (f"信用图谱 案件 {case.case_no} · 查询日期 {case.as_of.isoformat()} · "
            f"evidence.json SHA-256 {evidence_sha256[:16]}…")


def cover_rows(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any],
               evidence_sha256: str) -> list[tuple[str, str]]:
    """The report's cover in words: the case, who exported it and when, what was asked, and
    what the graph held then (parameters and snapshot written out, never as JSON)."""
    names = {s["id"]: s["name"] for s in case.subjects}
    subjects = "；".join(f"{names.get(i) or i}（{i}）" for i in parameters.get("subjects", []))
    nodes = snapshot.get("nodes", {})
    held = "，".join(f"{LABEL_WORDS.get(label, (label,))[0]} {count:,}"
                    for label, count in sorted(nodes.items(), key=lambda kv: -kv[1]) if count)
    relations = sum(snapshot.get("relationships", {}).values())
    yes = {True: "是 yes", False: "否 no"}
    return [
        ("案件编号 Case no.", case.case_no),
        ("查询日期 As of", case.as_of.isoformat()),
        ("导出人 Exported by", str(parameters.get("exported_by") or "—")),
        ("导出时间 Exported at", str(parameters.get("exported_at") or "—")),
        ("案件主体 Subjects", subjects or "—"),
        ("关联跳数 Hops", f"{case.hops} 跳以内 within {case.hops} relations"),
        ("显示证件号码 ID numbers shown", yes[bool(parameters.get("reveal_ids"))]),
        ("含公务员诚信 Civil-servant findings", yes[bool(parameters.get("civil_servant"))]),
        ("图谱快照 Graph at export",
         f"节点 {sum(nodes.values()):,} 个（{held}）；关系 {relations:,} 条；"
         f"最近一次导入名单 {snapshot.get('last_load') or '—'}"),
        ("证据文件 Evidence", f"data/evidence.json SHA-256 {evidence_sha256}"),
    ]


def has_ownership(subject: dict) -> bool:
    """Ownership is traced for enterprises and overseas entities (queries/ownership.py)."""
    return subject["label"] in OWNED_BY


def _table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return '<p class="none">无 none</p>'
    present = [c for c in columns if any(c in r for r in rows)]
    head = "".join(f"<th>{escape(field_both(c))}</th>" for c in present)
    body = "".join("<tr>" + "".join(f"<td>{escape(_text(field_value(c, r.get(c))))}</td>"
                                    for c in present)
                   + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def report_html(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any],
                evidence_sha256: str) -> bytes:
    line = f'<p class="none">{escape(identity_line(case, evidence_sha256))}</p>'
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>案件证据报告 {escape(case.case_no)}</title><style>{CSS}</style></head><body>",
             line, "<h1>信用图谱 案件证据报告 Case evidence report</h1>",
             '<table class="meta">' + "".join(
                 f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>"
                 for k, v in cover_rows(case, parameters, snapshot, evidence_sha256))
             + "</table>"]
    findings = case.findings()
    parts.append(f"<h2>结论 Findings ({len(findings)})</h2>")
    parts += [f'<p class="finding">{escape(f)}</p>' for f in findings] or [
        '<p class="none">未发现关联失信、惩戒措施或公务员问题。 No findings.</p>']
    for subject in case.subjects:
        parts.append(f"<h2>{escape(subject_heading(subject))}</h2>")
        identity = subject["identity"]
        parts.append('<table class="meta">' + "".join(
            f"<tr><td>{escape(field_both(k))}</td><td>{escape(_text(v))}</td></tr>"
            for k, v in sorted(identity.items()) if k != "pid") + "</table>")
        for kind, title in SECTION_TITLES.items():
            rows = [r for r in getattr(case, kind) if r.get("subject_id") == subject["id"]]
            if kind == "civil_servant" and not rows:
                continue
            if kind == "ownership" and not has_ownership(subject):
                continue
            parts.append(f"<h3>{escape(title)}</h3>{_table(rows, COLUMNS[kind])}")
    parts.append("<h2>证据路径 Evidence paths</h2>")
    parts += [f'<p class="finding">{escape(p["explanation"])}</p>' for p in case.paths] or [
        '<p class="none">无 none</p>']
    parts.append(f"<h2>关系网络 Network ({len(case.nodes)} 个节点, {len(case.relations)} 条关系)"
                 "</h2>")
    if case.truncated:
        parts.append(f"<p>另有 {case.truncated} 个节点未包含 ({case.truncated} more nodes "
                     "not included)</p>")
    parts.append(network.svg(case))
    parts.append(line)
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")
