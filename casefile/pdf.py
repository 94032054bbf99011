"""The case report as PDF: the same sections as the HTML, Chinese text in reportlab's built-in
CID font STSong-Light (no font files needed, text stays searchable), network drawn with the same
layout as the SVG. ``invariant`` keeps dates and ids out, so the same case gives the same bytes."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from creditgraph.casefile import network
from creditgraph.casefile.collect import Case
from creditgraph.casefile.render import (
    COLUMNS,
    SECTION_TITLES,
    _text,
    has_ownership,
    subject_heading,
)
from creditgraph.publication.pdf_style import BODY, FONT, H1, H2, H3, SMALL, WIDTH


def _p(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(_text(text)), style)


def _table(rows: list[dict], columns: list[str]) -> Any:
    if not rows:
        return _p("无 none")
    present = [c for c in columns if any(c in r for r in rows)]
    data = [[_p(c, SMALL) for c in present]] + [
        [_p(r.get(c), SMALL) for c in present] for r in rows]
    table = Table(data, colWidths=[WIDTH / len(present)] * len(present), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _drawing(case: Case) -> Drawing:
    scale = WIDTH / network.WIDTH
    height = network.HEIGHT * scale
    drawing = Drawing(WIDTH, height)
    where = network.layout(case.nodes, case.relations)

    def at(node: str) -> tuple[float, float]:
        x, y = where[node]
        return x * scale, height - y * scale

    for rel in case.relations:
        (x1, y1), (x2, y2) = at(rel["source"]), at(rel["target"])
        drawing.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor("#bdbdbd"),
                         strokeWidth=0.6))
    for node in case.nodes:
        x, y = at(node["id"])
        radius = 4 if node["case_subject"] else 3
        fill = colors.HexColor(network.COLOURS[network.state(node)])
        if node["label"] == "OverseasEntity":  # a square, as in the SVG
            square = Rect(x - radius, y - radius, 2 * radius, 2 * radius)
            square.fillColor, square.strokeColor = fill, None
            drawing.add(square)
        else:
            drawing.add(Circle(x, y, radius, fillColor=fill, strokeColor=None))
        drawing.add(String(x + 5, y - 2, node["name"] or "", fontName=FONT, fontSize=5))
    return drawing


def report_pdf(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, invariant=True,
                            title=f"案件证据报告 {case.case_no}", author="CreditGraph",
                            creator="CreditGraph", producer="CreditGraph")
    story: list[Any] = [_p("信用图谱 案件证据报告 Case evidence report", H1)]
    meta = [("案件编号 Case no.", case.case_no), ("查询日期 As of", case.as_of.isoformat()),
            ("关联跳数 Hops", case.hops),
            ("参数 Parameters", json.dumps(parameters, ensure_ascii=False, sort_keys=True)),
            ("数据快照 Data snapshot", json.dumps(snapshot, ensure_ascii=False, sort_keys=True))]
    story.append(_table([{"k": k, "v": v} for k, v in meta], ["k", "v"]))
    findings = case.findings()
    story.append(_p(f"结论 Findings ({len(findings)})", H2))
    story += [_p(f) for f in findings] or [_p("未发现 No findings.")]
    for subject in case.subjects:
        story.append(_p(subject_heading(subject), H2))
        story.append(_table([{"k": k, "v": v} for k, v in sorted(subject["identity"].items())
                             if k != "pid"], ["k", "v"]))
        for kind, title in SECTION_TITLES.items():
            rows = [r for r in getattr(case, kind) if r.get("subject_id") == subject["id"]]
            if (kind == "civil_servant" and not rows) or (
                    kind == "ownership" and not has_ownership(subject)):
                continue
            story += [_p(title, H3), _table(rows, COLUMNS[kind])]
    story.append(_p("证据路径 Evidence paths", H2))
    story += [_p(p["explanation"]) for p in case.paths] or [_p("无 none")]
    story.append(_p(f"关系网络 Network ({len(case.nodes)} / {len(case.relations)})", H2))
    story += [Spacer(1, 4), _drawing(case)]
    doc.build(story)
    return buffer.getvalue()
