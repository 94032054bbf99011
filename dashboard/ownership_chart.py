"""The 股权穿透 chart, drawn as 企查查 draws it: the subject at the bottom, its owners in rows
above by how far up they first hold it, each box with the owner's name and its cumulative share
of the subject, each line with the direct share it stands for. Beneficial owners (a person at or
above the threshold, or in control) are framed in red. SVG, so it scales, downloads and reads
the same in any browser; every name escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

BOX_W, BOX_H, GAP_X, ROW_H, MARGIN = 176, 48, 16, 116, 24
MAX_OWNERS = 40  # boxes drawn at most: the nearest, then the largest shares; the table has all
FILL = {"Person": "#fff3e0", "Enterprise": "#e3f2fd", "OverseasEntity": "#ede7f6"}
WORDS = {  # (中文, English)
    "total": ("合计", "total"), "at_least": ("至少", "at least"),
    "subject": ("查询主体", "subject asked about"),
    "controller": ("实际控制人", "actual controller"), "controls": ("控制", "controls"),
    "unknown": ("比例未记录", "share not recorded"),
    "beneficial": ("红框：受益所有人（≥{p}% 或实际控制）", "red frame: beneficial owner "
                   "(≥{p}% or in control)"),
    "kinds": ("底色：橙 自然人 · 蓝 企业 · 紫 境外主体", "fill: orange person · blue enterprise "
              "· purple overseas entity"),
}


def _word(key: str, english: bool, **values: object) -> str:
    zh, en = WORDS[key]
    return (en if english else zh).format(**values)


def _short(text: str, room: int = 24) -> str:
    """As much of a name as fits a box: a Chinese character takes two places, a Latin one."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0x2E7F else 1
        if used > room:
            return text[: max(i - 1, 1)] + "…"
    return text


def level_of(owner: dict[str, Any]) -> int:
    """The row an owner is drawn in: how far up it first holds the subject; a controller
    without a share (no level: None, or NaN once pandas has made the column float) sits
    right above the subject."""
    value = owner.get("levels")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 1
    return int(value)


def percent(value: float) -> str:
    """0.336 → 33.6%, 0.5 → 50%: two decimals at most, no trailing zeros."""
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def draw_ownership(subject: dict[str, Any], owners: Sequence[dict[str, Any]],
                   holdings: Sequence[dict[str, Any]], english: bool = False,
                   threshold: float = 0.25) -> tuple[str, int]:
    """``subject``: ``id``, ``name``, ``label``; ``owners``: rows of queries/ownership.py
    ``ownership`` with ``id`` (node id) added; ``holdings``: its ``holdings`` rows. Returns the
    SVG and how many owners were left out of the drawing (never out of the table)."""
    ranked = sorted(owners, key=lambda o: (level_of(o), -o["share"], o["name"] or ""))
    kept = ranked[:MAX_OWNERS]
    level = {subject["id"]: 0} | {o["id"]: level_of(o) for o in kept}
    rows: dict[int, list[str]] = {}
    for node in level:
        rows.setdefault(level[node], []).append(node)
    top = max(rows)
    width = max(720, max(len(r) for r in rows.values()) * (BOX_W + GAP_X) + 2 * MARGIN)
    height = (top + 1) * ROW_H + 2 * MARGIN + 40
    where: dict[str, tuple[float, float]] = {}  # each box's top left corner
    for depth, nodes in rows.items():
        span = len(nodes) * BOX_W + (len(nodes) - 1) * GAP_X
        left = (width - span) / 2
        y = float(MARGIN + 40 + (top - depth) * ROW_H)
        for i, node in enumerate(nodes):
            where[node] = (round(left + i * (BOX_W + GAP_X), 1), y)
    about = {o["id"]: o for o in kept}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#757575"/></marker></defs>',
             '<rect width="100%" height="100%" fill="#ffffff"/>',
             f'<text x="{MARGIN}" y="{MARGIN}" fill="#424242">'
             f'{escape(_word("beneficial", english, p=round(threshold * 100)))}</text>',
             f'<text x="{MARGIN}" y="{MARGIN + 18}" fill="#424242">'
             f'{escape(_word("kinds", english))}</text>']
    for edge in holdings:
        if edge["owner"] not in where or edge["owned"] not in where:
            continue
        if edge["controls"] and edge["owned"] != subject["id"]:
            continue  # control of a company further up is that company's matter
        (x1, y1), (x2, y2) = where[edge["owner"]], where[edge["owned"]]
        start = (x1 + BOX_W / 2, y1 + BOX_H)
        end = (x2 + BOX_W / 2, y2)
        dash = ' stroke-dasharray="5 4"' if edge["controls"] else ""
        parts.append(f'<line x1="{start[0]}" y1="{start[1]}" x2="{end[0]}" y2="{end[1]}" '
                     f'stroke="#9e9e9e" stroke-width="1.3"{dash} marker-end="url(#arrow)"/>')
        words = (_word("controls", english) if edge["controls"] else
                 _word("unknown", english) if edge["ratio"] is None else
                 percent(float(edge["ratio"])))
        mid_x, mid_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        parts.append(f'<text x="{round(mid_x + 4, 1)}" y="{round(mid_y, 1)}" fill="#616161" '
                     f'font-size="11">{escape(words)}</text>')
    for node, (x, y) in where.items():
        owner = about.get(node)
        label = owner["label"] if owner else subject["label"]
        name = (owner["name"] if owner else subject["name"]) or node
        if owner is None:
            second = _word("subject", english)
        elif owner["share"] == 0 and owner["controls"]:
            second = _word("controller", english)
        else:
            word = "at_least" if owner["unknown_chains"] else "total"
            second = f"{_word(word, english)} {percent(owner['share'])}"
            if owner["controls"]:
                second += f" · {_word('controls', english)}"
        strong = owner is not None and bool(owner["beneficial_owner"])
        stroke = ('stroke="#c62828" stroke-width="2.5"' if strong else
                  'stroke="#1565c0" stroke-width="2.5"' if owner is None else
                  'stroke="#90a4ae" stroke-width="1"')
        parts.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" '
                     f'fill="{FILL.get(label, "#f5f5f5")}" {stroke}>'
                     f'<title>{escape(name)}</title></rect>')
        parts.append(f'<text x="{x + 8}" y="{y + 19}" font-weight="bold">'
                     f'{escape(_short(name))}</text>')
        if second:
            parts.append(f'<text x="{x + 8}" y="{y + 38}" fill="#424242">'
                         f'{escape(second)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n", len(ranked) - len(kept)
