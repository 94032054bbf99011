"""The pictures a page downloads or shows: the network as SVG and PNG (one layout, casefile/
network.py) and the 股权穿透 chart (dashboard/ownership_chart.py). Drawn from hand-made nodes,
so each rule is seen on its own."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from creditgraph.casefile import network
from creditgraph.casefile.network import HEIGHT, WIDTH, draw_png, draw_svg, layout
from creditgraph.dashboard.ownership_chart import MAX_OWNERS, draw_ownership, percent
from creditgraph.graph.errors import CreditGraphError


def node(ident: str, name: str, **flags: bool) -> dict:
    return {"id": ident, "label": ident.split(":")[0], "name": name,
            "case_subject": flags.get("subject", False),
            "black_listed": flags.get("black", False), "red_listed": flags.get("red", False),
            "sanctioned": flags.get("sanctioned", False)}


NODES = [node("Enterprise:A", "杭州甲有限公司", subject=True),
         node("Person:p1", "张三"), node("Enterprise:B", "杭州乙有限公司", black=True)]
RELATIONS = [{"source": "Person:p1", "target": "Enterprise:A", "type": "LEGAL_REP_OF",
              "ratio": None},
             {"source": "Person:p1", "target": "Enterprise:B", "type": "SHAREHOLDER_OF",
              "ratio": 0.4}]


def colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}


@pytest.mark.skipif(network.cjk_font() is None, reason="needs a CJK font (.ci/run installs "
                                                       "fonts-wqy-zenhei)")
def test_the_png_draws_what_the_svg_draws():
    png = draw_png(NODES, RELATIONS)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (2 * WIDTH, 2 * HEIGHT)
    seen = colours(png)
    assert (0x15, 0x65, 0xC0) in seen  # the subject's blue ring
    assert (0xD3, 0x2F, 0x2F) in seen  # the black-listed firm
    assert (0x75, 0x75, 0x75) in seen  # relation captions
    # the names are drawn in a font that has Chinese: a name takes ink, a missing glyph
    # would take the same box for every character
    blank = draw_png([node("Enterprise:A", "", subject=True), *NODES[1:]], RELATIONS)
    ink = sum(Image.open(io.BytesIO(png)).convert("L").histogram()[:80])
    less = sum(Image.open(io.BytesIO(blank)).convert("L").histogram()[:80])
    assert ink > less
    english = draw_png(NODES, RELATIONS, english=True)
    assert english != png  # the legend and captions in English


def test_without_a_chinese_font_png_is_refused_in_words(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(network, "cjk_font", lambda: None)
    with pytest.raises(CreditGraphError, match="fonts-wqy-zenhei"):
        draw_png(NODES, RELATIONS)


def test_names_on_the_right_run_leftwards_inside_the_picture():
    svg = draw_svg(NODES, RELATIONS)
    where = layout(NODES, RELATIONS)
    for item in NODES:
        x, _ = where[item["id"]]
        anchored = re.search(rf'text-anchor="end">{item["name"]}<', svg) is not None
        assert anchored == (x > WIDTH * 0.6), item


def owner(ident: str, name: str, share: float, levels: int | None = 1, **extra: object) -> dict:
    return {"id": ident, "label": ident.split(":")[0], "name": name, "share": share,
            "levels": levels, "unknown_chains": extra.get("unknown", 0),
            "controls": extra.get("controls", False),
            "beneficial_owner": extra.get("beneficial", False)}


SUBJECT = {"id": "Enterprise:T", "name": "目标公司", "label": "Enterprise"}


def test_the_ownership_chart_states_shares_control_and_the_unknown():
    owners = [owner("Enterprise:H", "控股公司", 0.7),
              owner("Person:a", "甲", 0.42, 2, beneficial=True),
              owner("Person:b", "乙<b>", 0.0, 1, unknown=1),
              owner("Person:c", "丙", 0.0, None, controls=True, beneficial=True)]
    holdings = [
        {"owner": "Enterprise:H", "owned": "Enterprise:T", "ratio": 0.7, "controls": False},
        {"owner": "Person:a", "owned": "Enterprise:H", "ratio": 0.6, "controls": False},
        {"owner": "Person:b", "owned": "Enterprise:T", "ratio": None, "controls": False},
        {"owner": "Person:c", "owned": "Enterprise:T", "ratio": None, "controls": True},
        {"owner": "Person:c", "owned": "Enterprise:H", "ratio": None, "controls": True},
    ]
    svg, left_out = draw_ownership(SUBJECT, owners, holdings)
    assert left_out == 0
    assert "合计 42%" in svg and ">60%<" in svg and ">70%<" in svg
    assert "至少 0%" in svg and ">比例未记录<" in svg  # unknown, never zero
    assert ">实际控制人<" in svg and svg.count("stroke-dasharray") == 1  # control of T only
    assert "乙&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count('stroke="#c62828"') == 2  # the two beneficial owners framed
    # rows: the person two levels up is drawn above the holding company
    y = {name: float(m) for m, name in re.findall(r'y="([\d.]+)" font-weight="bold">([^<]+)<',
                                                  svg)}
    assert y["甲"] < y["控股公司"] < y["目标公司"]
    english, _ = draw_ownership(SUBJECT, owners, holdings, english=True)
    assert "total 42%" in english and "share not recorded" in english


def test_a_controller_without_a_share_beside_shareholders_is_drawn():
    """The rows as the page passes them, through a DataFrame: a controller's missing level is
    NaN there once another owner has one (it stopped the page with a ValueError)."""
    import pandas as pd

    frame = pd.DataFrame([owner("Person:a", "甲", 0.6, 1),
                          owner("Person:c", "丙", 0.0, None, controls=True, beneficial=True)])
    assert frame["levels"].isna().any()
    svg, _ = draw_ownership(SUBJECT, frame.to_dict("records"), [
        {"owner": "Person:c", "owned": "Enterprise:T", "ratio": None, "controls": True}])
    assert ">实际控制人<" in svg and "合计 60%" in svg


def test_the_chart_draws_the_nearest_largest_and_counts_the_rest():
    owners = [owner(f"Person:p{i}", f"股东{i}", 1 / (MAX_OWNERS + 5), 1)
              for i in range(MAX_OWNERS + 5)]
    svg, left_out = draw_ownership(SUBJECT, owners, [])
    assert left_out == 5
    assert svg.count("<rect x=") == MAX_OWNERS + 1  # the owners kept and the subject


@pytest.mark.parametrize("value, text", [(0.336, "33.6%"), (0.5, "50%"), (0.12345, "12.35%"),
                                         (1.0, "100%"), (0.0, "0%")])
def test_shares_are_written_as_people_write_them(value, text):
    assert percent(value) == text
