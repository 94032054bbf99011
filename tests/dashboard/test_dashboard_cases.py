"""The dashboard's 案件 page (dashboard/views/cases.py) under AppTest, on an embedded store with
the cases an alert run opened: viewers do not reach it; a supervisor assigns in bulk; the
investigator finds the case under "my open cases" and moves it, with its history shown; the
overview counts open and unassigned cases for investigators only."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from creditgraph.alerts import cases as case_store
from creditgraph.alerts.evaluate import evaluate
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from tests.conftest import load_seed
from tests.dashboard.test_dashboard import APP, reachable, sign_in, texts
from tests.shared import tables

SECRET = "dashboard-cases-secret-0123456789"
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def with_cases(tmp_path, monkeypatch):
    from creditgraph.seed.generator import generate

    generate(tmp_path / "seed", 300, seed=29)
    with open_store(Settings(store_path=tmp_path / "store")) as store:
        store.init_schema()
        load_seed(store, tmp_path / "seed", tmp_path / "report", SECRET.encode())
        rules = load_alert_rules()
        report = case_store.record_hits(store, rules, evaluate(
            store, rules, [], AS_OF, only=["commitment_breach", "late_publication"]), AS_OF)
    assert report.opened >= 2
    monkeypatch.setenv("CREDITGRAPH_BACKEND", "embedded")
    monkeypatch.setenv("CREDITGRAPH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("CREDITGRAPH_ID_KEY", SECRET)
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["as_of"] = AS_OF
    return app, report.cases


@pytest.mark.embedded
def test_cases_are_assigned_worked_and_counted_by_role(with_cases, users):
    app, opened = with_cases
    sign_in(app.run(), "viewer1", "viewer1-password-123")
    assert not reachable(app, "cases")
    assert "待处理案件" not in texts(app.switch_page("views/overview.py").run())

    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["as_of"] = AS_OF
    sign_in(app.run(), "sup1", "sup1-password-123")
    overview = app.switch_page("views/overview.py").run()
    metrics = {m.label: m.value for m in overview.metric}
    assert metrics["待处理案件"] == metrics["未指派案件"] == str(len(opened))
    page = app.switch_page("views/cases.py").run()
    assert not page.exception, page.exception
    assert tables(page)[0].empty  # "my open cases": nothing is assigned yet
    page.radio(key="cases_scope").set_value("all").run()
    assert len(tables(page)[0]) == len(opened)
    case_id = opened[0]
    page.multiselect(key="cases_bulk").select(case_id).run()
    page.selectbox(key="cases_to").select("inv1").run()
    page.button(key="cases_assign_go").click().run()
    assert not page.exception, page.exception
    assert "已保存" in texts(page)

    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["as_of"] = AS_OF
    sign_in(app.run(), "inv1", "inv1-password-123")
    page = app.switch_page("views/cases.py").run()
    mine = tables(page)[0]
    assert list(mine["case_id"]) == [case_id]
    assert not page.expander or "批量指派" not in [e.label for e in page.expander]
    page.selectbox(key="cases_target").select("in_progress").run()
    page.button(key="cases_status_go").click().run()
    assert not page.exception, page.exception
    history = tables(page)[-1]
    assert list(history["action"]) == ["opened", "assigned", "status"]
    assert list(history["actor"]) == ["system", "sup1", "inv1"]
    assert list(history["detail"])[1:] == ["原: —；改为: inv1", "原: 待处理；改为: 处理中；备注: —"]
    assert not [d for d in history["detail"] if d.startswith("{")]  # in words, not JSON
    profile = page.button(key="cases_open_profile").click().run()  # a firm's case
    assert not profile.exception, profile.exception
    assert "待处理案件" in texts(profile)  # the credit file lists the subject's open cases
    listed = next(df for df in tables(profile) if "case_id" in df.columns)
    assert set(listed["status"]) == {"处理中"}  # in words, not in_progress

    english = AppTest.from_file(APP, default_timeout=60)
    english.session_state["as_of"] = AS_OF
    english.session_state["lang"] = "en"
    sign_in(english.run(), "inv1", "inv1-password-123")
    page = english.switch_page("views/cases.py").run()
    assert list(tables(page)[0]["status"]) == ["In progress"]  # the status in words, English
