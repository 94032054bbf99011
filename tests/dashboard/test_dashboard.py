"""The dashboard's router and overview page, rendered with Streamlit's AppTest."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store
from tests.shared import ID_KEY, ROOT, tables

APP = str(ROOT / "dashboard" / "app.py")


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
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")  # no users: open only in explicit demo mode
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.title[0].value == "信用图谱 总览"
    nodes = next(df.value for df in app.dataframe if "节点" in df.value.columns)
    assert dict(zip(nodes["节点"], nodes["数量"], strict=True))["企业"] == 1  # in words
    assert not app.error


def test_unreachable_database_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CREDITGRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "irrelevant-here")
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert "数据库不可用 database unavailable" in app.error[0].value
    assert "cannot reach Neo4j" in app.error[0].value


# -- every page on demo data ---------------------------------------------------------------------

AS_OF = "2026-11-01"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Seed data loaded into an embedded store and propagated, as `make demo` does."""
    import datetime as dt

    from creditgraph.loaders.pipeline import load_directory
    from creditgraph.loaders.spec import load_spec
    from creditgraph.loaders.writers import StoreWriter
    from creditgraph.propagation.rules import load_rules
    from creditgraph.propagation.service import propagate
    from creditgraph.seed.generator import generate

    root = tmp_path_factory.mktemp("demo")
    answers = generate(root / "seed", 400, seed=21)
    with open_store(Settings(store_path=root / "store")) as store:
        store.init_schema()
        load_directory(root / "seed", StoreWriter(store), store.schema, load_spec(),
                       ID_KEY.encode(), root / "report")
        propagate(store, load_rules(), dt.date(2026, 11, 1))
        names = {r["key"]: r["name"] for r in store.read(
            "MATCH (e:Enterprise) RETURN e.uscc AS key, e.name AS name")}
    cases = {c["case"]: c for c in answers["cases"]}
    return {"store": root / "store", "cases": cases, "names": names}


@pytest.fixture
def demo_app(demo, monkeypatch: pytest.MonkeyPatch):
    import datetime as dt

    monkeypatch.setenv("CREDITGRAPH_BACKEND", "embedded")
    monkeypatch.setenv("CREDITGRAPH_STORE", str(demo["store"]))
    monkeypatch.setenv("CREDITGRAPH_ID_KEY", ID_KEY)
    monkeypatch.setenv("CREDITGRAPH_DEMO", "1")  # without users, only explicit demo mode opens
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["as_of"] = dt.date.fromisoformat(AS_OF)
    return app


def texts(app) -> str:  # type: ignore[no-untyped-def]
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info",
                                  "warning", "error", "success", "metric")
             for e in getattr(app, kind) if isinstance(getattr(e, "value", None), str)]
    return "\n".join(parts)


RENDERED = [
    ("overview", "各区县主体数"), ("search", "主体查询"), ("profile", "请先在“主体查询”中选择"),
    ("network", "请先在“主体查询”中选择"), ("linked", "关联失信"), ("sanctions", "各实施部门的措施数"),
    ("civil_servants", "违规经商办企业"), ("screening", "采购审查"), ("quality", "七天双公示审查"),
    ("export", "请先在“主体查询”中选择"), ("lists", "名单发布"), ("cases", "案件"),
    ("ownership", "请先在“主体查询”中选择"), ("paths_page", "请先在“主体查询”中选择"),
    ("clusters", "失信后新设企业"), ("risk", "不构成认定"), ("breaches", "承诺违约"),
    ("red_black", "红黑名单冲突"),
]


@pytest.mark.embedded
@pytest.mark.parametrize("page, expected", RENDERED)
def test_every_page_renders_on_demo_data(demo_app, page, expected):
    app = demo_app.run()
    app.switch_page(f"views/{page}.py").run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error if "unavailable" in e.value]
    assert expected in texts(app)


# every page of dashboard/views/ but the users page (an admin's, closed in demo mode): a new
# page is walked without being named here
PAGES = tuple(sorted(p.stem for p in (ROOT / "dashboard" / "views").glob("*.py")
                     if p.stem not in ("__init__", "users")))


def test_every_page_is_rendered_by_a_test():
    rendered = {page for page, _ in RENDERED}
    assert rendered == set(PAGES), set(PAGES) ^ rendered


def axis_titles(spec: object) -> list[str]:
    """The titles a Vega-Lite chart spec writes (its axes' and legends')."""
    if isinstance(spec, dict):
        return [v for k, v in spec.items() if k == "title" and isinstance(v, str)] + [
            t for v in spec.values() for t in axis_titles(v)]
    if isinstance(spec, list):
        return [t for v in spec for t in axis_titles(v)]
    return []


@pytest.mark.embedded
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_its_language_in_its_tables(demo, demo_app, lang):
    """Issue 19: every page in each language, a subject chosen, renders; and every table's
    headers are words of that language (raw names such as subject_id and list_types were
    shown in both), and so is every chart's axis title (a chart drew its column's name)."""
    import json
    import re

    from creditgraph.dashboard.i18n import WORDS

    cjk = re.compile(r"[\u3400-\u9fff]")
    english = {en for _, en in WORDS.values()}  # headers are words of the table
    red = demo["cases"]["red_black_conflict"]["red"]
    demo_app.session_state["lang"] = lang
    demo_app.session_state["subject"] = ("Enterprise", red, demo["names"][red])
    app = demo_app.run()
    raw: dict[str, set[str]] = {}
    tables = charts = 0
    for page in PAGES:
        app.switch_page(f"views/{page}.py").run()
        assert not app.exception, (page, app.exception)
        for frame in app.dataframe:
            tables += 1
            for header in map(str, frame.value.columns):
                if not (cjk.search(header) if lang == "zh" else header in english):
                    raw.setdefault(page, set()).add(header)
        for chart in app.get("vega_lite_chart") + app.get("arrow_vega_lite_chart"):
            charts += 1
            for title in axis_titles(json.loads(chart.proto.spec)):
                if title.strip() and not (cjk.search(title) if lang == "zh" else title in english):
                    raw.setdefault(page, set()).add(f"chart: {title}")
    assert tables > 10 and charts >= 3
    assert raw == {}, f"raw names shown: {sorted((p, sorted(h)) for p, h in raw.items())}"


@pytest.mark.embedded
def test_search_finds_a_planted_subject_and_opens_its_file_and_network(demo, demo_app):
    case = demo["cases"]["red_black_conflict"]
    app = demo_app.run()
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input(case["red"]).run()
    assert not app.exception
    app.button(key="open-0").click().run()
    assert not app.exception
    assert app.title[0].value == "信用图谱" or app.title[0].value == "信用档案"
    shown = texts(app)
    assert "联合惩戒措施" in shown
    measures = [df for df in tables(app) if "measure" in df.columns]
    assert any("暂停守信联合激励" in set(frame["measure"]) for frame in measures)
    app.switch_page("views/network.py").run()
    assert not app.exception
    paths = [df for df in tables(app) if "explanation" in df.columns]
    assert paths and case["black"] in set(paths[0]["subject_id"])


@pytest.mark.embedded
def test_search_by_name_and_by_id_number_never_shows_the_number(demo, demo_app):
    case = demo["cases"]["civil_servant_for_profit"]
    app = demo_app.run()
    app.switch_page("views/search.py").run()
    app.text_input(key="search_text").input(case["person_id"]).run()
    assert not app.exception
    shown = texts(app)
    assert case["person_id"] not in shown and case["person_id"][:6] in shown
    app.text_input(key="search_text").input("杭州").run()
    assert len([b for b in app.button if b.key.startswith("open-")]) > 3


@pytest.mark.embedded
def test_the_english_switch_carries_across_pages(demo, demo_app):
    app = demo_app.run()
    app.radio(key="language_choice").set_value("en").run()
    assert app.title[0].value.startswith("CreditGraph")
    app.switch_page("views/sanctions.py").run()
    assert not app.exception and "Measures by department" in texts(app)


@pytest.mark.embedded
def test_the_overview_reports_what_a_regulator_reports(demo, demo_app):
    """Issue 19: subjects listed, measures in force (by measure), the 七天双公示 on-time rate
    and the linked-dishonesty count at the top, each equal to what the queries of their own
    say; the graph's label and relation counts only folded away, in words."""
    import datetime as dt

    from creditgraph.publication import statistics
    from creditgraph.queries.linked import linked_dishonesty_scan, listed_in_force

    app = demo_app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    day = dt.date.fromisoformat(AS_OF)
    with open_store(Settings(store_path=demo["store"])) as store:
        black = listed_in_force(store, "black", day)
        # each decision once: by its authority (a district row counts a joint decision in each)
        rows = statistics.statistics(store, "authority", statistics.period(None, day))
        linked = linked_dishonesty_scan(store, 2, day)
        by_measure = store.read(
            "MATCH (s:Sanction) WHERE s.kind = 'punishment' AND s.valid_from <= $day "
            "AND (s.valid_to IS NULL OR s.valid_to >= $day) "
            "RETURN s.measure AS measure, count(*) AS n", {"day": day})
    assert metrics["失信黑名单主体（有效）"] == f"{len(black):,}"
    on_time = sum(r["published_on_time"] for r in rows)
    due = on_time + sum(r["published_late"] + r["unpublished_late"] for r in rows)
    assert metrics["七天双公示及时率"] == (f"{on_time / due:.0%}" if due else "—")
    assert metrics["本年行政处罚"] == f"{sum(r['penalties'] for r in rows):,}"
    assert metrics["与失信主体关联的主体"] == f"{len(linked):,}" and len(linked) > 0
    shown = next(df.value for df in app.dataframe if "惩戒措施" in df.value.columns)
    assert dict(zip(shown["惩戒措施"], shown["措施数"], strict=True)) == {
        r["measure"]: r["n"] for r in by_measure}
    assert "Enterprise" not in texts(app)


@pytest.mark.embedded
def test_the_overview_shows_the_district_figures_of_creditgraph_stats(demo, demo_app):
    import datetime as dt

    from creditgraph.publication.statistics import period, statistics

    app = demo_app.run()
    assert not app.exception, app.exception
    day = dt.date.fromisoformat(AS_OF)
    assert f"各区县信用统计（2026-01-01 至 {AS_OF}）" in texts(app)
    shown = next(d.value for d in app.dataframe if "区县" in d.value.columns)
    with open_store(Settings(store_path=demo["store"]), read_only=True) as store:
        expected = statistics(store, "district", period(None, day))
    assert list(shown["区县"]) == [r["district"] for r in expected]
    assert list(shown["黑名单（有效）"]) == [r["black_in_force"] for r in expected]
    assert list(shown["惩戒措施（有效）"]) == [r["measures_in_force"] for r in expected]
    assert sum(shown["惩戒措施（有效）"]) > 0
    app.radio(key="language_choice").set_value("en").run()
    assert "Credit figures by district" in texts(app)
    assert any("Measures in force" in d.value.columns for d in app.dataframe)


@pytest.mark.embedded
def test_the_credit_file_issues_a_report_that_verifies(demo, demo_app, fresh_audit_log,
                                                       tmp_path):
    import json

    from creditgraph.publication.report import verify

    case = demo["cases"]["red_black_conflict"]
    app = demo_app
    app.session_state["subject"] = ("Enterprise", case["red"], demo["names"][case["red"]])
    app.run()
    app.switch_page("views/profile.py").run()
    app.selectbox(key="report_purpose").set_value("procurement").run()
    app.button(key="report.html").click().run()
    assert not app.exception, app.exception
    record = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()
              if '"report-issue"' in line][-1]
    number = record["details"]["number"]
    assert f"已出具报告 {number}" in texts(app)
    assert record["details"]["purpose"] == "procurement"
    assert record["details"]["subject"] == f"Enterprise:{case['red']}"
    data = app.session_state["credit_report"][3]
    (tmp_path / "r.html").write_bytes(data)
    assert verify(tmp_path / "r.html").issued and number in data.decode("utf-8")


@pytest.mark.embedded
def test_the_credit_file_shows_penalties_in_their_window_and_the_rest_marked(demo, demo_app):
    import datetime as dt

    with open_store(Settings(store_path=demo["store"]), read_only=True) as store:
        old = store.read("MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) "
                         "WHERE p.decision_date < $before RETURN e.uscc AS uscc, "
                         "e.name AS name, p.decision_no AS decision_no LIMIT 1",
                         {"before": dt.date(2020, 1, 1)})[0]
    app = demo_app
    app.session_state["subject"] = ("Enterprise", old["uscc"], old["name"])
    app.run()
    app.switch_page("views/profile.py").run()
    assert not app.exception, app.exception
    frames = [d for d in tables(app) if "decision_no" in d.columns
              and "violation_type" in d.columns]
    public, past = frames[0] if len(frames) > 1 else None, frames[-1]
    assert old["decision_no"] in set(past["decision_no"])
    assert public is None or old["decision_no"] not in set(public["decision_no"])
    assert any("公示期外或已信用修复的处罚" in e.label for e in app.expander)


@pytest.mark.embedded
def test_the_lists_page_shows_what_publish_lists_writes(demo, demo_app, fresh_audit_log):
    """The page's table and its download are the CLI's rows and bytes, per district."""
    import datetime as dt
    import json

    from creditgraph.publication.lists import published_list, render

    app = demo_app.run()
    app.switch_page("views/lists.py").run()
    district = "330106"
    app.selectbox(key="lists_district").set_value(district).run()
    assert not app.exception, app.exception
    with open_store(Settings(store_path=demo["store"]), read_only=True) as store:
        expected = published_list(store, "black", dt.date.fromisoformat(AS_OF),
                                  district=district)
    shown = app.dataframe[0].value
    assert expected.rows and list(shown["名单编号"]) == [r["entry_id"] for r in expected.rows]
    assert f"西湖区 · {len(expected.rows):,}" in texts(app)
    records = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()]
    assert records[-1]["action"] == "publish-lists-view"
    assert records[-1]["details"]["district"] == district
    app.radio(key="language_choice").set_value("en").run()
    assert not app.exception and "Published lists" in texts(app)
    assert render(expected, ".csv").decode("utf-8-sig").count("\n") == len(expected.rows) + 1


@pytest.mark.embedded
def test_the_dashboard_in_a_real_browser(demo, tmp_path):
    """Debian's chromium driven by Playwright (no browser download): search a planted subject,
    open its network, check the path to the black-listed party is on the page, screenshot; then
    the 案件 page lists a case an alert run opened, with its evidence."""
    import datetime as dt
    import shutil

    from playwright.sync_api import sync_playwright

    from creditgraph.alerts import cases as case_store
    from creditgraph.alerts.evaluate import evaluate
    from creditgraph.alerts.rules import load_alert_rules
    from creditgraph.dashboard.local_server import local_dashboard

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(chromium).exists(), "Debian's chromium is needed (apt-get install chromium)"
    case = demo["cases"]["red_black_conflict"]
    breach = demo["cases"]["commitment_breach"]
    with open_store(Settings(store_path=demo["store"])) as store:  # a case for the 案件 page
        rules = load_alert_rules()
        case_store.record_hits(store, rules, evaluate(
            store, rules, [], dt.date.fromisoformat(AS_OF), only=["commitment_breach"]),
            dt.date.fromisoformat(AS_OF))
    breach_case = case_store.case_id_of("commitment_breach", "Enterprise", breach["subject"])
    env = {"CREDITGRAPH_ID_KEY": ID_KEY, "CREDITGRAPH_BACKEND": "embedded",
           "CREDITGRAPH_DEMO": "1"}
    with local_dashboard(demo["store"], env) as url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(f"{url}/search?as_of={AS_OF}")
            box = page.get_by_label("名称、统一社会信用代码", exact=False)
            box.fill(case["red"])
            box.press("Enter")
            page.get_by_role("button", name="查看关系网络").first.click()
            page.get_by_text("到失信主体的路径").wait_for(timeout=30_000)
            page.wait_for_timeout(1500)  # let the graph lay out before the screenshot
            body = page.inner_text("body")
            shot = tmp_path / "network.png"
            page.screenshot(path=str(shot), full_page=True)
            page.goto(f"{url}/cases?case={breach_case}&as_of={AS_OF}")
            page.get_by_text(breach["penalty"]).first.wait_for(timeout=30_000)
            # the page renders top to bottom: the history comes after the evidence
            page.get_by_text("处理历史").first.wait_for(timeout=30_000)
            cases_body = page.inner_text("body")
            browser.close()
        names = demo["names"]
        assert names[case["red"]] in body  # the subject's header
        assert f"**{names[case['black']]}**" not in body and names[case["black"]] in body
        assert "的法定代表人" in body  # the path in words
        assert shot.stat().st_size > 20_000
        assert breach_case in cases_body and "处理历史" in cases_body  # the linked case


@pytest.mark.embedded
def test_the_export_page_builds_a_valid_bag(demo, demo_app, tmp_path, fresh_audit_log):
    from creditgraph.casefile.bag import verify_bag

    case = demo["cases"]["red_black_conflict"]
    demo_app.session_state["subject"] = ("Enterprise", case["red"], demo["names"][case["red"]])
    app = demo_app.run()
    app.switch_page("views/export.py").run()
    app.button(key="export_build").click().run()
    assert not app.exception and "证据包已生成" in app.success[0].value
    data = app.session_state["export_bag"][0]
    (tmp_path / "bag.zip").write_bytes(data)
    assert verify_bag(tmp_path / "bag.zip") == []


# -- sign-in and roles -----------------------------------------------------------------------------


def sign_in(app, name: str, password: str):  # type: ignore[no-untyped-def]
    app.text_input(key="login_name").input(name)
    app.text_input(key="login_password").input(password)
    return app.button[0].click().run()


@pytest.mark.embedded
def test_pages_need_a_login_and_roles_decide_what_is_shown(demo_app, users):
    import json

    from creditgraph.access import audit

    app = demo_app.run()
    assert not app.exception and app.text_input(key="login_name").value == ""
    assert "各区县主体数" not in texts(app)  # nothing of the graph before signing in
    sign_in(app, "viewer1", "wrong-password-000")
    assert "用户名或密码错误" in app.error[0].value
    sign_in(app, "viewer1", "viewer1-password-123")
    assert not app.exception and "各区县主体数" in texts(app)
    assert not reachable(app, "export") and reachable(app, "overview")
    records = [json.loads(line) for line in audit.log_path().read_text().splitlines()]
    assert [(r["action"], r["details"]["ok"]) for r in records] == [("login", False),
                                                                    ("login", True)]
    assert audit.verify()[1] == []


@pytest.mark.embedded
@pytest.mark.parametrize("name, page, shown", [
    ("viewer1", "civil_servants", False), ("inv1", "civil_servants", False),
    ("sup1", "civil_servants", True), ("viewer1", "export", False), ("inv1", "export", True),
    ("inv1", "users", False), ("admin1", "users", True), ("viewer1", "lists", True),
])
def test_each_role_reaches_its_pages(demo_app, users, name, page, shown):
    app = demo_app.run()
    sign_in(app, name, f"{name}-password-123")
    assert reachable(app, page) == shown


def reachable(app, page: str) -> bool:  # type: ignore[no-untyped-def]
    """The page renders for the signed-in user: it is in their navigation (AppTest refuses a
    page the router does not list) and does not answer 'not allowed'."""
    try:
        app.switch_page(f"views/{page}.py")
    except ValueError as exc:  # only this: the router does not list the page for this user
        if "Could not find a navigation page" not in str(exc):
            raise
        return False
    app.run()
    assert not app.exception, app.exception  # a page that crashes is a failure, not "hidden"
    return not [e for e in app.error if "无权" in e.value]


def test_users_cli_adds_lists_and_refuses_bad_input(run_cli, tmp_path):
    import json

    env = {"CREDITGRAPH_USERS": str(tmp_path / "u.json"),
           "CREDITGRAPH_AUDIT_LOG": str(tmp_path / "a.log")}
    assert run_cli("audit", "init", env=env).returncode == 0
    out = run_cli("users", "add", "张科长", "--role", "supervisor", "--password-stdin", env=env,
                  input_text="a-long-password-1\n")
    assert out.returncode == 0, out.stderr
    out = run_cli("users", "list", "-f", "json", env=env)
    assert json.loads(out.stdout) == [{"name": "张科长", "role": "supervisor", "webhook": None}]
    assert "argon2" in (tmp_path / "u.json").read_text()
    bad_hook = run_cli("users", "set-webhook", "张科长", "ftp://x/hook", env=env)
    assert bad_hook.returncode == 2 and "http:// or https://" in bad_hook.stderr
    hook = run_cli("users", "set-webhook", "张科长", "https://oa.example.cn/hook?t=secret",
                   env=env)
    assert hook.returncode == 0, hook.stderr
    listed = json.loads(run_cli("users", "list", "-f", "json", env=env).stdout)
    assert listed[0]["webhook"] == "oa.example.cn"
    assert run_cli("users", "set-webhook", "张科长", "--clear", env=env).returncode == 0
    assert "secret" not in (tmp_path / "a.log").read_text()
    assert "a-long-password-1" not in (tmp_path / "u.json").read_text()
    bad = run_cli("users", "add", "x1", "--role", "root", "--password-stdin", env=env,
                  input_text="a-long-password-1\n")
    assert bad.returncode == 2 and "role must be one of" in bad.stderr
    short = run_cli("users", "add", "x2", "--password-stdin", env=env, input_text="short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    assert run_cli("audit", "verify", env=env).returncode == 0
    # a change that cannot be audited is not made
    unaudited = {**env, "CREDITGRAPH_AUDIT_LOG": str(tmp_path / "never-initialised.log")}
    out = run_cli("users", "add", "李四", "--password-stdin", env=unaudited,
                  input_text="a-long-password-2\n")
    assert out.returncode == 2 and "audit init" in out.stderr
    assert run_cli("users", "remove", "张科长", env=unaudited).returncode == 2
    out = run_cli("users", "list", "-f", "json", env=env)
    assert json.loads(out.stdout) == [{"name": "张科长", "role": "supervisor", "webhook": None}]


@pytest.mark.embedded
def test_with_an_identity_provider_nothing_shows_before_sign_in(demo_app, users, monkeypatch):
    monkeypatch.setenv("CREDITGRAPH_AUTH", "oidc")
    app = demo_app.run()
    assert not app.exception
    assert [b.label for b in app.button] == ["登录"]
    assert "各区县主体数" not in texts(app) and not app.dataframe
    app.button[0].click().run()  # no [auth] in secrets here: a clear message, not a traceback
    assert not app.exception and "未配置" in app.error[0].value
