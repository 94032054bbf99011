"""The public credit report (公共信用信息报告): a numbered report on one subject with the chapters
of the national report (2022 edition; GB/T 42337-2023 guides its compilation), for procurement,
bond review and other uses.

Only public content: penalties inside their publication window, entries and measures in force
on the day, a person's document number masked. So any signed-in role may issue one. What the
graph does not collect (经营异常名录, 信用评价, 司法判决) is said, not left out silently. Every
issued report is recorded in the audit log with its SHA-256 (``report-issue``), which is what
``verify`` checks a file against."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from creditgraph.access import audit
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.propagation.sanctions import subject_sanctions
from creditgraph.publication.public_record import (
    commitments_with_breaches,
    masked,
    published_penalties,
)
from creditgraph.queries.checks import Purpose, jsonable, load_purposes
from creditgraph.queries.profile import profile
from creditgraph.queries.subjects import Subject

FORMATS = (".pdf", ".html")
BEIJING = ZoneInfo("Asia/Shanghai")  # issue time and the number's date: the office's own
ISSUE_ACTION = "report-issue"
STATEMENT = (
    "本报告依据查询日期图谱中归集的公共信用信息客观记录，不对信用主体作评分、评级或评价。"
    "行政处罚信息仅在公示期内列出；已信用修复、撤销或届满的名单条目不列出。信用主体对报告内容有异议的，"
    "可向认定或决定部门提出异议申诉；符合条件的，可依照信用修复规定申请信用修复。"
    " This report records public credit information as collected in the graph on the as-of "
    "date; it gives no score, grade or rating. Penalties appear only inside their publication "
    "window; repaired, revoked or expired list entries do not appear. A subject may object to "
    "the deciding department, or apply for credit repair where the rules allow.")
MEASURE_KINDS = {"punishment": "失信惩戒", "incentive": "守信激励"}  # a withheld one is neither
NOT_COLLECTED = "本系统未归集此类信息 (not collected by this system)"

# Chapter: (title, columns as (field, header)), in the national report's order.
IDENTITY_FIELDS = {
    "Enterprise": (("name", "名称"), ("uscc", "统一社会信用代码"), ("reg_no", "工商注册号"),
                   ("org_code", "组织机构代码"), ("entity_type", "主体类型"),
                   ("legal_rep", "法定代表人"), ("established", "成立日期"),
                   ("status", "登记状态"), ("address", "住所"), ("division", "行政区划代码")),
    "Person": (("name", "姓名"), ("id_type_name", "证件类型"), ("id_masked", "证件号码（脱敏）"),
               ("nationality_name", "国籍"), ("division", "行政区划代码")),
    "OverseasEntity": (("name", "名称"), ("name_zh", "中文名称"), ("entity_id", "境外主体编号"),
                       ("country_name", "国别（地区）"), ("registration_no", "境外注册号")),
}
CHAPTERS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("licenses", "行政管理信息 · 行政许可", (
        ("decision_no", "决定文书号"), ("certificate_name", "许可证书名称"),
        ("license_no", "许可编号"), ("decision_date", "决定日期"), ("valid_from", "有效期自"),
        ("valid_to", "有效期至"), ("authority", "许可机关"), ("status", "当前状态"))),
    ("penalties", "行政管理信息 · 行政处罚（公示期内）", (
        ("decision_no", "决定书文号"), ("violation_type", "违法行为类型"),
        ("category", "处罚类别"), ("content", "处罚内容"), ("decision_date", "决定日期"),
        ("authority", "处罚机关"), ("published_until", "公示截止期"))),
    ("red", "诚实守信相关荣誉信息 · 守信红名单", (
        ("entry_id", "名单编号"), ("list_type", "名单类型"), ("authority", "认定部门"),
        ("start_date", "列入日期"), ("end_date", "有效期至"))),
    ("black", "严重失信主体名单信息", (
        ("entry_id", "名单编号"), ("list_type", "名单类型"), ("reason", "列入事由"),
        ("authority", "认定部门"), ("start_date", "列入日期"), ("end_date", "有效期至"))),
    ("anomalies", "经营（活动）异常名录", ()),
    ("commitments", "信用承诺信息", (
        ("commitment_id", "承诺编号"), ("matter", "承诺事项"), ("commit_date", "承诺日期"),
        ("authority", "受理部门"), ("fulfilment", "履约情况"))),
    ("measures", "联合奖惩措施（有效）", (
        ("kind_name", "类别"), ("measure", "措施"), ("departments", "实施部门"), ("basis", "依据"),
        ("entry_id", "来源名单条目"), ("relevant", "与用途相关"))),
)


class ReportError(CreditGraphError):
    pass


@dataclass(frozen=True)
class CreditReport:
    number: str
    issued: dt.datetime
    as_of: dt.date
    purpose: str | None        # e.g. procurement, with its title
    purpose_title: str | None
    subject: Subject
    identity: list[tuple[str, Any]]
    chapters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def summary(self) -> list[tuple[str, int | str]]:
        return [(title, NOT_COLLECTED if key == "anomalies" else len(self.chapters[key]))
                for key, title, _ in CHAPTERS]


def new_number(day: dt.date) -> str:
    return f"CGR-{day:%Y%m%d}-{secrets.token_hex(5).upper()}"


def build(store: GraphStore, subject: Subject, as_of: dt.date, purpose: str | None = None
          ) -> CreditReport:
    """The report for ``as_of``. A report on a past day shows only what is public both then and
    today: an entry repaired or a penalty taken down since must not come back in a report
    issued now. A day after today is refused."""
    purposes = load_purposes()
    if purpose is not None and purpose not in purposes:
        raise ReportError(f"--purpose must be one of {', '.join(purposes)}; got {purpose!r}")
    issued = dt.datetime.now(BEIJING).replace(microsecond=0)
    today = issued.date()
    if as_of > today:
        raise ReportError(f"--as-of {as_of} is after today ({today}): a report states what is "
                          "public, not what will be")
    rule = purposes[purpose] if purpose else None
    file = profile(store, subject, as_of)
    identity_rows = jsonable(file["identity"].to_dict("records"))
    found = identity_rows[0] if identity_rows else {}
    identity = [(header, found.get(name)) for name, header in IDENTITY_FIELDS[subject.label]
                if name != "legal_rep"]
    if subject.label == "Enterprise":
        reps = sorted({r["other_name"] for r in file["relations"].to_dict("records")
                       if r.get("type") == "LEGAL_REP_OF"}) if not file["relations"].empty else []
        identity.insert(5, ("法定代表人", "、".join(reps) or None))
    chapters = _chapters(store, subject, file, as_of, rule)
    if as_of < today:
        now = _chapters(store, subject, profile(store, subject, today), today, rule)
        for key, id_field in PUBLIC_TODAY.items():
            still = {row[id_field] for row in now[key]}
            chapters[key] = [row for row in chapters[key] if row[id_field] in still]
    return CreditReport(new_number(today), issued, as_of, purpose,
                        rule.title if rule else None, subject, identity, chapters)


# Chapters whose rows may stop being public, with the field that names a row.
PUBLIC_TODAY = {"penalties": "decision_no", "red": "entry_id", "black": "entry_id",
                "measures": "sanction_id"}


def _chapters(store: GraphStore, subject: Subject, file: dict[str, Any], day: dt.date,
              rule: Purpose | None) -> dict[str, list[dict[str, Any]]]:
    entries = [e for e in jsonable(file["entries"].to_dict("records")) if e.get("in_force")]
    commitments = commitments_with_breaches(store, subject,
                                            file["commitments"].to_dict("records"), day)
    measures = [m for m in jsonable(subject_sanctions(store, subject, day).to_dict("records"))
                if m.get("kind") in MEASURE_KINDS]
    relevant = set(rule.restrict + rule.review) if rule else set()
    chapters = {
        "licenses": jsonable(file["licenses"].to_dict("records")),
        "penalties": published_penalties(file["penalties"].to_dict("records"), day),
        "red": [e for e in entries if e.get("list_kind") == "red"],
        "black": [e for e in entries if e.get("list_kind") == "black"],
        "anomalies": [],
        "commitments": [c | {"fulfilment": "违反承诺 breached: " + "、".join(
            b["decision_no"] for b in c["breaches"]) if c["breached"] else "未发现违诺"}
            for c in commitments],
        "measures": [m | {"departments": "、".join(m.get("departments") or []),
                          "kind_name": MEASURE_KINDS[m["kind"]],
                          "relevant": ("是" if m["measure"] in relevant else "否")
                          if rule else "—"} for m in measures],
    }
    return {key: [masked(row) for row in rows] for key, rows in chapters.items()}


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return str(value)


def _cover(report: CreditReport) -> list[tuple[str, str]]:
    return [("报告编号 Report no.", report.number),
            ("信用主体 Subject", report.subject.name or report.subject.key),
            ("查询日期 As of", report.as_of.isoformat()),
            ("出具时间 Issued (北京时间)", report.issued.isoformat()),
            ("用途 Purpose", f"{report.purpose_title}（{report.purpose}）" if report.purpose
             else "未注明 not stated")]


def render_html(report: CreditReport) -> bytes:
    def table(rows: list[tuple[str, Any]]) -> str:
        return "<table>" + "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(_cell(v))}"
                                   "</td></tr>" for k, v in rows) + "</table>"

    parts = ["<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
             f"<title>公共信用信息报告 {html.escape(report.number)}</title><style>",
             "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;}",
             "table{border-collapse:collapse;margin:.5em 0 1.2em;width:100%}",
             "th,td{border:1px solid #b0bec5;padding:4px 6px;text-align:left;"
             "vertical-align:top;font-size:13px}th{background:#eceff1}",
             "h2{color:#b71c1c;margin-top:1.4em}.statement{font-size:12px;color:#37474f}",
             "</style></head><body>",
             "<h1>公共信用信息报告 Public credit information report</h1>",
             table(_cover(report)), "<h2>报告摘要 Summary</h2>", table(report.summary()),
             "<h2>登记注册基础信息</h2>", table(report.identity)]
    for key, title, columns in CHAPTERS:
        parts.append(f"<h2>{html.escape(title)}</h2>")
        rows = report.chapters[key]
        if key == "anomalies":
            parts.append(f"<p>{html.escape(NOT_COLLECTED)}</p>")
        elif not rows:
            parts.append("<p>无 none</p>")
        else:
            head = "".join(f"<th>{html.escape(h)}</th>" for _, h in columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(r.get(f)))}</td>"
                                            for f, _ in columns) + "</tr>" for r in rows)
            parts.append(f"<table><tr>{head}</tr>{body}</table>")
    parts += ["<h2>报告说明 Statement</h2>",
              f"<p class='statement'>{html.escape(STATEMENT)}</p>",
              f"<p class='statement'>CreditGraph 信用图谱 · {html.escape(report.number)}</p>",
              "</body></html>"]
    return "\n".join(parts).encode("utf-8")


def render_pdf(report: CreditReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from creditgraph.publication.pdf_style import BODY, FONT, H1, H2, SMALL, WIDTH

    def p(text: Any, style: Any = BODY) -> Paragraph:
        return Paragraph(html.escape(_cell(text)), style)

    def grid(data: list[list[Any]], widths: list[float]) -> Table:
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return table

    def pairs(rows: list[tuple[str, Any]]) -> Table:
        return grid([[p(k, SMALL), p(v, SMALL)] for k, v in rows], [WIDTH * 0.3, WIDTH * 0.7])

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawString(15 * mm, 8 * mm, f"公共信用信息报告 {report.number} · 查询日期 "
                                           f"{report.as_of} · CreditGraph 信用图谱")
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, f"第 {doc.page} 页 page {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"公共信用信息报告 {report.number}", author="CreditGraph",
                            creator="CreditGraph", producer="CreditGraph")
    story: list[Any] = [p("公共信用信息报告 Public credit information report", H1),
                        pairs(_cover(report)), p("报告摘要 Summary", H2),
                        pairs(report.summary()), p("登记注册基础信息", H2),
                        pairs(report.identity)]
    for key, title, columns in CHAPTERS:
        story.append(p(title, H2))
        rows = report.chapters[key]
        if key == "anomalies":
            story.append(p(NOT_COLLECTED))
        elif not rows:
            story.append(p("无 none"))
        else:
            data = [[p(h, SMALL) for _, h in columns]] + [
                [p(r.get(f), SMALL) for f, _ in columns] for r in rows]
            story.append(grid(data, [WIDTH / len(columns)] * len(columns)))
    story += [p("报告说明 Statement", H2), p(STATEMENT)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def render(report: CreditReport, suffix: str) -> bytes:
    if suffix not in FORMATS:
        raise ReportError(f"the report's file name must end in {' or '.join(FORMATS)}")
    return render_pdf(report) if suffix == ".pdf" else render_html(report)


def issue(report: CreditReport, suffix: str, actor: str | None = None) -> tuple[bytes, str]:
    """The report's bytes and SHA-256, recorded in the audit log (no record, no report)."""
    data = render(report, suffix)
    digest = hashlib.sha256(data).hexdigest()
    audit.append(ISSUE_ACTION, actor=actor, number=report.number, subject=report.subject.node_id,
                 purpose=report.purpose, as_of=report.as_of.isoformat(), format=suffix[1:],
                 sha256=digest, chapters=dict(report.summary()))
    return data, digest


@dataclass(frozen=True)
class Verdict:
    issued: bool
    sha256: str
    record: dict[str, Any] | None
    log_problems: list[str]


def verify(path: Path) -> Verdict:
    """Whether the file is a report this system issued, unchanged: its SHA-256 against the
    ``report-issue`` records of an audit log that itself verifies."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ReportError(f"cannot read {path}: {exc.strerror}") from None
    _, problems = audit.verify()
    record = None
    log = audit.log_path()
    if log.exists():
        with log.open("rb") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if (entry.get("action") == ISSUE_ACTION
                        and entry.get("details", {}).get("sha256") == digest):
                    record = entry
    return Verdict(record is not None and not problems, digest, record, problems)
