"""Joint-punishment propagation on both backends: each default rule on a hand-built graph
(thresholds, hop limits, direction, cycles, terms, repair, as-of dates), idempotence, incremental
runs, the CLI, rule-file checks, and a cross-check against a plain brute-force walk."""

from __future__ import annotations

import datetime as dt
import json
from itertools import count
from pathlib import Path

import pytest

from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store
from creditgraph.propagation.rules import RulesError, load_rules
from creditgraph.propagation.service import propagate
from tests.shared import ID_KEY, ROOT, SECRET

RULES = load_rules()
ON = dt.date(2024, 6, 1)
LISTED = dt.date(2022, 1, 1)
_numbers = count(1)


class Graph:
    """Builds a small graph through the store's own write API."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        store.init_schema()

    def firm(self, name: str) -> str:
        uscc = f"9133010{next(_numbers):011d}"
        self.store.merge_nodes("Enterprise", [{"uscc": uscc, "name": name}])
        return f"Enterprise:{uscc}"

    def person(self, name: str) -> str:
        pid = f"p{next(_numbers):063d}"
        self.store.merge_nodes("Person", [{"pid": pid, "name": name}])
        return f"Person:{pid}"

    def link(self, source: str, rel_type: str, target: str, **props: object) -> None:
        (a_label, a), (b_label, b) = source.split(":"), target.split(":")
        self.store.merge_relationships(rel_type, a_label, b_label, [
            {"src_key": a, "dst_key": b, "updated_at": dt.datetime.now(dt.UTC), **props}])

    def list(self, subject: str, list_type: str, kind: str = "black", start: dt.date = LISTED,
             **props: object) -> str:
        entry_id = f"E-{next(_numbers)}"
        self.store.merge_nodes("ListEntry", [{
            "entry_id": entry_id, "list_kind": kind, "list_type": list_type,
            "authority": "杭州市中级人民法院", "start_date": start, "status": "active",
            "updated_at": dt.datetime.now(dt.UTC), **props}])
        label, key = subject.split(":")
        self.store.merge_relationships("LISTED", "ListEntry", label,
                                       [{"src_key": entry_id, "dst_key": key}])
        return entry_id


def stored(store: GraphStore) -> set[tuple[str, str, str, int]]:
    """(subject, measure, entry, hops) of every stored sanction."""
    rows = store.read("MATCH (s:Sanction) RETURN s.subject_id AS subject, s.measure AS measure, "
                      "s.entry_id AS entry, s.hops AS hops")
    return {(r["subject"], r["measure"], r["entry"], r["hops"]) for r in rows}


def measures_of(store: GraphStore, subject: str) -> set[str]:
    return {m for s, m, _, _ in stored(store) if s == subject}


def test_court_debtor_unit_reaches_legal_rep_executives_and_controller(store):
    g = Graph(store)
    firm = g.firm("恒达建材")
    rep, boss, controller, holder = (g.person(n) for n in ("王强", "李总", "赵控", "钱股"))
    g.link(rep, "LEGAL_REP_OF", firm)
    g.link(boss, "EXECUTIVE_OF", firm, role="总经理")
    g.link(controller, "ACTUAL_CONTROLLER_OF", firm)
    g.link(holder, "SHAREHOLDER_OF", firm, ratio=0.9)
    entry = g.list(firm, "失信被执行人")
    report = propagate(store, RULES, ON)
    assert measures_of(store, firm) == {"限制高消费", "限制政府采购", "限制参与工程招投标",
                                        "限制发行债券", "限制财政资金支持", "取消评优评先"}
    for person in (rep, boss, controller):
        assert measures_of(store, person) == {"限制高消费"}
    assert measures_of(store, holder) == set()  # a shareholder is not named by the rule
    assert report.created == report.sanctions == 9 and report.entries == 1
    assert (rep, "限制高消费", entry, 1) in stored(store)
    row = store.read("MATCH (s:Sanction {subject_id: $s})-[:DERIVED_FROM]->(l:ListEntry) "
                     "MATCH (s)-[:APPLIES_TO]->(p:Person) RETURN s.path AS path, "
                     "s.path_text AS text, l.entry_id AS entry, p.name AS name", {"s": rep})
    assert row == [{"path": [firm, rep], "text": "王强是恒达建材的法定代表人", "entry": entry,
                    "name": "王强"}]


def test_tax_rule_follows_shares_in_direction_up_to_threshold_and_hop_limit(store):
    g = Graph(store)
    firm = g.firm("偷税公司")
    big, small, unknown = g.person("大股东"), g.person("小股东"), g.person("未知股东")
    parent, owner_of_parent = g.firm("母公司"), g.person("母公司股东")
    grandparent, far_owner = g.firm("祖公司"), g.person("远股东")
    subsidiary = g.firm("子公司")
    g.link(big, "SHAREHOLDER_OF", firm, ratio=0.30)
    g.link(small, "SHAREHOLDER_OF", firm, ratio=0.10)
    g.link(unknown, "SHAREHOLDER_OF", firm)  # share not recorded: not followed
    g.link(parent, "SHAREHOLDER_OF", firm, ratio=0.40)
    g.link(owner_of_parent, "SHAREHOLDER_OF", parent, ratio=0.5)
    g.link(grandparent, "SHAREHOLDER_OF", parent, ratio=0.6)
    g.link(far_owner, "SHAREHOLDER_OF", grandparent, ratio=0.9)  # 3 hops: beyond max_hops 2
    g.link(firm, "SHAREHOLDER_OF", subsidiary, ratio=0.8)  # downstream: wrong direction
    g.link(firm, "SHAREHOLDER_OF", parent, ratio=0.3)  # a cycle back up
    entry = g.list(firm, "重大税收违法")
    propagate(store, RULES, ON)
    reached = {s for s, m, _, _ in stored(store) if m == "限制出境"}
    assert reached == {big, parent, owner_of_parent, grandparent}
    assert (owner_of_parent, "限制出境", entry, 2) in stored(store)
    weight = store.read("MATCH (s:Sanction {subject_id: $s, measure: '限制出境'}) "
                        "RETURN s.weight AS w", {"s": owner_of_parent})[0]["w"]
    assert weight == pytest.approx(0.7 ** 2)
    assert not measures_of(store, subsidiary) and not measures_of(store, far_owner)


def test_person_debtor_and_the_firms_they_represent(store):
    g = Graph(store)
    debtor, a, b, c = g.person("张三"), g.firm("甲公司"), g.firm("乙公司"), g.firm("丙公司")
    g.link(debtor, "LEGAL_REP_OF", a)
    g.link(debtor, "LEGAL_REP_OF", b)
    g.link(debtor, "EXECUTIVE_OF", c, role="监事")
    g.list(debtor, "失信被执行人")
    propagate(store, RULES, ON)
    assert measures_of(store, debtor) == {"限制高消费", "限制担任法定代表人或高管"}
    assert measures_of(store, a) == measures_of(store, b) == {"从严审核行政许可"}
    assert measures_of(store, c) == set()


def test_serious_violation_bars_the_legal_rep_for_three_years_everywhere(store):
    g = Graph(store)
    listed, other, third = g.firm("违法公司"), g.firm("另一公司"), g.firm("第三公司")
    rep = g.person("孙法人")
    for firm in (listed, other, third):
        g.link(rep, "LEGAL_REP_OF", firm)
    g.link(rep, "LEGAL_REP_OF", g.firm("旧公司"), end_date=dt.date(2021, 1, 1))  # not current
    g.list(listed, "严重违法失信企业")
    propagate(store, RULES, ON)
    assert measures_of(store, rep) == {"限制担任法定代表人或高管"}
    assert {s for s, m, _, _ in stored(store) if m == "法定代表人任职受限"} == {other, third}
    ends = {r["s"]: r["to"] for r in store.read(
        "MATCH (s:Sanction) WHERE s.measure IN ['法定代表人任职受限', '限制担任法定代表人或高管'] "
        "RETURN s.subject_id AS s, s.valid_to AS to")}
    assert set(ends.values()) == {dt.date(2025, 1, 1)}
    # three years on, the legal representative's bar is over; the firm's own measures are not
    report = propagate(store, RULES, dt.date(2025, 6, 1))
    assert measures_of(store, rep) == set() and report.removed == 3
    assert "限制政府采购" in measures_of(store, listed)


def test_repair_retracts_everything_derived_and_as_of_moves_answers(store):
    g = Graph(store)
    firm, rep = g.firm("修复公司"), g.person("周法人")
    g.link(rep, "LEGAL_REP_OF", firm)
    entry = g.list(firm, "失信被执行人")
    assert propagate(store, RULES, dt.date(2021, 6, 1)).sanctions == 0  # before the listing
    assert propagate(store, RULES, ON).sanctions == 7
    store.write("MATCH (l:ListEntry {entry_id: $id}) SET l.status = 'repaired', "
                "l.status_date = $day", {"id": entry, "day": dt.date(2024, 3, 1)})
    report = propagate(store, RULES, ON)
    assert report.removed == 7 and stored(store) == set()
    # asked for a date before the repair, the entry still counts
    assert propagate(store, RULES, dt.date(2024, 2, 1)).created == 7


def test_red_list_incentives_are_withheld_near_a_black_listed_party(store):
    g = Graph(store)
    black, red_near, red_clean = g.firm("失信公司"), g.firm("红名单近"), g.firm("红名单净")
    rep = g.person("吴法人")
    g.link(rep, "LEGAL_REP_OF", black)
    g.link(rep, "LEGAL_REP_OF", red_near)
    entry = g.list(black, "失信被执行人")
    g.list(red_near, "守合同重信用", kind="red")
    g.list(red_clean, "守合同重信用", kind="red")
    propagate(store, RULES, ON)
    assert (red_near, "暂停守信联合激励", entry, 2) in stored(store)
    assert measures_of(store, red_near) == {"暂停守信联合激励"}  # nothing granted
    assert measures_of(store, red_clean) == GRANTED
    text = store.read("MATCH (s:Sanction {subject_id: $s}) RETURN s.path AS p, s.path_text AS t",
                      {"s": red_near})[0]
    assert text["p"] == [black, rep, red_near]
    assert text["t"] == "吴法人是失信公司的法定代表人；吴法人是红名单近的法定代表人"


GRANTED = set(RULES.incentives.measures)  # 绿色通道, 减少检查频次


def test_incentives_are_granted_then_retracted_and_restored_incrementally(store):
    """守信联合激励 granted to a clean red-listed subject; a black entry coming within reach takes
    it away (withheld instead), its repair brings it back — incrementally as a full run does."""
    g = Graph(store)
    red, rep = g.firm("守信公司"), g.person("王法人")
    g.link(rep, "LEGAL_REP_OF", red)
    red_entry = g.list(red, "守合同重信用", kind="red")
    far_red = g.firm("远处红名单")
    g.list(far_red, "纳税信用A级", kind="red")
    propagate(store, RULES, ON)
    assert measures_of(store, red) == GRANTED == measures_of(store, far_red)
    assert {(m, e, h) for s, m, e, h in stored(store) if s == red} == {
        (m, red_entry, 0) for m in GRANTED}
    black = g.firm("失信公司")
    since = dt.datetime.now(dt.UTC)
    g.link(rep, "LEGAL_REP_OF", black)
    entry = g.list(black, "失信被执行人")
    report = propagate(store, RULES, ON, changed_since=since)
    assert report.mode == "incremental"
    assert measures_of(store, red) == {"暂停守信联合激励"}
    assert measures_of(store, far_red) == GRANTED  # untouched
    incremental = stored(store)
    full = propagate(store, RULES, ON)
    assert (full.created, full.updated, full.removed) == (0, 0, 0) and stored(store) == incremental
    since = dt.datetime.now(dt.UTC)
    store.merge_nodes("ListEntry", [{
        "entry_id": entry, "list_kind": "black", "list_type": "失信被执行人",
        "authority": "杭州市中级人民法院", "start_date": LISTED, "status": "repaired",
        "status_date": dt.date(2024, 1, 1), "updated_at": dt.datetime.now(dt.UTC)}])
    propagate(store, RULES, ON, changed_since=since)
    assert measures_of(store, red) == GRANTED
    incremental = stored(store)
    full = propagate(store, RULES, ON)
    assert (full.created, full.updated, full.removed) == (0, 0, 0) and stored(store) == incremental
    # a new red entry of a subject already granted: still one grant per measure, from the
    # earliest entry, incrementally as in a full run
    since = dt.datetime.now(dt.UTC)
    g.list(red, "诚信纳税", kind="red", start=dt.date(2023, 6, 1))
    propagate(store, RULES, ON, changed_since=since)
    assert {(m, e) for s, m, e, _ in stored(store) if s == red} == {
        (m, red_entry) for m in GRANTED}


def test_propagation_is_idempotent_and_incremental_matches_a_full_run(store, monkeypatch):
    import gc

    from creditgraph.propagation import service

    collecting: list[bool] = []  # the cyclic collector, as each run computes
    compute = service.compute
    monkeypatch.setattr(service, "compute", lambda *args, **kwargs: collecting.append(
        gc.isenabled()) or compute(*args, **kwargs))
    g = Graph(store)
    firm, rep = g.firm("增量公司"), g.person("郑法人")
    g.link(rep, "LEGAL_REP_OF", firm)
    g.list(firm, "失信被执行人")
    g.list(g.firm("无关公司"), "交通文明")
    first = propagate(store, RULES, ON)
    again = propagate(store, RULES, ON)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == first.sanctions
    since = dt.datetime.now(dt.UTC)
    newcomer = g.person("新高管")
    g.link(newcomer, "EXECUTIVE_OF", firm, role="副总经理")
    other = g.firm("新失信公司")
    g.list(other, "消防安全")
    report = propagate(store, RULES, ON, changed_since=since)
    assert report.mode == "incremental" and report.created == 1 + 3
    assert report.removed == 0
    assert measures_of(store, newcomer) == {"限制高消费"}
    # a new red entry near the black-listed firm: its incentives are withheld incrementally
    since = dt.datetime.now(dt.UTC)
    red_firm = g.firm("新红名单公司")
    g.link(rep, "LEGAL_REP_OF", red_firm)
    g.list(red_firm, "守合同重信用", kind="red")
    report = propagate(store, RULES, ON, changed_since=since)
    assert measures_of(store, red_firm) == {"暂停守信联合激励"} and report.created == 1
    incremental = stored(store)
    full = propagate(store, RULES, ON)
    assert (full.created, full.updated, full.removed) == (0, 0, 0)
    assert stored(store) == incremental
    # held off for the incremental runs a load waits for (graph/gc_pause.py), given back after
    assert collecting == [True, True, False, False, True] and gc.isenabled()


def test_changed_relations_name_both_ends_of_every_control_type_and_label_pair(store):
    """The relations an incremental run starts from, one of each kind the schema allows, with
    each end's label and key (the embedded form tells a label by the key an end has)."""
    from creditgraph.graph.predicates import CONTROL_RELATIONS
    from creditgraph.queries.library import run

    since = dt.datetime.now(dt.UTC)
    expected = []
    for n, rel in enumerate(CONTROL_RELATIONS):
        for source, target in store.schema.relationship(rel).endpoints:
            a, b = f"{source}-{n}-a", f"{target}-{n}-b"  # each relation its own two ends
            for label, key in ((source, a), (target, b)):
                store.merge_nodes(label, [{store.schema.node(label).key: key, "name": key}])
            store.merge_relationships(rel, source, target, [{
                "src_key": a, "dst_key": b, "updated_at": dt.datetime.now(dt.UTC)}])
            expected.append((source, a, target, b))
    found = sorted((r["a_label"], r["a"], r["b_label"], r["b"])
                   for r in run(store, "changed-relations", since=since))
    assert found == sorted(expected)
    assert len(expected) == sum(len(store.schema.relationship(r).endpoints)
                                for r in CONTROL_RELATIONS)
    assert run(store, "changed-relations", since=dt.datetime.now(dt.UTC)) == []


def test_engine_agrees_with_a_brute_force_walk(store):
    """An independent walk: every simple path from each listed subject, kept when each step is
    allowed by the rule at that depth; the shortest per subject."""
    g = Graph(store)
    firms = [g.firm(f"公司{i}") for i in range(6)]
    people = [g.person(f"人{i}") for i in range(5)]
    edges = [(people[0], "LEGAL_REP_OF", firms[0], None), (people[0], "LEGAL_REP_OF", firms[1], None),
             (people[1], "EXECUTIVE_OF", firms[0], None), (people[2], "SHAREHOLDER_OF", firms[0], 0.3),
             (firms[2], "SHAREHOLDER_OF", firms[0], 0.5), (people[3], "SHAREHOLDER_OF", firms[2], 0.26),
             (people[4], "SHAREHOLDER_OF", firms[2], 0.2), (firms[0], "SHAREHOLDER_OF", firms[2], 0.3),
             (people[1], "LEGAL_REP_OF", firms[3], None), (firms[4], "BRANCH_OF", firms[3], None),
             (people[2], "ACTUAL_CONTROLLER_OF", firms[5], None), (people[3], "RELATIVE_OF", people[4], None)]
    for a, rel, b, ratio in edges:
        g.link(a, rel, b, **({"ratio": ratio} if ratio is not None else {}))
    entries = {g.list(firms[0], "失信被执行人"): firms[0], g.list(firms[0], "重大税收违法"): firms[0],
               g.list(firms[3], "严重违法失信企业"): firms[3], g.list(people[1], "失信被执行人"): people[1],
               g.list(firms[3], "安全生产"): firms[3]}
    types = {g_entry: t for g_entry, t in zip(entries, ["失信被执行人", "重大税收违法", "严重违法失信企业",
                                                       "失信被执行人", "安全生产"], strict=True)}
    propagate(store, RULES, ON)

    def walks(origin: str, reach) -> dict[str, int]:  # type: ignore[no-untyped-def]
        best: dict[str, int] = {}

        def go(node: str, depth: int, seen: list[str]) -> None:
            for a, rel, b, ratio in edges:
                for here, there, outgoing in ((a, b, True), (b, a, False)):
                    if here != node or there in seen:
                        continue
                    allowed = reach.allowed(depth)
                    if not any(s.type == rel and (s.direction == "both" or
                                                  (s.direction == "out") == outgoing)
                               for s in allowed):
                        continue
                    if rel == "SHAREHOLDER_OF" and reach.min_ratio is not None and (
                            ratio is None or ratio < reach.min_ratio):
                        continue
                    if not reach.steps or depth + 1 == len(reach.steps):
                        best[there] = min(best.get(there, 99), depth + 1)
                    go(there, depth + 1, [*seen, there])

        go(origin, 0, [origin])
        return best

    expected = set()
    for entry, subject in entries.items():
        for rule in RULES.for_entry(types[entry], subject.split(":")[0]):
            targets = {subject: 0} if rule.self_applies else {}
            for node, hops in walks(subject, rule.reach).items():
                if node != subject:
                    targets[node] = min(hops, targets.get(node, 99))
            for node, hops in targets.items():
                expected |= {(node, m, entry, hops) for m in rule.measures}
    assert len(expected) >= 30
    assert {s for s in stored(store) if s[1] != "暂停守信联合激励"} == expected


def test_cli_propagate_sanctions_and_explain(run_cli, backend_env):
    with open_store(Settings.from_env(backend_env)) as store:
        g = Graph(store)
        firm, rep = g.firm("命令行公司"), g.person("冯法人")
        g.link(rep, "LEGAL_REP_OF", firm)
        entry = g.list(firm, "失信被执行人", reason="拒不履行")
    uscc, day = firm.split(":")[1], ON.isoformat()
    out = run_cli("propagate", "--as-of", day, "--format", "json", env=backend_env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["created"] == 7
    out = run_cli("sanctions", "--subject", uscc, "--as-of", day, "-f", "json", env=backend_env)
    rows = json.loads(out.stdout)
    assert {r["measure"] for r in rows} >= {"限制政府采购", "限制高消费"}
    assert all(r["entry_id"] == entry and r["basis"] for r in rows)
    out = run_cli("sanctions", "--measure", "限制高消费", "--as-of", day, "-f", "csv",
                  env=backend_env)
    assert out.stdout.count("\n") == 3 and "冯法人" in out.stdout
    out = run_cli("explain", "--subject", uscc, "--measure", "限制政府采购", "--as-of", day,
                  env=backend_env)
    assert out.returncode == 0 and "拒不履行" in out.stdout and "政府采购法" in out.stdout
    out = run_cli("explain", "--subject", uscc, "--measure", "限制出境", "--as-of", day,
                  env=backend_env)
    assert out.returncode == 1 and "does not apply" in out.stdout


# -- rule files -----------------------------------------------------------------------------------


def write_rules(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    import yaml

    raw = yaml.safe_load(RULES.path.read_text(encoding="utf-8"))
    edit(raw)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda r: r["rules"][0].update(list_type="不存在名单"), r"rules\[0\] \(court-debtor-unit-consumption\)\.list_type: unknown list type '不存在名单'"),
    (lambda r: r["rules"][0]["reach"]["relations"][0].update(type="FRIEND_OF"), r"reach\.relations\[0\]\.type: unknown relationship type 'FRIEND_OF'"),
    (lambda r: r["rules"][1]["measures"].append("没收财产"), r"measures\[5\]: unknown measure '没收财产'"),
    (lambda r: r["rules"][0]["reach"]["relations"][0].update(direction="up"), r"direction: must be in, out or both"),
    (lambda r: r["rules"][0]["reach"].update(max_hops=9), r"max_hops: must be a whole number 1-4"),
    (lambda r: r["rules"][0]["reach"].update(min_ratio=0.3), r"min_ratio: only applies to SHAREHOLDER_OF"),
    (lambda r: r["rules"][8]["reach"].update(min_ratio=1.5), r"min_ratio: must be in \[0.0, 1.0\]"),
    (lambda r: r["rules"][2].update(self=False), r"applies to nobody"),
    (lambda r: r["rules"][3].update(id="court-debtor-person"), r"id: used by an earlier rule"),
    (lambda r: r["measures"]["限制高消费"].pop("basis"), r"measures\.限制高消费\.basis: must be non-empty text"),
    (lambda r: r.update(extra=1), r"\(top\)\.extra: unknown key"),
    (lambda r: r["english"].update({"没收财产": "Confiscation"}), r"english\.没收财产: not a measure of this file"),
    (lambda r: r["english"].update({"限制出境": ""}), r"english\.限制出境: must be non-empty text"),
    (lambda r: r["english"].update({"限制出境": "No public funding"}), r"english\.限制财政资金支持: the same English name as 限制出境|english\.限制出境: the same English name"),
])
def test_bad_rule_files_are_refused_naming_the_key(tmp_path, edit, message):
    path = write_rules(tmp_path, edit)
    with pytest.raises(RulesError, match=message) as caught:
        load_rules(path)
    assert str(path) in str(caught.value) and "nothing applied" in str(caught.value)


def test_every_measure_has_an_english_name_for_the_english_pages(tmp_path):
    assert load_rules(write_rules(tmp_path, lambda r: r.update(english=None))).english == {}
    rules = load_rules()
    named = set(rules.english)
    assert set(rules.measures) <= named and set(rules.incentives.measures) <= named
    assert rules.measure_name("限制政府采购", english=True) == "Barred from government procurement"
    assert rules.measure_name("限制政府采购", english=False) == "限制政府采购"
    assert rules.measure_name("未列入的措施", english=True) == "未列入的措施"


def test_malformed_rule_yaml_names_the_line_and_the_cli_refuses_it(tmp_path, run_cli):
    path = tmp_path / "rules.yaml"
    path.write_text("measures:\n  a: [\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"rules.yaml: line 3 not valid YAML"):
        load_rules(path)
    out = run_cli("rules", "check", "--rules", str(path))
    assert out.returncode == 2 and "not valid YAML" in out.stderr
    out = run_cli("rules", "check", "-f", "json")
    assert out.returncode == 0 and len(json.loads(out.stdout)) == len(RULES.rules)



def test_a_reload_that_changes_the_legal_rep_moves_the_measure(store, tmp_path):
    """End to end through the loader: the relation a new export no longer lists is ended, the
    new one added, and the incremental run after the load moves 限制高消费 accordingly."""
    import shutil

    from creditgraph.graph.identifiers import person_key
    from creditgraph.loaders.pipeline import LoadOptions, load_directory
    from creditgraph.loaders.spec import load_spec
    from creditgraph.loaders.writers import StoreWriter

    secret = SECRET
    sample = ROOT / "seed" / "sample"
    wang = f"Person:{person_key('330105198207053514', secret)}"
    zhang = f"Person:{person_key('330106197003121230', secret)}"
    # a reload ends a relation on the day it runs, so ask for the day after; the entry is
    # kept in force past it whatever the date the test runs on
    day = dt.date.today() + dt.timedelta(days=1)
    data = tmp_path / "data"
    shutil.copytree(sample, data)
    entries = data / "list_entries.csv"
    entries.write_text(entries.read_text(encoding="utf-8").replace(
        "2016-06-01,2026-12-31", "2016-06-01,2099-12-31"), encoding="utf-8")

    def load(directory: Path) -> dt.datetime:
        report = load_directory(directory, StoreWriter(store), store.schema, load_spec(), secret,
                                tmp_path / "report",
                                LoadOptions(source="registry", allow_mass_end=True))
        return dt.datetime.fromisoformat(report.started_at)

    load(data)
    propagate(store, RULES, day)
    assert "限制高消费" in measures_of(store, wang) and not measures_of(store, zhang)
    changed = tmp_path / "changed"
    shutil.copytree(data, changed)
    firms = changed / "enterprises.csv"
    firms.write_text(firms.read_text(encoding="utf-8").replace(
        "330105198207053514,王强", "330106197003121230,张伟"), encoding="utf-8")
    report = propagate(store, RULES, day, changed_since=load(changed))
    assert report.mode == "incremental" and report.removed >= 1 and report.created >= 1
    assert "限制高消费" not in measures_of(store, wang)
    assert measures_of(store, zhang) == {"限制高消费"}
    incremental = stored(store)
    full = propagate(store, RULES, day)
    assert (full.created, full.updated, full.removed) == (0, 0, 0) and stored(store) == incremental


def test_load_runs_propagation_for_what_it_touched(run_cli, backend_env, tmp_path):
    sample = ROOT / "seed" / "sample"
    env = {**backend_env, "CREDITGRAPH_ID_KEY": ID_KEY}
    out = run_cli("load", str(sample), "--report-dir", str(tmp_path / "r"), "-f", "json",
                  env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["propagation"]["mode"] == "incremental"
    out = run_cli("load", str(sample), "--report-dir", str(tmp_path / "r"), "-f", "json",
                  "--no-propagate", env=env)
    assert "propagation" not in json.loads(out.stdout)


def test_a_propagation_that_dies_at_any_write_is_completed_by_the_next_run(store, monkeypatch):
    """The process dies after its k-th write, for every k: the next run finds what is
    unfinished and completes it, leaving what a clean run leaves."""
    g = Graph(store)
    for n in range(3):
        firm, rep = g.firm(f"中断公司{n}"), g.person(f"中断法人{n}")
        g.link(rep, "LEGAL_REP_OF", firm)
        g.list(firm, "失信被执行人")
    finished = ("MATCH (s:Sanction)-[:APPLIES_TO]->(t) MATCH (s)-[:DERIVED_FROM]->(l) "
                "RETURN s.sanction_id AS id, s.fingerprint AS f, t.name AS t, l.entry_id AS l "
                "ORDER BY id")
    writes = []
    original = store.write_all

    def counting(statements):  # type: ignore[no-untyped-def]
        writes.append(len(statements))
        return original(statements)

    monkeypatch.setattr(store, "write_all", counting)
    propagate(store, RULES, ON)
    clean = store.read(finished)
    assert len(clean) == 21 and len(writes) >= 4
    for dies_after in range(len(writes)):
        store.write("MATCH (s:Sanction) DETACH DELETE s")
        done: list[int] = []

        def dying(statements, limit=dies_after, done=done):  # type: ignore[no-untyped-def]
            if len(done) == limit:
                raise RuntimeError("killed")
            done.append(1)
            return original(statements)

        monkeypatch.setattr(store, "write_all", dying)
        with pytest.raises(RuntimeError, match="killed"):
            propagate(store, RULES, ON)
        monkeypatch.setattr(store, "write_all", original)
        propagate(store, RULES, ON)
        assert store.read(finished) == clean, dies_after
        again = propagate(store, RULES, ON)
        assert (again.created, again.updated, again.removed) == (0, 0, 0)
