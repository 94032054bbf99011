"""The network around a subject, one walk for the dashboard and the case bag
(queries/neighbourhood.py), on both backends: never past the hops asked, nearest first at the
cap, every relation among the kept nodes, the same graph in the page and in the bag."""

from __future__ import annotations

import datetime as dt

from creditgraph.casefile.collect import collect
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.sanctions import restricted
from creditgraph.propagation.service import propagate
from creditgraph.queries import linked, network
from creditgraph.queries.neighbourhood import EXPAND_CAP, node_flags, walk
from creditgraph.queries.subjects import Subject, resolve
from tests.conftest import load_seed
from tests.shared import SECRET

SEED = {"enterprises": 300, "seed": 29}  # the module's data set (conftest.py: seed_dir)
AS_OF = dt.date(2026, 11, 1)
BIG = 100_000


def busiest(store, seed_dir, tmp_path) -> tuple[Subject, dict[str, int]]:
    """Loads the seed; the enterprise with the most nodes within two hops, and their distances
    by the scan's own level-by-level search (an implementation of its own)."""
    load_seed(store, seed_dir, tmp_path / "rejects", SECRET)
    keys = [row["key"] for row in store.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key LIMIT 60")]
    best: tuple[int, str, dict[str, int]] = (-1, "", {})
    for key in keys:
        reached, _ = network.search(store, [network.node_id("Enterprise", key)], 2,
                                    CONTROL_RELATIONS, AS_OF)
        if len(reached) > best[0]:
            best = (len(reached), key, {n: r.hops for n, r in reached.items()})
    return resolve(store, best[1], SECRET), best[2]


def relations_among(store, nodes: set[str]) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.type)
            for _, _, _, e in network.expand(store, sorted(nodes), CONTROL_RELATIONS, AS_OF)
            if e.source in nodes and e.target in nodes}


def test_the_walk_is_the_search_to_the_hops_asked_with_every_relation_among_its_nodes(
        store, seed_dir, tmp_path):
    subject, distances = busiest(store, seed_dir, tmp_path)
    assert len(distances) > 12  # a neighbourhood worth capping
    for exact in (False, True):
        found = walk(store, [subject], 2, AS_OF, CONTROL_RELATIONS, BIG, exact=exact)
        assert found.hops == distances and not found.cut and found.more == 0
        assert set(found.edges) == relations_among(store, set(distances))
    one = walk(store, [subject], 1, AS_OF, CONTROL_RELATIONS, BIG)
    assert set(one.hops) == {n for n, h in distances.items() if h <= 1}  # the slider, exactly


def test_at_the_cap_the_nearest_are_kept_and_the_rest_counted(store, seed_dir, tmp_path):
    subject, distances = busiest(store, seed_dir, tmp_path)
    cap = len(distances) - 5
    exact = walk(store, [subject], 2, AS_OF, CONTROL_RELATIONS, cap, exact=True)
    assert exact.cut and len(exact.hops) == cap and exact.more == 5  # counted exactly
    assert exact.hops == {n: distances[n] for n in exact.hops}
    left_out = set(distances) - set(exact.hops)
    assert max(exact.hops.values()) <= min(distances[n] for n in left_out)  # nearest first
    assert set(exact.edges) == relations_among(store, set(exact.hops))
    page = walk(store, [subject], 2, AS_OF, CONTROL_RELATIONS, cap)
    assert page.cut and len(page.hops) == cap and 0 < page.more <= 5  # a lower bound
    assert page.hops == {n: distances[n] for n in page.hops}
    missing = set(distances) - set(page.hops)
    assert max(page.hops.values()) <= min(distances[n] for n in missing)  # nearest first


def test_the_case_bag_records_the_graph_the_page_draws(store, seed_dir, tmp_path):
    """Same nodes, distances, relations and flags; the flags as the list and measure queries
    of their own say (a red-listed firm's granted incentive is no punishment)."""
    subject, _ = busiest(store, seed_dir, tmp_path)
    propagate(store, load_rules(), AS_OF)
    page = walk(store, [subject], 2, AS_OF, CONTROL_RELATIONS, BIG)
    case = collect(store, [subject], AS_OF, 2, "CG-TEST-1")
    assert {n["id"]: n["hops"] for n in case.nodes} == page.hops
    assert {(r["source"], r["target"], r["type"]) for r in case.relations} == set(page.edges)
    black = set(linked.listed_in_force(store, "black", AS_OF)) & set(page.hops)
    red = set(linked.listed_in_force(store, "red", AS_OF)) & set(page.hops)
    punished = set(restricted(store, None, AS_OF)["subject_id"]) & set(page.hops)
    assert page.flags == {"black": black, "red": red, "sanctioned": punished}
    assert {n["id"] for n in case.nodes if n["black_listed"]} == black
    assert {n["id"] for n in case.nodes if n["red_listed"]} == red
    assert {n["id"] for n in case.nodes if n["sanctioned"]} == punished
    assert case.truncated == 0
    everyone = walk(store, [subject], 3, AS_OF, CONTROL_RELATIONS, BIG)
    assert everyone.flags["sanctioned"] == set(restricted(store, None, AS_OF)["subject_id"]
                                               ) & set(everyone.hops)
    granted = {r["subject_id"] for r in store.read(
        "MATCH (s:Sanction) WHERE s.kind = 'incentive' RETURN s.subject_id AS subject_id")}
    only_rewarded = granted - set(restricted(store, None, AS_OF)["subject_id"])
    assert only_rewarded  # the seed plants a red-listed firm granted incentives
    assert node_flags(store, sorted(only_rewarded), AS_OF)["sanctioned"] == set()


def test_a_cut_case_bag_keeps_the_nearest_least_ids_and_counts_the_rest(store, seed_dir,
                                                                          tmp_path):
    subject, distances = busiest(store, seed_dir, tmp_path)
    cap = len(distances) - 7
    case = collect(store, [subject], AS_OF, 2, "CG-TEST-2", max_nodes=cap)
    ordered = sorted(distances, key=lambda n: (distances[n], n))
    assert {n["id"] for n in case.nodes} == set(ordered[:cap]) and case.truncated == 7


def test_an_expansion_adds_one_hop_around_a_node_of_this_graph_only(store, seed_dir, tmp_path):
    subject, distances = busiest(store, seed_dir, tmp_path)
    inner = walk(store, [subject], 1, AS_OF, CONTROL_RELATIONS, BIG)
    rim = sorted(n for n, h in inner.hops.items() if h == 1)
    grown = walk(store, [subject], 1, AS_OF, CONTROL_RELATIONS, BIG, expanded=rim[:1])
    around = {there for _, there, _, _ in network.expand(store, rim[:1], CONTROL_RELATIONS,
                                                        AS_OF)}
    added = set(grown.hops) - set(inner.hops)
    assert added <= around and len(added) == min(EXPAND_CAP, len(around - set(inner.hops)))
    stranger = next(n for n in distances if n not in inner.hops)  # two hops away
    far = walk(store, [subject], 1, AS_OF, CONTROL_RELATIONS, BIG,
               expanded=[stranger, "Enterprise:NOT-IN-THE-GRAPH"])
    assert far.hops == inner.hops  # an expansion left from another subject adds nothing
