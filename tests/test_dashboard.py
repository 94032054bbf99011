"""The dashboard's router and overview page, rendered with Streamlit's AppTest."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.settings import Settings
from graph.store import open_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    st.cache_data.clear()


@pytest.mark.embedded
def test_overview_shows_what_the_store_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store_path = tmp_path / "store"
    with open_store(Settings(store_path=store_path)) as store:
        store.init_schema()
        store.merge_nodes("Enterprise", [{"uscc": "91330100799655058B", "name": "杭州甲公司"}])
    monkeypatch.setenv("CREDITGRAPH_BACKEND", "embedded")
    monkeypatch.setenv("CREDITGRAPH_STORE", str(store_path))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.title[0].value == "信用图谱 总览"
    nodes = app.dataframe[0].value
    assert dict(zip(nodes["label"], nodes["count"], strict=True))["Enterprise"] == 1
    assert not app.error


def test_unreachable_database_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CREDITGRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "irrelevant-here")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "数据库不可用 database unavailable" in app.error[0].value
    assert "cannot reach Neo4j" in app.error[0].value
