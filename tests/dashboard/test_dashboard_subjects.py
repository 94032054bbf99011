# ruff: noqa: F811
"""Every subject the registry holds on the dashboard: overseas entities with their country,
persons with any identity document, name-only shareholders — and the door's rules for every
document type. AppTest runs the real app on the seed data (the fixtures of test_dashboard)."""

from __future__ import annotations

import json
import re

import pytest

from creditgraph.access import audit
from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import document_key, identify
from creditgraph.graph.identifiers import mask_document_number
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import open_store

# The fixtures of test_dashboard (the seed loaded once per module, the app on it, a fresh
# cache per test), imported under their own names: that is how pytest finds them, and why the
# tests' parameters "redefine" them (F811). The users are conftest's.
from tests.dashboard.test_dashboard import (  # noqa: F401
    demo,
    demo_app,
    fresh_cache,
    sign_in,
    texts,
)
from tests.shared import SECRET, tables

pytestmark = pytest.mark.embedded


def shown(app) -> str:  # type: ignore[no-untyped-def]
    """The page's Markdown as a reader sees it (escapes undone) and every table cell."""
    cells = [str(v) for df in app.dataframe for v in df.value.astype(str).to_numpy().ravel()]
    return re.sub(r"\\(.)", r"\1", texts(app)) + "\n" + "\n".join(cells)


def protos(app) -> list:  # type: ignore[no-untyped-def]
    out: list = []

    def visit(node) -> None:  # type: ignore[no-untyped-def]
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(proto)
        for child in (getattr(node, "children", None) or {}).values():
            visit(child)

    visit(app._tree)
    return out


def everything(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(p) for p in protos(app)) + "\n" + shown(app)


def graph_component(app) -> dict:  # type: ignore[no-untyped-def]
    """What the network page handed to the graph component (elements, style...)."""
    found = [json.loads(p.json_args) for p in protos(app)
             if getattr(p, "json_args", "") and '"elements"' in p.json_args]
    assert len(found) == 1
    return found[0]


def graph_elements(app) -> dict:  # type: ignore[no-untyped-def]
    return graph_component(app)["elements"]


def search(app, text: str, doc_type: str | None = None):  # type: ignore[no-untyped-def]
    app.switch_page("views/search.py").run()
    app.selectbox(key="search_doc_type").set_value(doc_type)
    return app.text_input(key="search_text").input(text).run()


def result_rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.value for m in app.markdown if m.value.startswith("**")]


def test_an_investigator_finds_the_foreign_representative_by_passport(demo, demo_app, users):
    case = demo["cases"]["foreign_rep_black_listed"]
    number, name = case["person_id"], case["person_name"]
    app = sign_in(demo_app.run(), "inv1", "inv1-password-123")
    search(app, number, "passport")
    assert not app.exception
    assert result_rows(app) == [f"**{name}** · 自然人 · 护照 · "
                                f"{mask_document_number(number).replace('*', chr(92) + '*')}"]
    assert number not in everything(app)
    app.button(key="open-0").click().run()
    assert not app.exception and app.header[0].value == name
    page = shown(app)
    assert "**证件类型**：护照" in page and f"**国籍**：{chinese_name('KR')} (KR)" in page
    assert mask_document_number(number) in page and number not in everything(app)
    key = document_key(identify(number, "passport"), SECRET)
    assert app.query_params["subject"] == key  # the link carries the key, not the passport
    # the number alone reads as a Macao permit: another person, nobody in the graph, and the
    # page says to choose the document type
    search(app, number)
    assert not app.exception and "没有找到匹配的主体" in texts(app)
    assert "港澳居民来往内地通行证" in texts(app) and "请选择证件类型" in texts(app)
    records = [json.loads(line) for line in audit.log_path().read_text().splitlines()]
    searches = [r["details"] for r in records if r["action"] == "search"]
    assert [(s["doc_type"], s["results"]) for s in searches] == [("passport", 1),
                                                                  ("hk_macao_permit", 0)]
    assert number not in audit.log_path().read_text()


def test_a_viewer_learns_only_found_or_not_for_a_passport(demo, demo_app, users):
    case = demo["cases"]["foreign_rep_black_listed"]
    number, name = case["person_id"], case["person_name"]
    app = sign_in(demo_app.run(), "viewer1", "viewer1-password-123")
    search(app, number, "passport")
    assert not app.exception
    assert "已找到：图谱中有持此护照号码的人员" in texts(app)
    assert name not in everything(app) and number not in everything(app)
    assert "还可按证件号查询 49 次" in texts(app)  # a passport costs a lookup like an ID
    other = number[:-1] + ("0" if number[-1] != "0" else "1")
    search(app, other, "passport")
    assert not app.exception and "没有找到匹配的主体" in texts(app) and not result_rows(app)
    assert "还可按证件号查询 48 次" in texts(app)
    for link in (number, f"护照:{number}"):  # a passport number in a link is refused too
        app.query_params["subject"] = link
        app.session_state["subject"] = None
        app.switch_page("views/profile.py").run()
        assert not app.exception and "不能含身份证号" in texts(app)
        assert name not in everything(app)


def test_an_overseas_entity_is_found_by_name_and_id_and_its_file_shows_its_country(
        demo, demo_app):
    case = demo["cases"]["offshore_beneficial_owner"]
    entity = case["overseas_entity"]
    app = demo_app.run()
    for text in ("Lucent Harbour", "朗港", entity):
        search(app, text)
        assert not app.exception
        rows = [r for r in result_rows(app) if entity in r]
        assert len(rows) == 1 and "英属维尔京群岛" in rows[0] and "境外主体" in rows[0]
        assert "\\*" not in rows[0]  # never a masked number for an overseas entity
    app.button(key="open-0").click().run()
    assert not app.exception
    assert app.header[0].value == "Lucent Harbour Holdings Ltd\\.（英属维尔京群岛）"
    page = shown(app)
    assert "**国别 / 地区**：英属维尔京群岛 (VG)" in page and "朗港控股有限公司" in page
    relations = next(df for df in tables(app) if "explanation" in df.columns)
    assert case["target"] in set(relations["other_id"])
    assert len(relations) == 3  # the firm it holds and its two holders
    assert app.query_params["subject"] == entity
    # the target firm's owners: the overseas entity with its country, the person through it
    search(app, case["target"])
    app.button(key="open-0").click().run()
    owners = next(df for df in tables(app) if "beneficial_owner" in df.columns)
    overseas = owners[owners["label"] == "境外主体"]
    assert overseas[["owner_id", "country", "country_name"]].values.tolist() == [
        [entity, "VG", "英属维尔京群岛"]]
    passport = owners[owners["id_type_name"] == "护照"]
    assert passport["id_masked"].tolist() == [mask_document_number(case["co_holder_id"])]
    assert case["co_holder_id"] not in everything(app)


def test_a_link_to_an_overseas_entity_opens_its_file(demo, demo_app):
    entity = demo["cases"]["offshore_beneficial_owner"]["overseas_entity"]
    demo_app.query_params["subject"] = entity
    app = demo_app.run()
    app.switch_page("views/profile.py").run()
    assert not app.exception and "英属维尔京群岛" in app.header[0].value
    assert "境外主体" in texts(app)


def test_the_network_around_the_offshore_holding_draws_and_expands_the_overseas_node(
        demo, demo_app):
    case = demo["cases"]["offshore_beneficial_owner"]
    entity = f"OverseasEntity:{case['overseas_entity']}"
    target = case["target"]
    demo_app.session_state["subject"] = ("Enterprise", target, demo["names"][target])
    app = demo_app.run()
    app.switch_page("views/network.py").run()
    app.slider(key="network_hops").set_value(1).run()
    assert not app.exception
    nodes = {n["data"]["id"]: n["data"] for n in graph_elements(app)["nodes"]}
    assert nodes[entity]["label"] == "OverseasEntity_other"
    assert nodes[entity]["name"] == "Lucent Harbour Holdings Ltd.（英属维尔京群岛）"
    holder = f"Person:{document_key(identify(case['co_holder_id'], 'passport'), SECRET)}"
    assert holder not in nodes  # two hops away
    styles = {s["selector"]: s["style"] for s in graph_component(app)["style"]}
    overseas = styles["node[label='OverseasEntity_other']"]
    assert overseas["background-image"].endswith("language.svg")  # its own icon
    assert overseas["label"] == "data(name)"
    assert styles["node[label='Enterprise_other']"]["background-image"].endswith("business.svg")
    assert "蓝色地球图标：境外主体" in texts(app)
    app.session_state["expanded"] = [entity]  # what the expand action records
    app.run()
    assert not app.exception
    nodes = {n["data"]["id"]: n["data"] for n in graph_elements(app)["nodes"]}
    assert holder in nodes and nodes[holder]["name"] == "Lee Mei Ling"
    edges = {(e["data"]["source"], e["data"]["target"]) for e in graph_elements(app)["edges"]}
    assert (holder, entity) in edges and (entity, f"Enterprise:{target}") in edges


def test_a_name_only_shareholder_file_says_unresolved_and_links_by_key(demo, demo_app):
    case = demo["cases"]["name_only_shareholders"]
    firm = case["subject"]
    with open_store(Settings(store_path=demo["store"])) as store:
        found = {r["name"]: r for r in store.read(
            "MATCH (p:Person) WHERE p.scope = $firm RETURN p.pid AS key, p.name AS name, "
            "p.resolved_to AS resolved_to", {"firm": firm})}
    unresolved, resolved = found[case["unresolved_name"]], found[case["resolved_name"]]
    demo_app.query_params["subject"] = unresolved["key"]
    app = demo_app.run()
    app.switch_page("views/profile.py").run()
    assert not app.exception and app.header[0].value == case["unresolved_name"]
    assert "**识别状态**：未识别：仅有姓名" in shown(app)
    links = [p for p in protos(app) if getattr(p, "query_string", "")]
    assert [(p.query_string, demo["names"][firm] in p.label) for p in links] == [
        (f"subject={firm}", True)]
    app.query_params["subject"] = resolved["key"]
    app.run()
    assert not app.exception and app.header[0].value == case["resolved_name"]
    assert "已由后续载明证件号码的记录识别" in shown(app)
    links = {p.query_string for p in protos(app) if getattr(p, "query_string", "")}
    assert links == {f"subject={firm}", f"subject={resolved['resolved_to']}"}
    assert case["resolved_id"] not in everything(app)  # the link is the key, never the number


def test_linked_and_sanctions_pages_name_every_kind_of_subject(demo, demo_app):
    case = demo["cases"]["foreign_rep_black_listed"]
    app = demo_app.run()
    app.switch_page("views/linked.py").run()
    assert not app.exception
    scan = tables(app)[0]
    assert {"kind", "district", "country"} <= set(scan.columns)
    firm = scan[scan["subject_id"] == case["subject"]]
    assert firm[["kind", "country"]].values.tolist() == [["企业", ""]]
    persons = scan[scan["kind"] == "自然人"]
    assert not persons.empty and set(persons["district"]) == {"—"}
    app.switch_page("views/sanctions.py").run()
    assert not app.exception and "country" in tables(app)[0].columns


def test_the_network_names_its_relations_rings_the_subject_and_speaks_english(demo, demo_app):
    """Issue 19: captions on the relations in the page's language (a shareholder's share
    after it), the subject asked about ringed, the relation filter in words, the view as SVG;
    expansions left from another subject dropped."""
    from creditgraph.casefile.network import draw_svg
    from creditgraph.graph.predicates import CONTROL_RELATIONS

    red = demo["cases"]["red_black_conflict"]["red"]
    focal = f"Enterprise:{red}"
    demo_app.session_state["subject"] = ("Enterprise", red, demo["names"][red])
    app = demo_app.run()
    app.switch_page("views/network.py").run()
    assert not app.exception
    component = graph_component(app)
    nodes = {n["data"]["id"]: n["data"] for n in component["elements"]["nodes"]}
    assert [n for n, data in nodes.items() if data["focal"] == "yes"] == [focal]
    styles = {s["selector"]: s["style"] for s in component["style"]}
    assert styles["node[focal = 'yes']"]["border-width"] == 5
    assert all(styles[f"edge[label='{rel}']"]["label"] == "data(name)"
               for rel in CONTROL_RELATIONS)
    edges = [e["data"] for e in component["elements"]["edges"]]
    assert {e["name"] for e in edges if e["label"] == "LEGAL_REP_OF"} == {"法定代表人"}
    shares = [e["name"] for e in edges if e["label"] == "SHAREHOLDER_OF"]
    assert all(re.fullmatch(r"股东( \d+\.\d%)?", s) for s in shares)  # (draw_svg: below)
    options = app.multiselect(key="network_relations").options
    assert "法定代表人" in options and "LEGAL_REP_OF" not in options
    assert any(getattr(p, "label", "") == "下载此图（SVG）" for p in protos(app))
    assert ":red[●] 失信黑名单" in texts(app)

    app.session_state["lang"] = "en"
    app.run()
    edges = [e["data"] for e in graph_component(app)["elements"]["edges"]]
    assert {e["name"] for e in edges if e["label"] == "LEGAL_REP_OF"} == {"legal representative"}
    assert "legal representative" in app.multiselect(key="network_relations").options
    drawn = draw_svg([{"id": focal, "label": "Enterprise", "name": "甲", "case_subject": True,
                       "black_listed": False, "red_listed": True, "sanctioned": False},
                      {"id": "Person:p", "label": "Person", "name": "乙", "case_subject": False,
                       "black_listed": True, "red_listed": False, "sanctioned": False}],
                     [{"source": "Person:p", "target": focal, "type": "SHAREHOLDER_OF",
                       "ratio": 0.3}])
    assert "股东 30.0%" in drawn and 'stroke="#1565c0"' in drawn and "SHAREHOLDER_OF" not in drawn

    app.session_state["expanded"] = [next(n for n in nodes if n != focal)]
    other = demo["cases"]["repaired_versus_active"]["subject"]
    app.session_state["subject"] = ("Enterprise", other, demo["names"][other])
    app.query_params["subject"] = other  # as choosing it on the search page leaves them
    app.run()
    assert not app.exception and app.session_state["expanded"] == []
