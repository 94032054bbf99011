"""Investigation queries on both backends: hand-checked answers on the sample, and the seed
data's planted cases."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.identifiers import person_key
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.loaders.pipeline import load_directory
from creditgraph.loaders.spec import load_spec
from creditgraph.loaders.writers import StoreWriter
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries import (
    audits,
    civil_servants,
    clusters,
    linked,
    network,
    ownership,
    paths,
    profile,
    risk,
    screening,
)
from creditgraph.queries.subjects import Subject, UnknownSubject, resolve, resolve_many
from tests.shared import SAMPLE, SECRET, planted_cases

E1, E2, E3 = "91330106143912349L", "91330108577822332C", "91330105350045671D"
E4, E5 = "91330102MA2CX1Y00N", "91330110MA27Q8K323"
WANG = "330105198207053514"
ZHANG = "330106197003121230"


@pytest.fixture
def sample(store, tmp_path):
    load_directory(SAMPLE, StoreWriter(store), store.schema, load_spec(), SECRET, tmp_path / "r")
    return store


def subject(store, code: str) -> Subject:
    return resolve(store, code, SECRET)


def test_subjects_resolve_from_any_code(sample):
    assert subject(sample, E1).name == "杭州西湖龙井茶业有限公司"
    assert subject(sample, "330106000123458").key == E1  # legacy registration number
    assert subject(sample, "14391234-9").key == E1  # legacy organisation code
    assert subject(sample, WANG) == Subject("Person", person_key(WANG, SECRET), "王强")
    with pytest.raises(UnknownSubject, match="no subject"):
        subject(sample, "91110000600037341L")
    with pytest.raises(UnknownSubject, match="not a valid resident ID"):
        subject(sample, WANG[:-1] + "0")


def test_linked_dishonesty_finds_the_black_listed_party_with_its_path(sample):
    frame = linked.linked_dishonesty(sample, subject(sample, E4), 2, dt.date(2020, 1, 1))
    assert frame.to_dict("records") == [{
        "subject_id": E3, "label": "Enterprise", "name": "杭州拱墅恒达建材有限公司", "hops": 2,
        "entries": ["HZ-B-2016-0001"], "list_types": ["失信被执行人"],
        "path": [E4, person_key(WANG, SECRET), E3],
        "path_labels": ["Enterprise", "Person", "Enterprise"],
        "path_names": ["杭州上城新恒达贸易有限公司", "王强", "杭州拱墅恒达建材有限公司"],
        "path_types": ["LEGAL_REP_OF", "LEGAL_REP_OF"],
        "explanation": "王强是杭州上城新恒达贸易有限公司的法定代表人；王强是杭州拱墅恒达建材有限公司的法定代表人",
    }]
    # one hop is not enough; before the listing nothing counts
    assert linked.linked_dishonesty(sample, subject(sample, E4), 1, dt.date(2020, 1, 1)).empty
    assert linked.linked_dishonesty(sample, subject(sample, E4), 2, dt.date(2016, 5, 31)).empty
    # a relation type left out of the search is not followed
    assert linked.linked_dishonesty(sample, subject(sample, E4), 2, dt.date(2020, 1, 1),
                                    ("SHAREHOLDER_OF",)).empty


def test_a_repaired_entry_stops_counting_from_its_repair_date(sample):
    zhang = subject(sample, ZHANG)
    before = linked.linked_dishonesty(sample, zhang, 1, dt.date(2016, 6, 1))
    assert before[["subject_id", "entries"]].to_dict("records") == [
        {"subject_id": E1, "entries": ["HZ-B-2016-0002"]}]
    assert linked.linked_dishonesty(sample, zhang, 1, dt.date(2017, 3, 2)).empty


def test_the_scan_ranks_closest_first(sample):
    frame = linked.linked_dishonesty_scan(sample, 2, dt.date(2020, 1, 1))
    assert list(zip(frame["name"], frame["hops"], strict=True)) == [
        ("王强", 1), ("杭州上城新恒达贸易有限公司", 2), ("杭州余杭绿源农业开发有限公司", 2)]
    assert frame["path"][2] == [E5, person_key(WANG, SECRET), E3]
    assert frame["explanation"][2].startswith("王强持有杭州余杭绿源农业开发有限公司 30.0%股份")
    assert all(e == ["HZ-B-2016-0001"] for e in frame["entries"])


def test_ownership_multiplies_along_chains_and_names_beneficial_owners(sample):
    frame = ownership.ownership(sample, subject(sample, E2), dt.date(2020, 1, 1))
    rows = {r["name"]: r for r in frame.to_dict("records")}
    assert rows["杭州西湖龙井茶业有限公司"]["share"] == 0.6
    assert rows["张伟"]["share"] == 0.6 and rows["张伟"]["levels"] == 2
    assert rows["张伟"]["example_chain"] == "张伟 → 杭州西湖龙井茶业有限公司 → 杭州滨江云图科技有限公司"
    assert rows["陈刚"]["controls"] and rows["陈刚"]["beneficial_owner"]
    assert {n for n, r in rows.items() if r["beneficial_owner"]} == {"张伟", "陈刚"}
    with pytest.raises(Exception, match="asked of an enterprise"):
        ownership.ownership(sample, subject(sample, WANG))


def test_ownership_counts_a_cycle_once(store):
    store.merge_nodes("Enterprise", [{"uscc": k, "name": k} for k in ("A", "B", "T")])
    store.merge_nodes("Person", [{"pid": "p", "name": "P"}])
    share = [{"src_key": "p", "dst_key": "A", "ratio": 0.5}]
    store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", share)
    store.merge_relationships("SHAREHOLDER_OF", "Enterprise", "Enterprise", [
        {"src_key": "A", "dst_key": "T", "ratio": 0.6},
        {"src_key": "B", "dst_key": "T", "ratio": 0.4},
        {"src_key": "A", "dst_key": "B", "ratio": 0.5},
        {"src_key": "B", "dst_key": "A", "ratio": 0.2},  # A and B hold each other
    ])
    rows = {r["owner_id"]: r for r in ownership.ownership(
        store, Subject("Enterprise", "T", "T"), dt.date(2020, 1, 1)).to_dict("records")}
    # A: direct 0.6 + via B 0.5*0.4 = 0.8; B: direct 0.4 + via A 0.2*0.6 = 0.52
    assert rows["A"]["share"] == pytest.approx(0.8)
    assert rows["B"]["share"] == pytest.approx(0.52)
    # P: through A 0.5*0.8 = 0.4, and through A→B→T only once (no loop back through A)
    assert rows["p"]["share"] == pytest.approx(0.5 * 0.6 + 0.5 * 0.5 * 0.4)
    assert rows["p"]["beneficial_owner"]


def test_ownership_control_is_a_fact_and_an_unrecorded_share_is_unknown(store):
    """Control only from ACTUAL_CONTROLLER_OF into the subject itself, never from a missing
    share; a holding with no share is listed, counted as unknown, adds nothing and meets no
    threshold — nor does any chain above it; a controller of a company further up gets no row
    (it had a phantom row of share 0)."""
    store.merge_nodes("Enterprise", [{"uscc": k, "name": k} for k in ("T", "A", "B")])
    store.merge_nodes("Person", [{"pid": k, "name": k} for k in ("p1", "p2", "p3", "p4", "c", "q")])
    store.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
        {"src_key": "p1", "dst_key": "T", "ratio": 0.6},
        {"src_key": "p2", "dst_key": "T"},                # share not recorded
        {"src_key": "p3", "dst_key": "A", "ratio": 1.0},  # above an unknown holding
        {"src_key": "p4", "dst_key": "B", "ratio": 0.6},
    ])
    store.merge_relationships("SHAREHOLDER_OF", "Enterprise", "Enterprise", [
        {"src_key": "A", "dst_key": "T"}, {"src_key": "B", "dst_key": "T", "ratio": 0.5}])
    store.merge_relationships("ACTUAL_CONTROLLER_OF", "Person", "Enterprise", [
        {"src_key": "c", "dst_key": "T"}, {"src_key": "q", "dst_key": "B"}])
    frame = ownership.ownership(store, Subject("Enterprise", "T", "T"), dt.date(2020, 1, 1))
    rows = {r["owner_id"]: r for r in frame.to_dict("records")}
    assert set(rows) == {"p1", "p2", "p3", "p4", "c", "A", "B"}  # no row for q
    got = {k: (r["share"], r["chains"], r["unknown_chains"], r["controls"],
               r["beneficial_owner"]) for k, r in rows.items()}
    assert got == {
        "p1": (0.6, 1, 0, False, True),
        "p2": (0.0, 1, 1, False, False),   # listed, of unknown size: not in control
        "p3": (0.0, 1, 1, False, False),   # 100% of A, A's share unknown: unknown
        "p4": (0.3, 1, 0, False, True),
        "c": (0.0, 0, 0, True, True),      # the recorded controller
        "A": (0.0, 1, 1, False, False),
        "B": (0.5, 1, 0, False, False),    # an enterprise is never a beneficial owner
    }
    assert rows["p3"]["levels"] == 2 and rows["p3"]["example_chain"] == "p3 → A → T"


def test_publication_audit_uses_the_holiday_calendar(sample):
    frame = audits.publication_audit(sample, dt.date(2016, 1, 1), dt.date(2016, 12, 31),
                                     dt.date(2020, 1, 1))
    assert frame[["decision_no", "working_days", "late_by"]].to_dict("records") == [
        {"decision_no": "杭市监罚〔2016〕101号", "working_days": 13, "late_by": 6}]
    assert frame["deadline"][0] == dt.date(2016, 3, 10)
    summary = audits.publication_summary(frame)
    assert summary.to_dict("records") == [{"authority": "杭州市市场监督管理局", "late": 1,
                                           "unpublished": 0, "max_working_days": 13}]


def test_commitment_breaches_and_red_black_conflicts(sample):
    breaches = audits.commitment_breaches(sample, dt.date(2020, 1, 1))
    assert breaches[["subject_id", "commitment_id", "decision_no"]].to_dict("records") == [
        {"subject_id": E2, "commitment_id": "CM-2016-0001", "decision_no": "杭市监罚〔2016〕131号"}]
    assert audits.commitment_breaches(sample, dt.date(2016, 4, 30)).empty
    conflicts = audits.red_black_conflicts(sample, 2, dt.date(2020, 1, 1))
    assert conflicts[["subject_id", "hops", "red_entries", "black_entries"]].to_dict(
        "records") == [{"subject_id": E5, "hops": 2, "red_entries": ["HZ-R-2017-0001"],
                        "black_entries": ["HZ-B-2016-0001"]}]


def test_profile_is_the_credit_file_on_a_date(sample):
    early = profile.profile(sample, subject(sample, E1), dt.date(2016, 6, 1))
    identity = early["identity"].to_dict("records")[0]
    assert (identity["reg_no"], identity["org_code"]) == ("330106000123458", "143912349")
    assert early["entries"][["entry_id", "in_force"]].to_dict("records") == [
        {"entry_id": "HZ-B-2016-0002", "in_force": True}]
    assert list(early["penalties"]["decision_no"]) == ["杭市监罚〔2016〕102号"]
    later = profile.profile(sample, subject(sample, E1), dt.date(2018, 1, 1))
    assert list(later["entries"]["in_force"]) == [False]
    assert set(later["relations"]["type"]) == {"LEGAL_REP_OF", "SHAREHOLDER_OF"}
    person = profile.profile(sample, subject(sample, WANG), dt.date(2020, 1, 1))
    assert person["identity"]["id_masked"][0] == "330105********3514"
    assert WANG not in json.dumps(person["identity"].to_dict("records"), default=str)


def test_paths_are_shortest_and_explained(sample):
    frame = paths.paths(sample, subject(sample, E4), subject(sample, E2), 6, dt.date(2020, 1, 1))
    assert frame["length"].tolist() == [4]
    assert frame["path_names"][0] == ["杭州上城新恒达贸易有限公司", "王强", "杭州余杭绿源农业开发有限公司",
                                      "陈刚", "杭州滨江云图科技有限公司"]
    assert frame["explanation"][0].endswith("陈刚是杭州滨江云图科技有限公司的实际控制人")
    assert paths.paths(sample, subject(sample, E4), subject(sample, E2), 3,
                       dt.date(2020, 1, 1)).empty
    # two shortest paths between the two firms 王强 represents and shares in
    both = paths.paths(sample, subject(sample, E3), subject(sample, E4), 2, dt.date(2020, 1, 1))
    assert both["length"].tolist() == [2]


def test_clusters_and_phoenix_firms(sample):
    groups = clusters.clusters(sample, 2, dt.date(2020, 1, 1))
    shared = {(r["shared"], r["value"]): r["firms"] for r in groups.to_dict("records")}
    assert shared[("address", "杭州市上城区解放路88号")] == [E4, "91330106MA2H4B6C4L"]
    assert shared[("phone", "0571-88999999")] == [E4, "91330106MA2H4B6C4L"]
    assert shared[("officer", "王强")] == [E4, E3]
    phoenix = clusters.phoenix_firms(sample, dt.date(2020, 1, 1))
    assert phoenix[["listed", "entry_id", "listed_firm", "firm_id"]].to_dict("records") == [
        {"listed": "firm", "entry_id": "HZ-B-2016-0001", "listed_firm": E3, "firm_id": E4}]


def test_a_phoenix_firm_counts_only_the_entries_in_force_when_it_was_founded(store):
    """One person represents four listed firms and four founded later: each later firm pairs
    with the entries still in force (not ended, not revoked, not repaired) on its founding day,
    never with its own entry; the asked and the whole-graph forms agree."""
    day = dt.date
    firms = {"O1": day(2018, 6, 1), "O2": day(2010, 1, 1), "O3": day(2010, 1, 1),
             "O4": day(2010, 1, 1), "F1": day(2017, 6, 1), "F2": day(2018, 12, 1),
             "F3": day(2019, 9, 1), "F4": day(2021, 1, 1)}
    store.merge_nodes("Person", [{"pid": "P", "name": "甲", "id_masked": "3301**********0011"}])
    store.merge_nodes("Enterprise", [{"uscc": k, "name": k, "established": v}
                                     for k, v in firms.items()])
    store.merge_relationships("LEGAL_REP_OF", "Person", "Enterprise",
                              [{"src_key": "P", "dst_key": k} for k in firms])
    listed = {"L1": {"status": "active"},
              "L2": {"status": "active", "end_date": day(2019, 6, 30)},
              "L3": {"status": "revoked", "status_date": day(2019, 1, 1)},
              "L4": {"status": "active", "repaired_on": day(2020, 1, 1),
                     "start_date": day(2017, 1, 1)}}
    store.merge_nodes("ListEntry", [
        {"entry_id": e, "list_kind": "black", "list_type": "失信被执行人", "authority": "法院",
         "start_date": day(2018, 1, 1)} | extra for e, extra in listed.items()] + [
        {"entry_id": "R5", "list_kind": "red", "list_type": "A级纳税人", "authority": "税务",
         "start_date": day(2016, 1, 1), "status": "active"}])
    store.merge_relationships("LISTED", "ListEntry", "Enterprise", [
        {"src_key": f"L{n}", "dst_key": f"O{n}"} for n in range(1, 5)] + [
        {"src_key": "R5", "dst_key": "F1"}])

    def pairs(frame):
        return sorted(zip(frame["entry_id"], frame["firm_id"], strict=True))

    expected = [("L1", "F2"), ("L1", "F3"), ("L1", "F4"), ("L2", "F2"), ("L2", "O1"),
                ("L3", "F2"), ("L3", "O1"), ("L4", "F1"), ("L4", "F2"), ("L4", "F3"),
                ("L4", "O1")]
    for keys in (None, ["P"]):
        assert pairs(clusters.phoenix_firms(store, day(2026, 11, 1), keys)) == expected
        assert pairs(clusters.phoenix_firms(store, day(2020, 6, 30), keys)) == [
            p for p in expected if p[1] != "F4"]
        assert pairs(clusters.phoenix_firms(store, day(2018, 3, 1), keys)) == [("L4", "F1")]
        assert clusters.phoenix_firms(store, day(2017, 3, 1), keys).empty
    assert clusters.phoenix_firms(store, day(2026, 11, 1), ["Q"]).empty


def test_civil_servant_file_and_promotion_check(sample):
    file = civil_servants.civil_servant(sample, subject(sample, "330108198801014824"),
                                        dt.date(2020, 1, 1))
    assert file.posts["department"].tolist() == ["1133010000248212X6"]
    assert file.records["record_type"].tolist() == ["年度考核", "廉政记录"]
    assert file.for_profit[["how", "firm"]].to_dict("records") == [
        {"how": "SHAREHOLDER_OF", "firm": "91330106MA2H4B6C4L"}]
    assert file.conflicts[["firm", "relation", "how", "dealing", "reference"]].to_dict(
        "records") == [{"firm": E2, "relation": "配偶", "how": "ACTUAL_CONTROLLER_OF",
                        "dealing": "procurement award", "reference": "HZCG-2016-001"}]
    promotion = file.promotion.to_dict("records")[0]
    assert promotion["eligible"] is False and len(promotion["reasons"]) == 2
    with pytest.raises(Exception, match="asked of a person"):
        civil_servants.civil_servant(sample, subject(sample, E1))


def test_screening_gives_reasons_and_evidence(sample):
    frame = screening.screen(sample, [E2, E5, E3, "91110000600037341L"], SECRET, 2,
                             dt.date(2020, 1, 1))
    result = {r["code"]: r for r in frame.to_dict("records")}
    assert result[E2]["eligible"] and result[E2]["reasons"] == []
    assert not result[E5]["eligible"] and "关联失信" in result[E5]["reasons"][0]
    assert result[E5]["evidence"][0].startswith("王强持有杭州余杭绿源农业开发有限公司")
    assert not result[E3]["eligible"] and "HZ-B-2016-0001" in result[E3]["reasons"][0]
    assert not result["91110000600037341L"]["eligible"]
    # a major penalty within three years: a fine of 5 万元 counts once the threshold is lower
    strict = screening.screen(sample, [E3], SECRET, 1, dt.date(2016, 5, 1), major_fine=5.0)
    assert any("major penalty" in r for r in strict["reasons"][0])


def test_risk_rank_puts_the_closest_parties_first(sample):
    frame = risk.risk_rank(sample, 3, 3, dt.date(2020, 1, 1))
    assert frame["name"].tolist()[0] == "王强"
    assert frame["hops"].tolist()[0] == 1
    assert frame["score"].is_monotonic_decreasing
    first = frame.iloc[0]  # the reason's parts, for a page that writes it in its language
    assert first["black_within"] >= 1 and first["nearest_path"]
    assert first["reason"] == (f"{first['black_within']} black-listed part(ies) within 3 hops; "
                               f"nearest: {first['nearest_path']}")
    assert risk.risk_rank(sample, 3, 3, dt.date(2016, 1, 1)).empty  # nobody black-listed yet


# -- the seed data's planted cases --------------------------------------------------------------


SEED = {"enterprises": 800, "seed": 11}  # the module's data set (conftest.py: seed_dir)


def test_planted_cases_are_found_by_the_queries(store, seed_dir, tmp_path):
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    cases = planted_cases(seed_dir)
    as_of = dt.date(2026, 11, 1)

    case = cases["repaired_versus_active"]
    found = linked.linked_dishonesty(store, subject(store, case["subject"]), 2, as_of)
    assert case["active_firm"] in set(found["subject_id"])
    assert case["repaired_firm"] not in set(found["subject_id"])

    report = propagate(store, load_rules(), as_of)
    derived = {r["entry"]: r["n"] for r in store.read(
        "MATCH (s:Sanction) RETURN s.entry_id AS entry, count(*) AS n")}
    assert derived.get(case["active_entry"]) and case["repaired_entry"] not in derived
    assert report.sanctions == sum(derived.values())
    granted = cases["red_incentive_granted"]
    held = store.read("MATCH (s:Sanction) WHERE s.subject_id = $id RETURN s.measure AS measure, "
                      "s.kind AS kind, s.entry_id AS entry ORDER BY measure",
                      {"id": f"Enterprise:{granted['subject']}"})
    assert [(r["measure"], r["kind"], r["entry"]) for r in held] == [
        (m, "incentive", granted["red_entry"]) for m in granted["measures"]]
    conflict = cases["red_black_conflict"]
    kinds = {r["kind"] for r in store.read(
        "MATCH (s:Sanction) WHERE s.subject_id = $id RETURN s.kind AS kind",
        {"id": f"Enterprise:{conflict['red']}"})}
    assert "withheld" in kinds and "incentive" not in kinds

    case = cases["hidden_control"]
    owners = ownership.ownership(store, subject(store, case["target"]), as_of)
    top = owners[owners["label"] == "Person"].iloc[0]
    assert top["share"] == pytest.approx(case["cumulative_share"]) and top["beneficial_owner"]
    assert top["levels"] == 3

    case = cases["red_black_conflict"]
    conflicts = audits.red_black_conflicts(store, 2, as_of)
    planted = conflicts[conflicts["subject_id"] == case["red"]]
    assert planted["hops"].tolist() == [2]
    assert case["black_entry"] in planted["black_entries"].tolist()[0]
    withheld = store.read("MATCH (s:Sanction {subject_id: $s, measure: '暂停守信联合激励'}) "
                          "RETURN s.entry_id AS entry, s.hops AS hops",
                          {"s": f"Enterprise:{case['red']}"})
    assert {"entry": case["black_entry"], "hops": 2} in withheld

    case = cases["late_publication"]
    audit = audits.publication_audit(store, dt.date(2016, 9, 1), dt.date(2016, 10, 31), as_of)
    assert case["late"] in set(audit["decision_no"])
    assert case["on_time"] not in set(audit["decision_no"])

    case = cases["phoenix_firms"]
    phoenix = clusters.phoenix_firms(store, as_of)
    pid = person_key(case["person_id"], SECRET)
    mine = phoenix[(phoenix["person_id"] == pid) & (phoenix["listed"] == "person")]
    assert sorted(mine["firm_id"]) == sorted(case["phoenix_firms"])
    # asked for persons, the rows the whole-graph form gives them, on any date (the asked form
    # reads a person's listed firms once and holds them against each later firm)
    persons = [r["key"] for r in store.read("MATCH (p:Person) RETURN p.pid AS key")]
    for day in (dt.date(2017, 6, 30), dt.date(2021, 1, 1), as_of):
        whole = clusters.phoenix_firms(store, day)
        asked = clusters.phoenix_firms(store, day, persons)
        assert set(map(tuple, asked.astype(str).values)) == set(map(tuple, whole.astype(str).values))
        assert len(asked) == len(whole)
    assert set(whole["listed"]) == {"person", "firm"}
    some = sorted(set(whole["person_id"]))[::2]
    assert set(clusters.phoenix_firms(store, as_of, some)["person_id"]) == set(some)

    case = cases["shared_address_cluster"]
    groups = clusters.clusters(store, 2, as_of)
    address = groups[(groups["shared"] == "address") & (groups["value"] == case["address"])]
    assert address["firms"].tolist() == [sorted(case["subjects"])]

    case = cases["civil_servant_for_profit"]
    file = civil_servants.civil_servant(store, subject(store, case["person_id"]), as_of)
    assert set(file.for_profit["firm"]) == set(case["legal_rep_of"] + case["shareholder_of"])

    case = cases["civil_servant_conflict_of_interest"]
    file = civil_servants.civil_servant(store, subject(store, case["person_id"]), as_of)
    assert (case["supplier"], case["project"]) in set(zip(
        file.conflicts["firm"], file.conflicts["reference"], strict=True))
    assert not file.promotion["eligible"][0]

    case = cases["commitment_breach"]
    breaches = audits.commitment_breaches(store, as_of)
    assert {(case["commitment"], case["penalty"])} <= set(
        zip(breaches["commitment_id"], breaches["decision_no"], strict=True))


def test_risk_rank_agrees_with_networkx_pagerank(store, seed_dir, tmp_path):
    """rustworkx's personalised PageRank against networkx's on the same control graph and
    seeds: the same top subjects, scores within 1e-6."""
    import networkx as nx

    from creditgraph.queries.library import run

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    graph = nx.Graph()
    for edge in run(store, "control-edges", as_of=as_of):
        graph.add_edge((edge["a_label"], edge["a"]), (edge["b_label"], edge["b"]))
    seeds: dict = {}
    for row in run(store, "list-entries-all", kind="black", as_of=as_of):
        if (row["label"], row["key"]) in graph:
            seeds[(row["label"], row["key"])] = seeds.get((row["label"], row["key"]), 0) + 1
    expected = nx.pagerank(graph, alpha=risk.DAMPING, personalization=seeds, tol=1e-10)
    frame = risk.risk_rank(store, 15, 1, as_of)
    assert len(frame) == 15
    for label, key, score in zip(frame["label"], frame["subject_id"], frame["score"],
                                 strict=True):
        assert abs(score - expected[(label, key)]) < 1e-6, (label, key)
    best = sorted((n for n in expected if n not in seeds), key=lambda n: -expected[n])
    assert abs(frame["score"].iloc[0] - expected[best[0]]) < 1e-6


def test_the_control_graph_read_page_by_page_is_every_control_edge(store, seed_dir, tmp_path):
    """Risk rank reads the control graph a page of subjects at a time: with pages of three
    (every page boundary crossed many times) and of the default size, the same subjects and
    undirected edges as the relation-by-relation query, on two dates (the earlier one before
    some relations began)."""
    from creditgraph.queries.library import run

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    sizes = []
    for as_of in (dt.date(2026, 11, 1), dt.date(2019, 6, 1)):
        expected = {frozenset({(e["a_label"], e["a"]), (e["b_label"], e["b"])})
                    for e in run(store, "control-edges", as_of=as_of)}
        sizes.append(len(expected))
        for page in (3, risk.PAGE):
            index, edges = risk.control_graph(store, as_of, page)
            nodes = list(index)
            assert list(index.values()) == list(range(len(nodes)))
            found = {frozenset({nodes[a], nodes[b]}) for a, b in edges}
            assert found == expected, (as_of, page)
            assert set(nodes) == {node for edge in expected for node in edge}
            assert {(b, a) for a, b in edges} == set(edges)  # each relation both ways
    assert 0 < sizes[1] < sizes[0]  # the earlier date: relations not yet begun left out
    with pytest.raises(ValueError, match="at least one"):
        risk.control_graph(store, dt.date(2026, 11, 1), 0)


def test_a_limited_scan_gives_the_first_rows_of_the_whole_scan(store, seed_dir, tmp_path):
    """With a limit the scan stops after the hop that finds enough: its rows must be the whole
    scan's first rows, for limits within the nearest hop's subjects and beyond them."""
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    whole = linked.linked_dishonesty_scan(store, 3, as_of)
    nearest = int((whole["hops"] == 1).sum())
    assert 3 < nearest < len(whole) and (whole["hops"] == 3).any()
    for limit in (1, 3, nearest, nearest + 1, len(whole) + 5):
        limited = linked.linked_dishonesty_scan(store, 3, as_of, limit=limit)
        assert limited.to_dict("records") == whole.head(limit).to_dict("records"), limit


def test_linked_dishonesty_agrees_with_a_plain_breadth_first_search(store, seed_dir, tmp_path):
    """The store-side search (last hop filtered on the server for Neo4j) against networkx over
    every control edge: same parties at the same distance, and each path a real chain."""
    import networkx as nx

    from creditgraph.queries.library import run

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    graph = nx.Graph()
    for edge in run(store, "control-edges", as_of=as_of):
        graph.add_edge(edge["a"], edge["b"])
    black = {row["key"] for row in run(store, "list-entries-all", kind="black", as_of=as_of)}
    firms = sorted(n for n in graph if len(n) == 18 and graph.degree(n) > 1)[::7][:60]
    found_any = 0
    for firm in firms:
        frame = linked.linked_dishonesty(store, Subject("Enterprise", firm, ""), 3, as_of)
        distances = nx.single_source_shortest_path_length(graph, firm, cutoff=3)
        expected = {(n, d) for n, d in distances.items() if d and n in black}
        assert set(zip(frame["subject_id"], frame["hops"], strict=True)) == expected, firm
        for path in frame["path"]:
            assert all(graph.has_edge(a, b) for a, b in itertools.pairwise(path))
        found_any += bool(expected)
    assert found_any >= 5


def _level_by_level(store, origin: Subject, max_hops: int, as_of: dt.date) -> list[dict]:
    """The answer before the native search, path choice on ties included."""
    return linked.linked_dishonesty_level_by_level(store, origin, max_hops, as_of).to_dict(
        "records")


def test_native_search_picks_the_level_by_level_path_on_ties_and_dates(store, monkeypatch):
    """Two equal routes, parallel relations, an ended and a future relation: the engine's own
    shortest search gives the path the level-by-level search gives, on both engines — from
    every shortest path at once where the engine gives them (Neo4j: one query and the
    entries' read), and by the walk back where it does not or a hub gives too many."""
    from tests.propagation.test_propagation import Graph

    g = Graph(store)
    origin, black, far = g.firm("起点公司"), g.firm("失信公司甲"), g.firm("失信公司乙")
    first, second = g.person("甲"), g.person("乙")  # first < second by node id
    middle = g.firm("中间公司")
    g.link(second, "SHAREHOLDER_OF", origin, ratio=0.4)   # written before the first's
    g.link(first, "SHAREHOLDER_OF", origin, ratio=0.2)
    g.link(first, "LEGAL_REP_OF", origin)                 # parallel: LEGAL_REP_OF sorts first
    g.link(second, "LEGAL_REP_OF", black)
    g.link(first, "LEGAL_REP_OF", black)
    g.link(origin, "BRANCH_OF", far, start_date=dt.date(2010, 1, 1),
           end_date=dt.date(2020, 1, 1))                   # ended: the short way is closed
    g.link(first, "EXECUTIVE_OF", middle, role="监事")
    g.link(middle, "BRANCH_OF", far)
    g.link(second, "EXECUTIVE_OF", far, role="董事", start_date=dt.date(2030, 1, 1))  # not yet
    g.list(black, "失信被执行人")
    g.list(far, "重大税收违法", start=dt.date(2015, 1, 1))
    on = dt.date(2024, 6, 1)
    subject = Subject("Enterprise", origin.partition(":")[2], "起点公司")
    frame = linked.linked_dishonesty(store, subject, 3, on)
    key = {n: n.partition(":")[2] for n in (origin, black, far, first, second, middle)}
    assert frame[["subject_id", "hops", "path", "path_types"]].to_dict("records") == [
        {"subject_id": key[black], "hops": 2, "path": [key[origin], key[first], key[black]],
         "path_types": ["LEGAL_REP_OF", "LEGAL_REP_OF"]},
        {"subject_id": key[far], "hops": 3,
         "path": [key[origin], key[first], key[middle], key[far]],
         "path_types": ["LEGAL_REP_OF", "EXECUTIVE_OF", "BRANCH_OF"]}]
    assert frame.to_dict("records") == _level_by_level(store, subject, 3, on)
    from creditgraph.graph import traversal

    paths = traversal.shortest_paths(store, network.split_id(origin), CONTROL_RELATIONS,
                                     3, on, traversal.Listed("black"))
    if store.dialect.all_shortest(store.schema, "Enterprise", CONTROL_RELATIONS, 3,
                                  ["Enterprise"], "listed") is None:
        assert paths is None
    else:  # to 失信公司甲 through 甲 (either of two relations) or 乙; to 乙 through 甲 (two)
        assert paths is not None and sorted(len(p.relations) for p in paths) == [2] * 3 + [3] * 2
        assert {p.nodes[-1][1] for p in paths} == {key[black], key[far]}
        sent: list[str] = []
        read = store.read
        monkeypatch.setattr(store, "read", lambda q, params=None: sent.append(q) or read(
            q, params))
        assert linked.linked_dishonesty(store, subject, 3, on).to_dict("records") == (
            frame.to_dict("records"))
        assert len(sent) == 2  # the paths, the two parties' entries
        monkeypatch.setattr(store, "read", read)
    monkeypatch.setattr(traversal, "PATHS_CAP", 4)  # five paths: more than a hub may give
    assert traversal.shortest_paths(store, network.split_id(origin), CONTROL_RELATIONS,
                                    3, on, traversal.Listed("black")) is None
    assert linked.linked_dishonesty(store, subject, 3, on).to_dict("records") == (
        frame.to_dict("records"))
    monkeypatch.undo()
    others = [Subject(*network.split_id(n), "") for n in (first, middle, far)]
    many = linked.linked_rows_many(store, [subject, *others], 3, on)
    assert many[subject.node_id] == linked.linked_rows(store, subject, 3, on)
    assert all(many.get(o.node_id, []) == linked.linked_rows(store, o, 3, on) for o in others)
    # before the branch relation ended it was the short way
    before = linked.linked_dishonesty(store, subject, 3, dt.date(2019, 6, 1))
    assert before.loc[before["subject_id"] == key[far], "hops"].tolist() == [1]
    assert linked.linked_dishonesty(store, subject, 1, on).empty
    with pytest.raises(CreditGraphError, match="hops must be a whole number"):
        linked.linked_dishonesty(store, subject, 13, on)
    from creditgraph.graph.traversal import relations_of, shortest_distances

    with pytest.raises(CreditGraphError, match="without dates cannot be searched: LISTED"):
        shortest_distances(store, ("Enterprise", key[origin]), ("LISTED",), 2, on)
    # a person owns but is owned by no one: an upward search from one finds nothing
    assert shortest_distances(store, ("Person", key[first]), ("SHAREHOLDER_OF",), 3, on,
                              direction="in") == []
    assert {r.key for r in relations_of(store, ("Enterprise", key[origin]),
                                        ("SHAREHOLDER_OF",), on, "in")} == {key[first],
                                                                            key[second]}


def test_among_equal_paths_the_choice_is_made_from_the_end_back(store):
    """Two three-hop routes to one party: the nearer side of the first step from the origin
    favours one (甲 before 乙), the party's own side the other (the firm 丙 before 丁). The walk
    back chooses at the party first, so the route through 乙 and 丙 — on both engines, by the
    paths returned at once (Neo4j) as by the walk back."""
    from tests.propagation.test_propagation import Graph

    g = Graph(store)
    origin, black = g.firm("起点公司"), g.firm("失信公司")
    first, second = g.person("甲"), g.person("乙")        # 甲 < 乙 by node id
    near_end, far_end = g.firm("丙"), g.firm("丁")        # 丙 < 丁 by node id
    g.link(first, "LEGAL_REP_OF", origin)
    g.link(second, "LEGAL_REP_OF", origin)
    g.link(first, "EXECUTIVE_OF", far_end, role="董事")    # origin-甲-丁-party
    g.link(second, "EXECUTIVE_OF", near_end, role="董事")  # origin-乙-丙-party
    g.link(near_end, "BRANCH_OF", black)
    g.link(far_end, "BRANCH_OF", black)
    g.list(black, "失信被执行人")
    on = dt.date(2024, 6, 1)
    subject = Subject("Enterprise", origin.partition(":")[2], "起点公司")
    rows = linked.linked_rows(store, subject, 3, on)
    key = {n: n.partition(":")[2] for n in (origin, black, second, near_end)}
    assert [(r["subject_id"], r["path"]) for r in rows] == [
        (key[black], [key[origin], key[second], key[near_end], key[black]])]
    assert linked.linked_dishonesty(store, subject, 3, on).to_dict("records") == (
        _level_by_level(store, subject, 3, on))


def test_native_search_equals_the_level_by_level_search_on_seed_data(store, seed_dir, tmp_path):
    """Every column, every path, for enterprises and persons, at one to three hops."""
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    firms = [Subject("Enterprise", r["key"], r["name"]) for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key, e.name AS name ORDER BY key")][::6][:30]
    persons = [Subject("Person", r["key"], r["name"]) for r in store.read(
        "MATCH (p:Person) RETURN p.pid AS key, p.name AS name ORDER BY key")][::9][:12]
    black = linked.listed_in_force(store, "black", as_of)
    rows = 0
    for hops in (1, 2, 3, 4):  # the batch form (alert runs, checks) answers each as alone
        many = linked.linked_rows_many(store, firms + persons, hops, as_of)
        assert set(many) <= {s.node_id for s in firms + persons}
        for subject in firms + persons:
            assert many.get(subject.node_id, []) == linked.linked_rows(
                store, subject, hops, as_of), (subject.key, hops)
    for subject in firms + persons:
        for hops in (1, 2, 3):
            expected = _level_by_level(store, subject, hops, as_of)
            # the engine testing each node reached, and the list read once and sent as ends
            assert linked.linked_dishonesty(store, subject, hops, as_of).to_dict(
                "records") == expected, (subject.key, hops)
            assert linked.linked_dishonesty(store, subject, hops, as_of, black=black).to_dict(
                "records") == expected, (subject.key, hops)
            rows += len(expected)
    assert rows >= 10  # 11 parties found with this seed: the comparison is not vacuous


def test_relations_read_toward_some_nodes_are_those_of_the_whole_read(store, seed_dir, tmp_path):
    """The walk back reads a level's relations only toward the nodes one step nearer: the
    filter where they are read keeps exactly the relations to those nodes, nothing else."""
    from creditgraph.graph import traversal

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    nodes = [("Person", r["key"]) for r in store.read(
        "MATCH (p:Person)-[:SHAREHOLDER_OF]->() RETURN DISTINCT p.pid AS key ORDER BY key")][:30]
    nodes += [("Enterprise", r["key"]) for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key")][::9][:30]
    whole = traversal.relations_of_many(store, nodes, CONTROL_RELATIONS, as_of)
    far = sorted({(r.label, r.key) for rels in whole.values() for r in rels})
    toward = set(far[::3])  # a third of the far ends, of every label
    part = traversal.relations_of_many(store, nodes, CONTROL_RELATIONS, as_of,
                                       toward=sorted(toward))
    assert set(part) == set(whole)
    for node, rels in whole.items():
        assert sorted(part[node], key=repr) == sorted(
            (r for r in rels if (r.label, r.key) in toward), key=repr)
    assert any(part.values()) and sum(map(len, part.values())) < sum(map(len, whole.values()))
    assert all(not rels for rels in traversal.relations_of_many(
        store, nodes, CONTROL_RELATIONS, as_of, toward=[]).values())


def test_both_directions_of_a_subject_are_one_read_where_round_trips_cost_most(sample,
                                                                               monkeypatch):
    """On Neo4j (``whole_hop``) a subject's relations in both directions are one statement
    (``UNION ALL``), elsewhere one per direction; either way the same relations."""
    from creditgraph.graph import traversal

    node = ("Enterprise", E1)  # 张伟 holds it, it holds 杭州滨江云图科技有限公司
    sent: list[int] = []
    read_many = sample.read_many

    def counted(statements, *args, **kwargs):
        sent.append(len(statements))
        return read_many(statements, *args, **kwargs)

    monkeypatch.setattr(sample, "read_many", counted)

    def read() -> list:
        sent.clear()
        rels = traversal.relations_of(sample, node, CONTROL_RELATIONS,
                                      dt.date(2020, 1, 1))
        return sorted(rels, key=repr)

    chosen = read()
    assert sent == [1 if sample.dialect.whole_hop else 2]
    assert {r.outgoing for r in chosen} == {True, False}
    monkeypatch.setattr(sample.dialect, "whole_hop", False)
    assert read() == chosen and sent == [2]


def test_a_batch_split_and_read_side_by_side_answers_as_one_query(store, seed_dir, tmp_path,
                                                                  monkeypatch):
    """Many-origin searches and relation reads go in chunks, read side by side where the store
    answers reads from several threads (Neo4j): chunks of two, read in four threads or one
    after the other, answer exactly as one query for the whole batch."""
    from creditgraph.graph import traversal

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    nodes = [("Enterprise", r["key"]) for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key")][::7][:40]
    nodes += [("Person", r["key"]) for r in store.read(
        "MATCH (p:Person) RETURN p.pid AS key ORDER BY key")][::5][:20]
    subjects = [Subject(label, key, "") for label, key in nodes]

    def answers() -> tuple:
        def each(found: dict) -> dict:  # a server returns a query's rows in no set order
            return {key: sorted(values, key=repr) for key, values in found.items()}

        return (each(traversal.shortest_distances_from(store, nodes, CONTROL_RELATIONS,
                                                       2, as_of)),
                each(traversal.shortest_distances_from(store, nodes, CONTROL_RELATIONS,
                                                       3, as_of, linked.Listed("black"))),
                each(traversal.relations_of_many(store, nodes, CONTROL_RELATIONS,
                                                 as_of)),
                linked.linked_rows_many(store, subjects, 3, as_of))

    whole = answers()
    monkeypatch.setattr(traversal, "BATCH", 2)
    monkeypatch.setattr(traversal, "SPLIT", 2)
    for threads in sorted({1, type(store).parallel_reads}):  # Neo4j: 1, then 4; embedded: 1
        monkeypatch.setattr(type(store), "parallel_reads", threads)
        assert answers() == whole, threads
    assert all(whole[:3]) and whole[3]  # each answer holds something to compare
    calls = [lambda: 1, lambda: 2, lambda: 3]
    assert store.side_by_side(*calls) == [1, 2, 3]  # in the order given
    with pytest.raises(ZeroDivisionError):
        store.side_by_side(lambda: 1, lambda: 1 / 0)
    # a batch is split so that each thread has a share, never below SPLIT keys a query
    monkeypatch.setattr(traversal, "BATCH", 1000)
    monkeypatch.setattr(traversal, "SPLIT", 100)
    threads = type("Threads", (), {"parallel_reads": 4})()
    keys = [str(n) for n in range(1000)]
    assert [len(c) for c in traversal._chunks(threads, keys, True)] == [250] * 4
    assert [len(c) for c in traversal._chunks(threads, keys[:150], True)] == [100, 50]
    assert traversal._chunks(threads, keys[:3], False) == [["0"], ["1"], ["2"]]
    threads.parallel_reads = 1
    assert [len(c) for c in traversal._chunks(threads, keys * 2, True)] == [1000, 1000]
    # nested work runs in the outer threads only: never more than parallel_reads at once
    if type(store).parallel_reads > 1:
        import threading

        names = store.side_by_side(*[lambda: store.side_by_side(
            *[lambda: threading.current_thread().name] * 3)] * 3)
        assert all(len(set(inner)) == 1 for inner in names)


def _offered(store, monkeypatch, form: str) -> list[bool]:
    """Spies on the dialect's optional query ``form``: for each call, whether the engine
    offered one (True) or left the search to the general form (False)."""
    offered: list[bool] = []
    original = getattr(store.dialect, form)

    def spied(*args, **kwargs):
        query = original(*args, **kwargs)
        offered.append(query is not None)
        return query

    monkeypatch.setattr(store.dialect, form, spied)
    return offered


def test_the_nearest_of_many_origins_agrees_with_a_breadth_first_search(store, seed_dir,
                                                                       tmp_path, monkeypatch):
    """The set search (``nearest_to_any``: Neo4j meets in the middle up to 2 hops; farther,
    and on the embedded engine, the least of the per-origin search) against a multi-source
    networkx search over the relations valid on each of two dates: every end within reach of
    any origin, at its least distance, and none beyond."""
    import networkx as nx

    from creditgraph.graph import traversal
    from creditgraph.queries.library import run

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    set_searches = _offered(store, monkeypatch, "near_any")  # the engine's set search used?
    compared: dict[int, int] = {}
    answers = []
    for as_of in (dt.date(2026, 11, 1), dt.date(2019, 6, 30)):
        graph = nx.Graph()
        for edge in run(store, "control-edges", as_of=as_of):
            graph.add_edge((edge["a_label"], edge["a"]), (edge["b_label"], edge["b"]))
        nodes = sorted(graph)
        origins = nodes[::29][:25]
        ends = nodes[::3] + origins[:3]
        for hops in (1, 2, 3):
            reached = nx.multi_source_dijkstra_path_length(graph, set(origins), cutoff=hops)
            expected = {node: d for node, d in reached.items() if node in set(ends)}
            found = traversal.nearest_to_any(store, origins, ends, CONTROL_RELATIONS,
                                             hops, as_of)
            assert found == expected, (as_of, hops)
            answers.append(found)
            for distance in expected.values():
                compared[distance] = compared.get(distance, 0) + 1
    # ends found at every distance, and answers that differ by date: not vacuous
    assert all(compared.get(d, 0) >= 5 for d in (0, 1, 2, 3)), compared
    assert answers[:3] != answers[3:]
    # Neo4j answered up to 2 hops with its set search, farther with the per-origin one
    assert set_searches == ([True, True, False] * 2 if store.backend == "neo4j"
                            else [False] * 6)
    origin = nodes[0]
    assert traversal.nearest_to_any(store, [origin], [origin, nodes[1]],
                                    CONTROL_RELATIONS, 0, as_of) == {origin: 0}
    assert traversal.nearest_to_any(store, [origin], [], CONTROL_RELATIONS, 2,
                                    as_of) == {}
    with pytest.raises(CreditGraphError):
        traversal.nearest_to_any(store, [origin], [nodes[1]], CONTROL_RELATIONS, 13,
                                 as_of)


def test_a_two_hop_search_from_many_origins_agrees_with_a_breadth_first_search(
        store, seed_dir, tmp_path, monkeypatch):
    """Many origins, two hops (Neo4j meets in the middle: each node next to an origin read
    once, with the ends next to it), for every kind of ends — every node, given keys, the
    black-listed, the punished, either — against networkx over the relations valid on each
    of two dates, and against the search from each origin alone."""
    import networkx as nx

    from creditgraph.graph import traversal
    from creditgraph.queries.library import run

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    propagate(store, load_rules(), dt.date(2026, 11, 1))
    met = _offered(store, monkeypatch, "around_many")
    compared = {1: 0, 2: 0}
    for as_of in (dt.date(2026, 11, 1), dt.date(2019, 6, 30)):
        graph = nx.Graph()
        for edge in run(store, "control-edges", as_of=as_of):
            graph.add_edge((edge["a_label"], edge["a"]), (edge["b_label"], edge["b"]))
        nodes = sorted(graph)
        origins = ([n for n in nodes if n[0] == "Enterprise"][::11][:30]
                   + [n for n in nodes if n[0] == "Person"][::11][:15])
        black = {(r["label"], r["key"]) for r in run(store, "list-entries-all", kind="black",
                                                      as_of=as_of)}
        punished = {tuple(r["id"].split(":", 1)) for r in store.read(
            "MATCH (x:Sanction) WHERE x.kind = 'punishment' AND x.valid_from <= $d "
            "AND (x.valid_to IS NULL OR x.valid_to >= $d) RETURN x.subject_id AS id",
            {"d": as_of})}
        keys = set(nodes[::4])
        for ends, wanted in ((None, set(nodes)), (sorted(keys), keys),
                             (traversal.Listed("black"), black),
                             (traversal.Sanctioned("punishment"), punished),
                             (traversal.AnyOf((traversal.Listed("black"),
                                               traversal.Sanctioned("punishment"))),
                              black | punished)):
            found = traversal.shortest_distances_from(store, origins, CONTROL_RELATIONS,
                                                      2, as_of, ends)
            answer = {o: {(f.label, f.key): f.hops for f in parties}
                      for o, parties in found.items()}
            expected = {}
            for origin in origins:
                reached = nx.single_source_shortest_path_length(graph, origin, cutoff=2)
                near = {n: d for n, d in reached.items() if d and n in wanted}
                if near:
                    expected[origin] = near
                for distance in near.values():
                    compared[distance] += 1
            assert answer == expected, (as_of, ends)
            alone = {o: traversal.shortest_distances(store, o, CONTROL_RELATIONS, 2,
                                                     as_of, ends) for o in origins[:8]}
            assert {o: sorted(f, key=repr) for o, f in alone.items() if f} == {
                o: sorted(found[o], key=repr) for o in origins[:8] if o in found}
    assert compared[1] >= 20 and compared[2] >= 20, compared  # not vacuous
    # Neo4j met in the middle for the batches (not for one origin alone)
    assert any(met) == (store.backend == "neo4j")


def test_a_hop_read_node_by_node_equals_the_hop_read_at_once(store, seed_dir, tmp_path,
                                                              monkeypatch):
    """Small frontiers are read with anchored queries, large ones with one query per label:
    the two give the same neighbours, relations and names, and so the same propagation."""
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    frontier = sorted({f"Enterprise:{r['a']}" for r in linked.run(
        store, "control-edges", as_of=as_of) if len(r["a"]) == 18})[::9][:60]
    frontier += [f"Person:{r['key']}" for r in store.read(
        "MATCH (p:Person) RETURN p.pid AS key ORDER BY key LIMIT 40")]
    dialect = type(store.dialect)
    answers = []
    for threshold in (0, 10_000):
        monkeypatch.setattr(dialect, "anchored_frontier", threshold)
        answers.append((network.expand(store, frontier, CONTROL_RELATIONS, as_of),
                        linked.listed_neighbours(store, frontier, CONTROL_RELATIONS,
                                                 as_of)))
    assert answers[0] == answers[1]
    assert len(answers[0][0]) > 100 and answers[0][1]


def test_a_check_alone_answers_as_in_a_batch(store, seed_dir, tmp_path):
    """The departmental check reads a batch's entries, measures and penalties once (a code on
    its own by anchored reads, ``queries/subject_reads.py``): each code checked on its own gets
    the answer it gets among 60 others, on both engines."""
    from creditgraph.queries.checks import check

    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    as_of = dt.date(2026, 11, 1)
    propagate(store, load_rules(), as_of)
    firms = [r["key"] for r in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key")][::3][:50]
    listed = [node.partition(":")[2] for kind in ("black", "red")
              for node in sorted(linked.listed_in_force(store, kind, as_of))[:5]]
    penalized = [r["key"] for r in store.read(
        "MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise) RETURN DISTINCT e.uscc AS key "
        "ORDER BY key LIMIT 5")]
    codes = firms + listed + penalized + ["91330000000000000X", "not a code"]
    one_by_one = []
    for code in codes:
        try:
            one_by_one.append(resolve(store, code, SECRET))
        except UnknownSubject as exc:
            one_by_one.append(str(exc))
    assert [a if isinstance(a, Subject) else str(a) for a in resolve_many(store, codes, SECRET)
            ] == one_by_one
    for purpose in ("procurement", "appointment"):
        together = check(store, codes, purpose, SECRET, as_of)
        alone = [check(store, [code], purpose, SECRET, as_of)[0] for code in codes]
        assert alone == together, purpose
        twice = check(store, [listed[0], listed[0]], purpose, SECRET, as_of)
        assert twice == [together[codes.index(listed[0])]] * 2  # entries read once, not twice
        assert sum(a["found"] and a["verdict"] != "pass" for a in together) >= 5  # not vacuous
        assert any(a["measures"] for a in together)  # measures read alone and in a batch
    assert any(a["major_penalties"] for a in check(store, codes, "procurement", SECRET, as_of))
    leap = check(store, penalized, "procurement", SECRET, dt.date(2028, 2, 29))  # years back:
    assert len(leap) == len(penalized)  # 2025-02-28, not a ValueError (a 500 in the API)


def test_a_check_snapshot_follows_the_data_of_a_store_that_can_change(store, seed_dir,
                                                                      tmp_path):
    """A check's data snapshot is read once per opened store only where nothing can write
    while it is open (an embedded store opened read only); here it follows a load."""
    from creditgraph.queries.checks import snapshot

    assert not store.frozen
    before = snapshot(store)
    load_directory(seed_dir, StoreWriter(store), store.schema, load_spec(), SECRET,
                   tmp_path / "r")
    after = snapshot(store)
    assert before["list_entries"] == 0 < after["list_entries"]
