"""Takes the pictures in ``docs/img/``: the dashboard's overview, network and 股权穿透 pages in
a real browser (Debian's chromium, driven by Playwright) and the first page of a case report
(rendered with PDFium), all on the seed's synthetic data at the test suite's size (400
enterprises, seed 21, as tests/dashboard uses) as of 2026-11-01. Everything it makes
lives in a temporary folder and the dashboard it starts is stopped before it ends.

    make screenshots                  # or: .venv/bin/python docs/screenshots.py [OUT_DIR]

Needs the dev dependencies (``make setup``) and chromium (``make chromium``)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 1)
SIZE = {"width": 1400, "height": 1000}


def build(work: Path) -> tuple[Path, dict[str, dict]]:
    """The demo data loaded into an embedded store and propagated; the seed's planted cases."""
    from creditgraph.graph.settings import Settings
    from creditgraph.graph.store import open_store
    from creditgraph.loaders.pipeline import load_directory
    from creditgraph.loaders.spec import load_spec
    from creditgraph.loaders.writers import StoreWriter
    from creditgraph.propagation.rules import load_rules
    from creditgraph.propagation.service import propagate
    from creditgraph.seed.generator import generate

    answers = generate(work / "seed", 400, seed=21)
    store = work / "store"
    with open_store(Settings(store_path=store)) as graph:
        graph.init_schema()
        load_directory(work / "seed", StoreWriter(graph), graph.schema, load_spec(),
                       os.environ["CREDITGRAPH_ID_KEY"].encode(), work / "report")
        propagate(graph, load_rules(), AS_OF)
    return store, {case["case"]: case for case in answers["cases"]}


def report_page(store: Path, subject: str, out: Path, work: Path) -> None:
    import pypdfium2

    from creditgraph.casefile.export import export_case
    from creditgraph.graph.settings import Settings
    from creditgraph.graph.store import open_store
    from creditgraph.queries.subjects import resolve

    with open_store(Settings(store_path=store), read_only=True) as graph:
        found = resolve(graph, subject, None)
        export_case(graph, [found], AS_OF, 2, "CG-DEMO-1", work / "bag", actor="demo")
    page = pypdfium2.PdfDocument(work / "bag" / "data" / "report.pdf")[0]
    page.render(scale=1.6).to_pil().save(out / "report-page-1.png", optimize=True)


def browser_pages(store: Path, cases: dict[str, dict], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from creditgraph.dashboard.local_server import local_dashboard

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    red = cases["red_black_conflict"]["red"]
    owned = cases["hidden_control"]["target"]
    pages = [("overview.png", f"/?as_of={AS_OF}", "各区县信用统计"),
             ("network.png", f"/network?subject={red}&as_of={AS_OF}", "到失信主体的路径"),
             ("ownership.png", f"/ownership?subject={owned}&as_of={AS_OF}", "全部持股与控制主体")]
    with local_dashboard(store, {"CREDITGRAPH_DEMO": "1", "CREDITGRAPH_BACKEND": "embedded"}
                         ) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport=SIZE)
        for name, path, ready in pages:
            page.goto(url + path)
            page.get_by_text(ready).first.wait_for(timeout=90_000)
            page.wait_for_timeout(3000)  # charts and the graph lay out
            page.screenshot(path=str(out / name))
            print(f"{out / name}")
        browser.close()


def main(out: Path) -> None:
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        sys.exit("docs/screenshots.py needs Debian's chromium: make chromium (as root) or "
                 "sudo apt-get install chromium fonts-wqy-zenhei")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="creditgraph-shots-") as folder:
        work = Path(folder)
        os.environ.setdefault("CREDITGRAPH_ID_KEY", secrets.token_hex(32))
        os.environ["CREDITGRAPH_AUDIT_LOG"] = str(work / "audit.log")  # never the real log
        os.environ["CREDITGRAPH_AUDIT_KEY"] = secrets.token_hex(32)
        os.environ.pop("CREDITGRAPH_AUDIT_HEAD", None)
        os.environ.pop("CREDITGRAPH_USERS", None)
        from creditgraph.access import audit

        audit.init()
        store, cases = build(work)
        report_page(store, cases["red_black_conflict"]["red"], out, work)
        print(f"{out / 'report-page-1.png'}")
        browser_pages(store, cases, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
