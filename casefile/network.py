"""The case subgraph as GraphML (Gephi, Neo4j import) and as an SVG diagram; one layout,
computed with a fixed seed so the same case draws the same picture. The dashboard's network and
paths pages draw their views with the same ``draw_svg`` (nodes and relations as a case bag
records them), and as PNG with ``draw_png`` — the same layout, colours and captions, drawn with
Pillow in a CJK font found on the machine (fonts-wqy-zenhei or Noto CJK): a PNG pastes into a
Word or WPS document where an SVG will not."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Collection
from functools import cache
from html import escape
from pathlib import Path

import networkx as nx

from creditgraph.casefile.collect import Case
from creditgraph.graph.errors import CreditGraphError
from creditgraph.queries.neighbourhood import Subgraph
from creditgraph.queries.network import caption

WIDTH, HEIGHT, MARGIN = 900, 640, 60
COLOURS = {"black": "#d32f2f", "sanctioned": "#f57c00", "red": "#2e7d32", "subject": "#1565c0",
           "other": "#9e9e9e"}
LEGEND = [("subject", "案件主体（蓝圈）", "subject asked about (ringed)"),
          ("black", "失信黑名单", "black-listed"), ("sanctioned", "受联合惩戒", "sanctioned"),
          ("red", "守信红名单", "red-listed"), ("other", "其他", "other")]
# What identifies a node beside its name, where recorded (casefile/collect.py): an overseas
# entity's country or region, a person's document type, masked number and nationality.
IDENTITY = ("country", "country_name", "name_zh", "registration_no", "id_type", "id_type_name",
            "id_masked", "nationality", "nationality_name", "unresolved")


def graph(case: Case) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node in case.nodes:
        extra = {k: node[k] for k in IDENTITY if node.get(k) is not None}
        g.add_node(node["id"], label=node["label"], name=node["name"], hops=node["hops"],
                   black_listed=node["black_listed"], red_listed=node["red_listed"],
                   sanctioned=node["sanctioned"], case_subject=node["case_subject"], **extra)
    for rel in case.relations:
        attrs = {k: rel[k] for k in ("ratio", "role", "kind") if rel[k] is not None}
        g.add_edge(rel["source"], rel["target"], key=rel["type"], type=rel["type"], **attrs)
    return g


def graphml(case: Case) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(graph(case), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def identity(node: dict) -> str:
    """A node's identity in words, for its tooltip: ``香港 HK`` / ``护照 X******78 美国``."""
    if node["label"] == "OverseasEntity":
        parts = [node.get("country_name"), node.get("country"), node.get("registration_no")]
    elif node["label"] == "Person":
        parts = [node.get("id_type_name"), node.get("id_masked"), node.get("nationality_name"),
                 "未识别（仅有姓名）" if node.get("unresolved") else None]
    else:
        parts = []
    return " ".join(str(p) for p in parts if p)


def state(node: dict) -> str:
    if node["black_listed"]:
        return "black"
    if node["sanctioned"]:
        return "sanctioned"
    if node["red_listed"]:
        return "red"
    return "subject" if node["case_subject"] else "other"


def layout(nodes: list[dict], relations: list[dict]) -> dict[str, tuple[float, float]]:
    """Node positions in the drawing's pixel box, rounded (stable bytes)."""
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((r["source"], r["target"]) for r in relations)
    if not g:
        return {}
    raw = nx.spring_layout(g, seed=2016, iterations=80) if len(g) > 1 else {
        next(iter(g)): (0.0, 0.0)}
    xs = [p[0] for p in raw.values()] or [0.0]
    ys = [p[1] for p in raw.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {n: (round(MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN), 1),
                round(MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN), 1))
            for n, (x, y) in sorted(raw.items())}


def svg(case: Case) -> str:
    return draw_svg(case.nodes, case.relations)


def draw_svg(nodes: list[dict], relations: list[dict], english: bool = False) -> str:
    """Nodes (id, label, name, the flags, ``case_subject`` for the subjects asked about) and
    relations (source, target, type, ratio) as an SVG picture: each node's name beside it,
    each relation's short name (and a shareholder's share) on its line, the subjects ringed."""
    where = layout(nodes, relations)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
             '<rect width="100%" height="100%" fill="#ffffff"/>']
    for rel in relations:
        (x1, y1), (x2, y2) = where[rel["source"]], where[rel["target"]]
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#bdbdbd" '
                     'stroke-width="1.2"/>')
        words = caption(rel["type"], rel.get("ratio"), english)
        parts.append(f'<text x="{round((x1 + x2) / 2, 1)}" y="{round((y1 + y2) / 2, 1)}" '
                     f'fill="#757575" font-size="8">{escape(words)}</text>')
    for node in nodes:
        x, y = where[node["id"]]
        radius = 9 if node["case_subject"] else 6
        title = escape(" · ".join(t for t in (node["id"], identity(node)) if t))
        if node["label"] == "OverseasEntity":  # a square: 境外主体
            parts.append(f'<rect x="{round(x - radius, 1)}" y="{round(y - radius, 1)}" '
                         f'width="{2 * radius}" height="{2 * radius}" '
                         f'fill="{COLOURS[state(node)]}"><title>{title}</title></rect>')
        else:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius}" '
                         f'fill="{COLOURS[state(node)]}"><title>{title}</title></circle>')
        if node["case_subject"]:  # the subject asked about: ringed
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius + 4}" fill="none" '
                         f'stroke="{COLOURS["subject"]}" stroke-width="2"/>')
        name = escape(node["name"] or "")
        if x > WIDTH * 0.6:  # names of nodes on the right run leftwards, inside the picture
            parts.append(f'<text x="{round(x - 12, 1)}" y="{y + 4}" text-anchor="end">{name}'
                         '</text>')
        else:
            parts.append(f'<text x="{round(x + 10, 1)}" y="{y + 4}">{name}</text>')
    for i, (kind, zh, en) in enumerate(LEGEND):
        parts.append(f'<circle cx="{16}" cy="{16 + i * 16}" r="5" fill="{COLOURS[kind]}"/>'
                     f'<text x="26" y="{20 + i * 16}">{en if english else zh}</text>')
    if any(node["label"] == "OverseasEntity" for node in nodes):
        y = 16 + len(LEGEND) * 16
        square = "square: overseas entity" if english else "方形：境外主体"
        parts.append(f'<rect x="11" y="{y - 5}" width="10" height="10" fill="#ffffff" '
                     f'stroke="#616161"/><text x="26" y="{y + 4}">{square}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def drawing(found: Subgraph, focal: Collection[str]) -> tuple[list[dict], list[dict]]:
    """A subgraph as ``draw_svg`` and ``draw_png`` take it: nodes and relations in a stable
    order, the ``focal`` nodes ringed."""
    nodes = [{"id": n, "label": n.split(":", 1)[0], "name": found.names.get(n, n),
              "case_subject": n in focal, "black_listed": n in found.flags.get("black", ()),
              "red_listed": n in found.flags.get("red", ()),
              "sanctioned": n in found.flags.get("sanctioned", ())} for n in sorted(found.names)]
    relations = [{"source": e.source, "target": e.target, "type": e.type, "ratio": e.ratio}
                 for e in sorted(found.edges.values(), key=lambda e: (e.source, e.target, e.type))]
    return nodes, relations


FONT_PLACES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
               "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@cache
def cjk_font() -> Path | None:
    """A font file that draws Chinese: the first fontconfig lists for ``:lang=zh`` (a known
    place first), None when the machine has none."""
    listed: list[str] = []
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(["fc-list", "-f", "%{file}\n", ":lang=zh"], check=False,
                                    capture_output=True, text=True,
                                    timeout=10).stdout.splitlines()
        except (OSError, subprocess.TimeoutExpired):
            listed = []
    files = [line.strip() for line in listed if line.strip()]
    for place in (*FONT_PLACES, *sorted(files)):
        if Path(place).is_file() and (place in files or not files):
            return Path(place)
    return None


def draw_png(nodes: list[dict], relations: list[dict], english: bool = False,
             scale: int = 2) -> bytes:
    """The picture ``draw_svg`` draws, as PNG (``scale`` times the SVG's size, for print).
    Raises CreditGraphError when the machine has no font that draws Chinese."""
    from PIL import Image, ImageDraw, ImageFont

    path = cjk_font()
    if path is None:
        raise CreditGraphError("no font that draws Chinese on this machine: install "
                               "fonts-wqy-zenhei (or fonts-noto-cjk) for PNG; SVG needs none")
    font, small = (ImageFont.truetype(str(path), size * scale) for size in (11, 8))
    where = layout(nodes, relations)
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "#ffffff")
    pen = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    for rel in relations:
        (x1, y1), (x2, y2) = where[rel["source"]], where[rel["target"]]
        pen.line([at(x1, y1), at(x2, y2)], fill="#bdbdbd", width=max(1, scale))
        pen.text(at((x1 + x2) / 2, (y1 + y2) / 2 - 8), caption(rel["type"], rel.get("ratio"),
                                                               english),
                 fill="#757575", font=small)
    for node in nodes:
        x, y = where[node["id"]]
        radius = 9 if node["case_subject"] else 6
        box = [at(x - radius, y - radius), at(x + radius, y + radius)]
        colour = COLOURS[state(node)]
        if node["label"] == "OverseasEntity":
            pen.rectangle(box, fill=colour)
        else:
            pen.ellipse(box, fill=colour)
        if node["case_subject"]:
            pen.ellipse([at(x - radius - 4, y - radius - 4), at(x + radius + 4, y + radius + 4)],
                        outline=COLOURS["subject"], width=2 * scale)
        if x > WIDTH * 0.6:
            pen.text(at(x - 12, y), node["name"] or "", fill="#212121", font=font, anchor="rm")
        else:
            pen.text(at(x + 10, y), node["name"] or "", fill="#212121", font=font, anchor="lm")
    for i, (kind, zh, en) in enumerate(LEGEND):
        pen.ellipse([at(11, 11 + i * 16), at(21, 21 + i * 16)], fill=COLOURS[kind])
        pen.text(at(26, 9 + i * 16), en if english else zh, fill="#212121", font=font)
    if any(node["label"] == "OverseasEntity" for node in nodes):
        y = 16 + len(LEGEND) * 16
        pen.rectangle([at(11, y - 5), at(21, y + 5)], outline="#616161", width=scale)
        pen.text(at(26, y - 7), "square: overseas entity" if english else "方形：境外主体",
                 fill="#212121", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
