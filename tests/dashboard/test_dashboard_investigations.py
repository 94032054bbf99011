# ruff: noqa: F811
"""Issue 19: every investigation the CLI runs is on the dashboard — equity penetration drawn as
a chart, paths between two subjects, clusters and phoenix firms, risk ranking, commitment
breaches, red/black conflicts — each checked against the seed's planted case, in both
languages. AppTest runs the real app on the seed data (the fixtures of test_dashboard)."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.test_dashboard import (  # noqa: F401
    demo,
    demo_app,
    fresh_cache,
    sign_in,
    texts,
)

pytestmark = pytest.mark.embedded


def on_page(app, page: str, lang: str = "zh", subject: tuple | None = None):  # type: ignore[no-untyped-def]
    app.session_state["lang"] = lang
    if subject is not None:
        app.session_state["subject"] = subject
    app = app.run()
    app.switch_page(f"views/{page}.py").run()
    assert not app.exception, app.exception
    return app


def another(app):  # type: ignore[no-untyped-def]
    """A second browser session on the same app (its own sign-in)."""
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.test_dashboard import APP

    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.session_state["as_of"] = app.session_state["as_of"]
    return fresh


def table_with(app, header: str):  # type: ignore[no-untyped-def]
    return next(df.value for df in app.dataframe if header in df.value.columns)


def svg_on(app) -> str:  # type: ignore[no-untyped-def]
    """The SVG the page drew with st.image (a data URL in the element's proto)."""
    import base64

    found = []
    for element in app.get("image"):
        for image in element.proto.imgs:
            if image.url.startswith("data:image/svg+xml;base64,"):
                found.append(base64.b64decode(image.url.split(",", 1)[1]).decode())
    assert found, "no SVG drawn on the page"
    return found[0]


def test_ownership_draws_the_planted_chain_with_cumulative_shares(demo, demo_app,
                                                                   fresh_audit_log):
    case = demo["cases"]["hidden_control"]
    target = case["target"]
    app = on_page(demo_app, "ownership", subject=("Enterprise", target, demo["names"][target]))
    chart = svg_on(app)
    assert "合计 33.6%" in chart  # 60% × 70% × 80%, the person's cumulative share
    for firm in case["chain"][:-1]:  # each firm of the chain is a box of its own
        assert demo["names"][firm][:6] in chart
    assert ">60%<" in chart and ">70%<" in chart and ">80%<" in chart  # the direct shares
    assert 'stroke="#c62828"' in chart  # the beneficial owner framed in red
    owners = table_with(app, "受益所有人")
    assert case["person_name"] in set(owners["名称"])
    beneficial = table_with(app, "穿透持股比例")
    assert beneficial["穿透持股比例"].max() == pytest.approx(case["cumulative_share"])
    # at a threshold above 33.6% the person is no beneficial owner, and the chart says so
    app.slider(key="ownership_threshold").set_value(40).run()
    assert not app.exception
    assert 'stroke="#c62828"' not in svg_on(app)
    english = on_page(demo_app, "ownership", "en")
    chart = svg_on(english)
    assert "total 33.6%" in chart and "red frame: beneficial owner" in chart
    assert "subject asked about" in chart
    assert not re.search(r"[\u3400-\u9fff]", re.sub(r"<title>.*?</title>|font-weight=\"bold\">"
                                                     r"[^<]*", "", chart)), "words in English"


def test_ownership_of_a_person_is_explained_not_an_error(demo, demo_app, fresh_audit_log):
    from creditgraph.graph.documents import document_key, identify
    from tests.shared import SECRET

    person = demo["cases"]["hidden_control"]["person_id"]
    key = document_key(identify(person), SECRET)
    app = on_page(demo_app, "ownership", subject=("Person", key, "x"))
    assert "股权穿透适用于企业和境外主体" in texts(app)
    assert not app.get("image")


def test_paths_between_two_subjects_are_listed_drawn_and_audited(demo, demo_app,
                                                                  fresh_audit_log):
    import json

    case = demo["cases"]["red_black_conflict"]
    red, black = case["red"], case["black"]
    app = on_page(demo_app, "paths_page", subject=("Enterprise", red, demo["names"][red]))
    assert "请先在“主体查询”中选择" not in texts(app)
    app.text_input(key="path_to_text").input(black).run()
    assert not app.exception
    assert "共 **1** 条最短路径，每条 **2** 个关系" in texts(app)
    frame = table_with(app, "关联路径")
    assert list(frame["关系数"]) == [2]
    assert list(frame["路径上的关系"].iloc[0]) == ["法定代表人", "法定代表人"]  # in words
    chart = svg_on(app)
    assert demo["names"][black] in chart and "法定代表人" in chart
    assert chart.count('fill="none" stroke="#1565c0"') == 2  # both ends ringed
    assert [b.label for b in app.get("download_button")][:2] == ["下载此图（SVG）",
                                                                  "下载此图（PNG）"]
    records = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()]
    assert any(r["action"] == "paths" and r["details"]["target"] == f"Enterprise:{black}"
               for r in records)
    # one path in English; too short a length finds none, and says so
    english = on_page(another(demo_app), "paths_page", "en", ("Enterprise", red, "x"))
    english.text_input(key="path_to_text").input(black).run()
    assert "1** shortest path(s) of **2** relation(s)" in texts(english)
    english.slider(key="path_length").set_value(1).run()
    assert "No path within 1 relations." in texts(english)


def test_paths_by_document_number_are_for_investigators_only(demo, demo_app, users):
    import json

    from creditgraph.graph.identifiers import mask_resident_id

    case = demo["cases"]["red_black_conflict"]
    red = case["red"]
    app = sign_in(demo_app.run(), "viewer1", "viewer1-password-123")
    app.session_state["subject"] = ("Enterprise", red, demo["names"][red])
    app.switch_page("views/paths_page.py").run()
    app.text_input(key="path_to_text").input(case["via_id"]).run()
    assert not app.exception
    assert "仅限调查员" in texts(app)
    assert not app.dataframe and case["via_id"] not in texts(app)
    investigator = sign_in(another(demo_app).run(), "inv1", "inv1-password-123")
    investigator.session_state["subject"] = ("Enterprise", red, demo["names"][red])
    investigator.switch_page("views/paths_page.py").run()
    investigator.text_input(key="path_to_text").input(case["via_id"]).run()
    assert not investigator.exception
    assert "共 **1** 条最短路径，每条 **1** 个关系" in texts(investigator)
    assert case["via_id"] not in texts(investigator)  # the number is never shown
    from creditgraph.access import audit

    log = audit.log_path().read_text(encoding="utf-8")
    records = [json.loads(line) for line in log.splitlines()]
    refused = [r for r in records if r["action"] == "paths-id-refused"]
    assert [r["user"] for r in refused] == ["viewer1"]
    assert refused[0]["details"]["query"] == mask_resident_id(case["via_id"])
    asked = [r for r in records if r["action"] == "paths"]
    assert [(r["user"], r["details"]["by_document"]) for r in asked] == [("inv1", "resident_id")]
    assert case["via_id"] not in log  # never the clear number


def test_clusters_show_the_planted_group_and_phoenix_firms(demo, demo_app):
    cluster = demo["cases"]["shared_address_cluster"]
    phoenix = demo["cases"]["phoenix_firms"]
    app = on_page(demo_app, "clusters")
    groups = table_with(app, "共用内容")
    by_address = groups[groups["值"] == cluster["address"]]
    assert list(by_address["共用内容"]) == ["共用地址"]
    assert sorted(by_address["企业（统一社会信用代码）"].iloc[0]) == sorted(cluster["subjects"])
    firms = table_with(app, "新设企业代码")
    assert set(phoenix["phoenix_firms"]) <= set(firms["新设企业代码"])
    mine = firms[firms["新设企业代码"].isin(phoenix["phoenix_firms"])]
    assert set(mine["其证件号码（脱敏）"]) == {phoenix["person"]}  # the masked number, and
    assert "person_id" not in firms.columns  # not the person's key
    assert set(mine["列入名单者"]) <= {"自然人", "企业"}  # in words, not person / firm
    english = on_page(demo_app, "clusters", "en")
    assert "shared address" in set(table_with(english, "What is shared")["What is shared"])


def test_risk_ranking_puts_a_planted_neighbour_near_the_top(demo, demo_app):
    from creditgraph.graph.documents import document_key, identify
    from tests.shared import SECRET

    case = demo["cases"]["red_black_conflict"]  # red firm — its representative — black firm
    via = document_key(identify(case["via_id"]), SECRET)
    app = on_page(demo_app, "risk")
    frame = table_with(app, "风险得分")
    assert len(frame) == 20
    assert via in list(frame["主体标识"])[:5]  # one hop from the black-listed firm
    assert case["red"] in set(frame["主体标识"])  # two hops
    assert list(frame["风险得分"]) == sorted(frame["风险得分"], reverse=True)
    assert frame["最近的失信主体"].notna().all()
    assert all(reason.startswith("3 跳内有 ") for reason in frame["原因"])  # in Chinese
    app.slider(key="risk_top").set_value(5).run()
    assert len(table_with(app, "风险得分")) == 5 and via in set(table_with(app, "风险得分")["主体标识"])
    english = on_page(another(demo_app), "risk", "en")
    assert "it is no finding" in texts(english)
    reasons = english.dataframe[0].value["Reason"]
    assert all(" black-listed part(ies) within 3 hops; nearest: " in r for r in reasons)


def test_commitment_breaches_list_the_planted_breach(demo, demo_app):
    case = demo["cases"]["commitment_breach"]
    app = on_page(demo_app, "breaches")
    frame = table_with(app, "承诺编号")
    row = frame[frame["承诺编号"] == case["commitment"]]
    assert list(row["主体标识"]) == [case["subject"]]
    assert list(row["决定书文号"]) == [case["penalty"]] and list(row["承诺事项"]) == [case["matter"]]
    assert "Commitment no." in on_page(demo_app, "breaches", "en").dataframe[0].value.columns


def test_red_black_conflicts_show_the_planted_conflict_by_hops(demo, demo_app):
    case = demo["cases"]["red_black_conflict"]
    app = on_page(demo_app, "red_black")
    frame = table_with(app, "红名单条目")
    row = frame[frame["主体标识"] == case["red"]]
    assert list(row["跳数"]) == [case["hops"]]
    assert case["black_entry"] in row["黑名单条目"].iloc[0]
    app.slider(key="conflict_hops").set_value(1).run()  # the black firm is 2 hops away
    assert not app.exception
    assert all(case["red"] not in set(df.value.get("主体标识", [])) for df in app.dataframe)
    english = on_page(another(demo_app), "red_black", "en")  # at the default 2 hops
    assert "Red entries" in english.dataframe[0].value.columns


def test_measures_and_coded_values_are_named_in_the_pages_language(demo, demo_app,
                                                                    fresh_audit_log):
    """A measure by its English name (the rule file's ``english``) on the English pages, in
    Chinese on the Chinese ones; a measure's kind in words, never ``punishment``."""
    red = demo["cases"]["red_black_conflict"]["red"]
    english = on_page(demo_app, "sanctions", "en")
    assert english.selectbox(key="measure-en").value == "Barred from government procurement"
    restricted = table_with(english, "Measure")
    assert set(restricted["Measure"]) == {"Barred from government procurement"}
    chinese = on_page(another(demo_app), "profile", "zh", ("Enterprise", red, demo["names"][red]))
    measures = table_with(chinese, "惩戒措施")
    assert "暂停守信联合激励" in set(measures["惩戒措施"])
    assert set(measures["类别"]) <= {"惩戒", "暂停激励", "激励"}
    english = on_page(another(demo_app), "profile", "en", ("Enterprise", red, "x"))
    measures = table_with(english, "Measure")
    assert "Incentives withheld" in set(measures["Measure"])
    assert set(measures["Kind"]) <= {"punishment", "withheld", "incentive"}
    assert not {m for m in measures["Measure"] if re.search(r"[\u3400-\u9fff]", m)}
