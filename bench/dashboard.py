"""Dashboard page times on the demo data (2,000 enterprises, embedded store), measured with
Streamlit's AppTest: each page's first render with empty caches, and a credit file.

Baseline in the same run: AppTest rendering a one-line page, the framework's own cost."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from creditgraph.loaders.bulk import writer_for
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.seed.generator import generate

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
SECRET = "bench-secret-key-0123456789"
AS_OF = dt.date(2026, 11, 1)
PAGES = ("overview", "search", "profile", "network", "linked", "sanctions", "civil_servants",
         "screening", "quality")


def render(page: str, subject: tuple[str, str, str] | None = None, repeat: int = 3) -> float:
    """Median seconds of a first render (caches emptied before each), signed in as the demo
    user (no user store: explicit demo mode), the store the environment names."""
    os.environ.update({"CREDITGRAPH_DEMO": "1", "CREDITGRAPH_USERS": str(
        Path(tempfile.gettempdir()) / "creditgraph-bench-no-users.json")})
    times = []
    for _ in range(repeat):
        app = AppTest.from_file(APP, default_timeout=120)
        app.session_state["as_of"] = AS_OF
        if subject:
            app.session_state["subject"] = subject
        app.run()  # the default page, then empty caches: the measured page starts cold
        st.cache_data.clear()
        start = time.perf_counter()
        app.switch_page(f"views/{page}.py").run()
        times.append(time.perf_counter() - start)
        assert not app.exception, (page, app.exception)
        assert app.title or app.header, f"{page}: nothing rendered (the door stayed closed?)"
    return statistics.median(times)


def run(enterprises: int = 2000) -> list[dict]:
    root = Path(tempfile.mkdtemp(prefix="creditgraph-dash-"))
    answers = generate(root / "seed", enterprises, seed=2016)
    with open_store(Settings(store_path=root / "store")) as store:
        store.init_schema()
        load_directory(root / "seed", writer_for(store), store.schema, load_spec(),
                       SECRET.encode(), root / "report")
        propagate(store, load_rules(), AS_OF)
    os.environ.update({"CREDITGRAPH_BACKEND": "embedded", "CREDITGRAPH_STORE":
                       str(root / "store"), "CREDITGRAPH_ID_KEY": SECRET})
    case = {c["case"]: c for c in answers["cases"]}["red_black_conflict"]
    subject = ("Enterprise", case["red"], "")

    trivial = root / "trivial.py"
    trivial.write_text("import streamlit as st\nst.write('ok')\n")
    baseline = statistics.median(
        _timed(lambda: AppTest.from_file(str(trivial)).run()) for _ in range(5))
    rows = [{"what": "baseline: AppTest render of a one-line page", "value": baseline,
             "ratio": 1.0}]
    for page in PAGES:
        seconds = render(page, subject if page in ("profile", "network") else None)
        what = "credit file (信用档案) of a planted subject" if page == "profile" else \
            f"{page} page, first render"
        rows.append({"what": what, "value": seconds, "ratio": seconds / baseline})
    for row in rows:
        row["backend"] = "embedded"
    return rows


def _timed(work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    return time.perf_counter() - start
