"""The case report as PDF, a document an official can sign: a cover in words (the case, who
exported it and when, what was asked, what the graph held), the same sections as the HTML with
fields named in Chinese and English, every page footed with the bag's identity (the case, the
date asked about, the evidence's SHA-256) and 第 N 页 / 共 M 页, the network drawn with the
SVG's layout and its relations captioned. Chinese text in reportlab's built-in CID font
STSong-Light (no font files needed, text stays searchable). ``invariant`` keeps reportlab's own
dates and ids out, so the same case, exporter and time give the same bytes."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from creditgraph.casefile import network
from creditgraph.casefile.collect import Case
from creditgraph.casefile.render import (
    COLUMNS,
    SECTION_TITLES,
    _text,
    cover_rows,
    has_ownership,
    identity_line,
    subject_heading,
)
from creditgraph.publication.field_words import field_both, field_value
from creditgraph.publication.pdf_style import BODY, FONT, H1, H2, H3, SMALL, WIDTH
from creditgraph.queries.network import caption


def _p(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(_text(text)), style)


WIDE = 5  # a section of more columns than this reads better as one block per record


def _table(rows: list[dict], columns: list[str]) -> Any:
    """A section's rows: a table where it fits the page, else one block of field | value per
    record (ten columns on A4 broke every header and value into fragments)."""
    if not rows:
        return _p("无 none")
    present = [c for c in columns if any(c in r for r in rows)]
    if len(present) > WIDE:
        blocks: list[Any] = []
        for number, row in enumerate(rows, 1):
            blocks += [_p(f"第 {number} 条 / {len(rows)}  No. {number} of {len(rows)}", SMALL),
                       _pairs([(field_both(c), _text(field_value(c, row.get(c))))
                               for c in present if row.get(c) not in (None, "", [])]),
                       Spacer(1, 4)]
        return blocks
    data = [[_p(field_both(c), SMALL) for c in present]] + [
        [_p(field_value(c, r.get(c)), SMALL) for c in present] for r in rows]
    table = Table(data, colWidths=[WIDTH / len(present)] * len(present), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _pairs(pairs: list[tuple[str, str]]) -> Any:
    """A two-column block: what (bold, Chinese and English) and its value in words."""
    if not pairs:
        return _p("无 none")
    data = [[_p(k, SMALL), _p(v)] for k, v in pairs]
    table = Table(data, colWidths=[WIDTH * 0.28, WIDTH * 0.72])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eceff1")),
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
        drawing.add(String((x1 + x2) / 2, (y1 + y2) / 2, caption(rel["type"], rel.get("ratio")),
                           fontName=FONT, fontSize=4, fillColor=colors.HexColor("#757575")))
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
        if node["case_subject"]:  # ringed, as in the SVG
            drawing.add(Circle(x, y, radius + 2, fillColor=None, strokeWidth=0.8,
                               strokeColor=colors.HexColor(network.COLOURS["subject"])))
        drawing.add(String(x + 5, y - 2, node["name"] or "", fontName=FONT, fontSize=5))
    return drawing


def report_pdf(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any],
               evidence_sha256: str) -> bytes:
    """Laid out twice: once to count the pages, once with 第 N 页 / 共 M 页 on each."""
    footer = identity_line(case, evidence_sha256)
    pages = _build(case, parameters, snapshot, evidence_sha256, footer, 0)[1]
    return _build(case, parameters, snapshot, evidence_sha256, footer, pages)[0]


def _build(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any],
           evidence_sha256: str, footer: str, total: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, invariant=True,
                            title=f"案件证据报告 {case.case_no}", author="CreditGraph",
                            creator="CreditGraph", producer="CreditGraph")
    story: list[Any] = [_p("信用图谱 案件证据报告 Case evidence report", H1)]
    story.append(_pairs(cover_rows(case, parameters, snapshot, evidence_sha256)))
    findings = case.findings()
    story.append(_p(f"结论 Findings ({len(findings)})", H2))
    story += [_p(f) for f in findings] or [_p("未发现 No findings.")]
    for subject in case.subjects:
        story.append(_p(subject_heading(subject), H2))
        story.append(_pairs([(field_both(k), _text(v))
                             for k, v in sorted(subject["identity"].items()) if k != "pid"]))
        for kind, title in SECTION_TITLES.items():
            rows = [r for r in getattr(case, kind) if r.get("subject_id") == subject["id"]]
            if (kind == "civil_servant" and not rows) or (
                    kind == "ownership" and not has_ownership(subject)):
                continue
            section = _table(rows, COLUMNS[kind])
            story += [_p(title, H3), *(section if isinstance(section, list) else [section])]
    story.append(_p("证据路径 Evidence paths", H2))
    story += [_p(p["explanation"]) for p in case.paths] or [_p("无 none")]
    story.append(_p(f"关系网络 Network ({len(case.nodes)} / {len(case.relations)})", H2))
    story += [Spacer(1, 4), _drawing(case)]

    def foot(canvas: Canvas, document: Any) -> None:
        """The identity on one line (smaller where a long case number needs it), the page
        number on the line below: they never run into each other."""
        number = document.page
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#616161"))
        size = min(7.0, 7.0 * WIDTH / max(canvas.stringWidth(footer, FONT, 7), 1.0))
        canvas.setFont(FONT, size)
        canvas.drawString(15 * mm, 9 * mm, footer)
        canvas.setFont(FONT, 7)
        canvas.drawRightString(A4[0] - 15 * mm, 5 * mm,
                               f"第 {number} 页 / 共 {total} 页  Page {number} of {total}")
        canvas.restoreState()

    doc.build(story, onFirstPage=foot, onLaterPages=foot)
    return buffer.getvalue(), doc.page
