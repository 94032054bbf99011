# ruff: noqa: F811
"""Issue 19 in a real browser (Debian's chromium driven by Playwright): the network page's
graph as the reader sees it — relations captioned in Chinese, the subject asked about ringed,
and at the node cap the nearest kept — read from the drawing library itself; and the 股权穿透
page's chart. The seed data with one hub added: a firm whose legal representative represents
200 more, so the 2-hop view passes the cap. Node ids put every firm before the person
(``Enterprise:`` < ``Person:``): keeping alphabetically, as the page once did, loses the person
one hop away."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from pathlib import Path

import pytest

from creditgraph.dashboard.data import CAP
from creditgraph.dashboard.local_server import local_dashboard
from creditgraph.graph.identifiers import org_code_check_char, uscc_check_char
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from tests.dashboard.test_dashboard import AS_OF, demo  # noqa: F401
from tests.shared import ID_KEY

pytestmark = pytest.mark.embedded
HUB_FIRMS = 200


def uscc(i: int) -> str:
    body = f"HB{i:06d}"
    head = "91330106" + body + org_code_check_char(body)
    return head + uscc_check_char(head)


def add_hub(store_path: Path) -> dict[str, str]:
    """A firm, its legal representative (who represents HUB_FIRMS more) and a shareholder."""
    hub, rep, holder = uscc(0), "p" + "7" * 63, "p" + "8" * 63
    now = dt.datetime.now(dt.UTC)
    since = dt.date(2015, 1, 1)
    with open_store(Settings(store_path=store_path)) as store:
        store.merge_nodes("Enterprise", [{"uscc": uscc(i), "name": f"杭州枢纽{i:03d}有限公司"}
                                         for i in range(HUB_FIRMS + 1)])
        store.merge_nodes("Person", [{"pid": rep, "name": "枢纽法人"},
                                     {"pid": holder, "name": "枢纽股东"}])
        store.merge_relationships("LEGAL_REP_OF", "Person", "Enterprise", [
            {"src_key": rep, "dst_key": uscc(i), "start_date": since, "updated_at": now}
            for i in range(HUB_FIRMS + 1)])
        store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
            {"src_key": holder, "dst_key": hub, "ratio": 0.3, "start_date": since,
             "updated_at": now}])
    return {"hub": hub, "rep": f"Person:{rep}", "holder": f"Person:{holder}"}


GRAPH = """() => {
    const cy = document.getElementById('cy')._cyreg.cy;
    return {
        nodes: cy.nodes().map(n => ({id: n.id(), name: n.data('name'),
                                     border: n.style('border-width'),
                                     colour: n.style('border-color')})),
        edges: cy.edges().map(e => ({source: e.source().id(), target: e.target().id(),
                                     caption: e.style('label')})),
    };
}"""


def graph_shown(page) -> dict:  # type: ignore[no-untyped-def]
    """The graph the drawing library holds in the component's frame, once it is drawn."""
    page.locator("iframe").first.wait_for(timeout=30_000)
    frames = [f for f in page.frames if "/component/" in (f.url or "")]
    assert frames, [f.url for f in page.frames]
    frame = frames[0]
    frame.wait_for_function("() => document.getElementById('cy') && "
                            "document.getElementById('cy')._cyreg && "
                            "document.getElementById('cy')._cyreg.cy.nodes().length > 0",
                            timeout=30_000)
    return frame.evaluate(GRAPH)


def test_the_network_and_the_ownership_chart_in_a_real_browser(demo, tmp_path):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(chromium).exists(), "Debian's chromium is needed (apt-get install chromium)"
    store = tmp_path / "store"
    shutil.copytree(demo["store"], store)
    hub = add_hub(store)
    red = demo["cases"]["red_black_conflict"]
    owned = demo["cases"]["hidden_control"]
    env = {"CREDITGRAPH_ID_KEY": ID_KEY, "CREDITGRAPH_BACKEND": "embedded",
           "CREDITGRAPH_DEMO": "1"}
    with local_dashboard(store, env) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        # a planted subject: relations captioned in Chinese, the subject ringed
        page.goto(f"{url}/network?subject={red['red']}&as_of={AS_OF}")
        page.get_by_text("到失信主体的路径").wait_for(timeout=60_000)
        small = graph_shown(page)
        # at the cap: the nearest kept
        page.goto(f"{url}/network?subject={hub['hub']}&as_of={AS_OF}")
        page.get_by_text("到失信主体的路径").wait_for(timeout=60_000)
        big = graph_shown(page)
        capped_text = page.inner_text("body")
        # the 股权穿透 chart
        page.goto(f"{url}/ownership?subject={owned['target']}&as_of={AS_OF}")
        page.get_by_text("全部持股与控制主体").wait_for(timeout=60_000)
        chart = page.locator("img[src^='data:image/svg+xml']").first
        chart.wait_for(timeout=30_000)
        svg = base64.b64decode(chart.get_attribute("src").split(",", 1)[1]).decode()
        drawn_width = chart.evaluate("img => img.naturalWidth")
        browser.close()

    focal = f"Enterprise:{red['red']}"
    rings = {n["id"]: n["border"] for n in small["nodes"]}
    assert rings[focal] == "5px" and "5px" not in {b for n, b in rings.items() if n != focal}
    captions = {e["caption"] for e in small["edges"]}
    assert "法定代表人" in captions, captions
    assert not [c for c in captions if not c or c.isascii()]  # words, not LEGAL_REP_OF

    ids = {n["id"] for n in big["nodes"]}
    assert len(ids) == CAP
    assert {f"Enterprise:{hub['hub']}", hub["rep"], hub["holder"]} <= ids  # hop 0 and 1 kept
    assert "股东 30.0%" in {e["caption"] for e in big["edges"]}
    assert f"已达上限：显示 {CAP} 个节点（上限 {CAP}）" in capped_text

    assert "合计 33.6%" in svg and drawn_width > 600
