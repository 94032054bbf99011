"""Watches, alert rules and cases (alerts/) on both backends, on seed data: each shipped rule
fires on its planted case and not on a control; the same evidence never raises a second alert;
changed evidence reopens a dismissed case with the difference; roles decide who may do what,
and every change is in the case's history and the audit log; a bad rule file is refused whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from creditgraph.access.users import User, add_user
from creditgraph.alerts import cases as case_store
from creditgraph.alerts import changes
from creditgraph.alerts.changes import department_key
from creditgraph.alerts.evaluate import EVALUATORS, READS, Hit, evaluate
from creditgraph.alerts.notify import notify, owners_by_subject
from creditgraph.alerts.rules import DEFAULT_RULES, AlertRulesError, load_alert_rules
from creditgraph.alerts.service import run_alerts
from creditgraph.alerts.watches import WatchError, add_watches, list_watches, remove_watches
from creditgraph.graph.identifiers import person_key
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.traversal import AnyOf, Listed, Sanctioned, shortest_distances_from
from creditgraph.propagation.rules import load_rules
from creditgraph.propagation.service import propagate
from creditgraph.queries.subjects import Subject, resolve
from tests.conftest import load_seed
from tests.shared import SECRET, planted_cases

AS_OF = dt.date(2026, 11, 1)
RULES = load_alert_rules(DEFAULT_RULES)
USERS = {name: User(name, role, "") for name, role in (
    ("viewer1", "viewer"), ("inv1", "investigator"), ("inv2", "investigator"),
    ("boss", "supervisor"))}


SEED = {"enterprises": 400, "seed": 23}  # the module's data set (conftest.py: seed_dir)


@pytest.fixture
def seeded(store, seed_dir, tmp_path, fresh_audit_log):
    return load_seed(store, seed_dir, tmp_path / "rejects", SECRET, AS_OF)


def cases_of(seed_dir) -> dict[str, dict]:
    return planted_cases(seed_dir)


def subjects(hits: list[Hit], rule: str) -> dict[str, Hit]:
    return {hit.key: hit for hit in hits if hit.rule == rule}


def watch(store, codes: list[str]) -> None:
    add_watches(store, [resolve(store, code, SECRET) for code in codes], "inv1", USERS,
                USERS["inv1"])


def test_each_rule_fires_on_its_planted_case_and_not_on_a_control(seeded, seed_dir):
    case = cases_of(seed_dir)
    near, clean = case["repaired_versus_active"], case["red_incentive_granted"]["subject"]
    quiet = case["shared_address_cluster"]["subjects"][0]  # no record, nobody listed near
    watch(seeded, [near["subject"], near["active_firm"], clean, quiet])
    hits = evaluate(seeded, RULES, case_store.watched(seeded), AS_OF).hits
    found = subjects(hits, "near_black")
    assert set(found) == {near["subject"]}  # the active firm has none of its own near it
    assert any(near["active_entry"] in item for item in found[near["subject"]].items)
    assert not any(near["repaired_entry"] in item for item in found[near["subject"]].items)
    assert found[near["subject"]].words  # the path in words
    own = subjects(hits, "own_record")
    assert near["active_firm"] in own and clean in own and quiet not in own
    assert any(near["active_entry"] in item for item in own[near["active_firm"]].items)
    breach = case["commitment_breach"]
    assert any(breach["penalty"] in i for i in subjects(hits, "commitment_breach")[
        breach["subject"]].items)
    assert quiet not in subjects(hits, "commitment_breach")
    conflict = subjects(hits, "red_black_conflict")
    assert case["red_black_conflict"]["red"] in conflict and clean not in conflict
    servants = subjects(hits, "civil_servant_finding")
    for planted in ("civil_servant_for_profit", "civil_servant_conflict_of_interest"):
        assert person_key(case[planted]["person_id"], SECRET) in servants
    assert any("利益冲突" in item for item in servants[person_key(
        case["civil_servant_conflict_of_interest"]["person_id"], SECRET)].items)
    late = case["late_publication"]
    late_items = [item for hit in subjects(hits, "late_publication").values()
                  for item in hit.items]
    assert any(late["late"] in item for item in late_items)
    assert not any(late["on_time"] + " " in item for item in late_items)
    phoenix = subjects(hits, "phoenix_firm")
    ph = phoenix[person_key(case["phoenix_firms"]["person_id"], SECRET)]
    assert all(any(firm in item for item in ph.items) for firm in case["phoenix_firms"][
        "phoenix_firms"])
    assert person_key(near["via_id"], SECRET) not in phoenix
    # no document number in any evidence
    text = json.dumps([[h.items, h.words] for h in hits], ensure_ascii=False)
    assert case["phoenix_firms"]["person_id"] not in text and near["via_id"] not in text


def test_the_same_evidence_is_raised_once_and_changed_evidence_reopens(seeded, seed_dir):
    near = cases_of(seed_dir)["repaired_versus_active"]
    watch(seeded, [near["subject"]])
    first = case_store.record_hits(seeded, RULES, evaluate(
        seeded, RULES, case_store.watched(seeded), AS_OF), AS_OF)
    assert first.opened == first.new_alerts == first.hits > 0
    again = case_store.record_hits(seeded, RULES, evaluate(
        seeded, RULES, case_store.watched(seeded), AS_OF), AS_OF)
    assert (again.new_alerts, again.opened, again.unchanged) == (0, 0, first.hits)
    case_id = case_store.case_id_of("near_black", "Enterprise", near["subject"])
    case_store.set_status(seeded, USERS["boss"], case_id, "dismissed", "known, not relevant")
    # a second black entry comes within reach: the dismissed case reopens, showing it
    seeded.merge_nodes("ListEntry", [{
        "entry_id": "HZ-B-TEST-1", "list_kind": "black", "list_type": "失信被执行人",
        "authority": "杭州市中级人民法院", "start_date": dt.date(2026, 6, 1),
        "status": "active", "updated_at": dt.datetime.now(dt.UTC)}])
    seeded.merge_relationships("LISTED", "ListEntry", "Enterprise", [
        {"src_key": "HZ-B-TEST-1", "dst_key": near["repaired_firm"]}])
    third = case_store.record_hits(seeded, RULES, evaluate(
        seeded, RULES, case_store.watched(seeded), AS_OF, only=["near_black"]), AS_OF)
    assert third.reopened == 1 and third.cases == [case_id]
    shown = case_store.show_case(seeded, USERS["inv1"], case_id)
    assert shown["status"] == "open" and shown["alerts"] == 2
    assert [e["action"] for e in shown["history"]] == ["opened", "status", "reopened"]
    reopened = shown["history"][-1]["detail"]
    assert any("HZ-B-TEST-1" in item for item in reopened["added"]) and not reopened["gone"]
    assert reopened["status"] == ["dismissed", "open"]
    assert len(shown["alerts_raised"]) == 2


def test_roles_decide_who_may_do_what_and_everything_is_recorded(seeded, seed_dir,
                                                                 fresh_audit_log):
    case_store.record_hits(seeded, RULES, evaluate(seeded, RULES, [], AS_OF,
                                                   only=["commitment_breach"]), AS_OF)
    case_id = case_store.list_cases(seeded, USERS["inv1"])[0]["case_id"]
    for nobody in (None, USERS["viewer1"]):
        with pytest.raises(case_store.CaseError):
            case_store.list_cases(seeded, nobody)
        with pytest.raises(case_store.CaseError):
            case_store.show_case(seeded, nobody, case_id)
    with pytest.raises(case_store.CaseError, match="needs the supervisor role"):
        case_store.assign(seeded, USERS["inv1"], [case_id], "inv1", USERS)
    with pytest.raises(case_store.CaseError, match="not an investigator"):
        case_store.assign(seeded, USERS["boss"], [case_id], "viewer1", USERS)
    case_store.assign(seeded, USERS["boss"], [case_id], "inv1", USERS)
    with pytest.raises(case_store.CaseError, match="assigned to inv1"):
        case_store.set_status(seeded, USERS["inv2"], case_id, "in_progress", "")
    case_store.set_status(seeded, USERS["inv1"], case_id, "in_progress", "")
    with pytest.raises(case_store.CaseError, match="needs the supervisor role"):
        case_store.set_status(seeded, USERS["inv1"], case_id, "confirmed", "yes")
    with pytest.raises(case_store.CaseError, match="needs a note"):
        case_store.set_status(seeded, USERS["boss"], case_id, "confirmed", " ")
    with pytest.raises(case_store.CaseError, match="cannot become"):
        case_store.set_status(seeded, USERS["boss"], case_id, "in_progress", "")
    case_store.comment(seeded, USERS["inv2"], case_id, "法人身份证 330106197003121230 已核实")
    case_store.set_status(seeded, USERS["boss"], case_id, "confirmed", "违背承诺属实")
    shown = case_store.show_case(seeded, USERS["inv2"], case_id)
    assert (shown["status"], shown["assignee"]) == ("confirmed", "inv1")
    assert [(e["actor"], e["action"]) for e in shown["history"]] == [
        ("system", "opened"), ("boss", "assigned"), ("inv1", "status"), ("inv2", "comment"),
        ("boss", "status")]
    note = shown["history"][3]["detail"]["text"]
    assert "330106197003121230" not in note and "已核实" in note
    records = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()]
    assert [(r["user"], r["action"]) for r in records if r["action"].startswith("case-")] == [
        ("boss", "case-assign"), ("inv1", "case-status"), ("inv2", "case-comment"),
        ("boss", "case-status")]
    mine = case_store.list_cases(seeded, USERS["inv1"], assignee="inv1")
    assert [c["case_id"] for c in mine] == [case_id]
    assert case_id not in {c["case_id"] for c in case_store.list_cases(
        seeded, USERS["inv1"], assignee="-")}


def test_watches_are_owned_by_investigators_and_removed_by_id(seeded, seed_dir):
    firm = cases_of(seed_dir)["repaired_versus_active"]["active_firm"]
    subject = resolve(seeded, firm, SECRET)
    for nobody in (None, USERS["viewer1"]):
        with pytest.raises(case_store.CaseError):
            add_watches(seeded, [subject], "inv1", USERS, nobody)
    with pytest.raises(WatchError, match="not an investigator"):
        add_watches(seeded, [subject], "viewer1", USERS, USERS["inv1"])
    with pytest.raises(WatchError, match="not an investigator"):
        add_watches(seeded, [subject], "nobody", USERS, USERS["inv1"])
    add_watches(seeded, [subject], "inv1", USERS, USERS["inv1"], hops=3,
                note="法人 330106197003121230 线索")
    add_watches(seeded, [subject], "inv2", USERS, USERS["inv2"])  # again: new owner, reach kept
    watches = list_watches(seeded)
    assert [(w["watch_id"], w["owner"], w["hops"], w["created_by"]) for w in watches] == [
        (f"Enterprise:{firm}", "inv2", 3, "inv2")]
    assert "330106197003121230" not in watches[0]["note"] and "线索" in watches[0]["note"]
    with pytest.raises(WatchError, match="nothing removed"):
        remove_watches(seeded, [f"Enterprise:{firm}", "Enterprise:nope"], USERS["inv2"])
    with pytest.raises(WatchError, match="only its owner or a supervisor"):
        remove_watches(seeded, [f"Enterprise:{firm}"], USERS["inv1"])
    remove_watches(seeded, [f"Enterprise:{firm}"], USERS["boss"])
    assert list_watches(seeded) == []
    assert Subject("Enterprise", firm, "").node_id == f"Enterprise:{firm}"


def test_a_run_killed_half_way_is_completed_once_and_civil_servant_cases_are_restricted(
        seeded, seed_dir, monkeypatch):
    hits = evaluate(seeded, RULES, [], AS_OF, only=["phoenix_firm", "civil_servant_finding"]
                    ).hits
    real = seeded._upsert_nodes

    def dies_at_the_alert(label, *args):  # type: ignore[no-untyped-def]
        if label == "Alert":
            raise RuntimeError("killed")
        return real(label, *args)

    # written batch by batch, as a run too large for one transaction is (a smaller one on
    # Neo4j is one transaction: killed, it leaves nothing)
    assert len(hits) > 1
    monkeypatch.setattr(seeded, "settings", dataclasses.replace(seeded.settings, batch_size=1))
    monkeypatch.setattr(seeded, "_upsert_nodes", dies_at_the_alert)
    with pytest.raises(RuntimeError):
        case_store.record_hits(seeded, RULES, hits, AS_OF)
    assert seeded.read("MATCH (c:InvestigationCase) RETURN count(c) AS n")[0]["n"] == len(
        {case_store.case_id_of(h.rule, h.label, h.key) for h in hits})
    monkeypatch.setattr(seeded, "_upsert_nodes", real)
    finished = case_store.record_hits(seeded, RULES, hits, AS_OF)
    # the cases and their events were written before the alerts: none opened twice
    assert finished.new_alerts == len(hits) and finished.opened == 0
    case_id = case_store.case_id_of(hits[0].rule, hits[0].label, hits[0].key)
    shown = case_store.show_case(seeded, USERS["boss"], case_id)
    assert [e["action"] for e in shown["history"]] == ["opened"]  # one event, not two
    assert len(shown["alerts_raised"]) == 1
    # civil-servant findings are supervisor material
    servant = next(h for h in hits if h.rule == "civil_servant_finding")
    servant_case = case_store.case_id_of(servant.rule, servant.label, servant.key)
    assert servant_case in {c["case_id"] for c in case_store.list_cases(seeded, USERS["boss"])}
    assert servant_case not in {c["case_id"] for c in case_store.list_cases(
        seeded, USERS["inv1"])}
    with pytest.raises(case_store.CaseError, match="no case"):
        case_store.show_case(seeded, USERS["inv1"], servant_case)
    # a note too long for the history changes nothing
    with pytest.raises(case_store.CaseError, match="at most"):
        case_store.set_status(seeded, USERS["boss"], case_id, "dismissed", "x" * 2001)
    assert case_store.show_case(seeded, USERS["boss"], case_id)["status"] == "open"
    # evidence that only went away is recorded, but does not reopen a dismissed case
    case_store.set_status(seeded, USERS["boss"], case_id, "dismissed", "核实无误")
    fewer = Hit(hits[0].rule, hits[0].label, hits[0].key, hits[0].name, hits[0].items[:-1])
    if len(hits[0].items) > 1:
        gone = case_store.record_hits(seeded, RULES, [fewer], AS_OF)
        assert (gone.reopened, gone.joined) == (0, 1)
        shown = case_store.show_case(seeded, USERS["boss"], case_id)
        assert shown["status"] == "dismissed"
        assert shown["history"][-1]["action"] == "evidence_changed"
        assert shown["history"][-1]["detail"]["gone"] == [hits[0].items[-1]]


@pytest.mark.parametrize(("change", "named"), [
    (lambda r: r["rules"]["near_black"].update(kind="nearby"), "rules.near_black.kind"),
    (lambda r: r["rules"]["near_black"].update(hops=9), "rules.near_black.hops"),
    (lambda r: r["rules"]["own_record"].update(scope="all"), "rules.own_record.scope"),
    (lambda r: r["rules"]["phoenix_firm"].pop("basis"), "rules.phoenix_firm.basis: missing"),
    (lambda r: r["rules"]["phoenix_firm"].update(colour="red"), "rules.phoenix_firm.colour"),
    (lambda r: r.update(extra=1), "extra: unknown key"),
])
def test_a_bad_rule_file_is_refused_whole_naming_file_and_key(tmp_path, change, named):
    rules = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    change(rules)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AlertRulesError) as refused:
        load_alert_rules(path)
    assert str(path) in str(refused.value) and named in str(refused.value)


def test_the_cli_watches_runs_alerts_and_works_cases(run_cli, backend_env, seed_dir, tmp_path,
                                                     fresh_audit_log):
    users = tmp_path / "users.json"
    add_user("inv1", "investigator", "password-of-inv1", users)
    add_user("boss", "supervisor", "password-of-boss", users)
    env = {**backend_env, "CREDITGRAPH_ID_KEY": SECRET.decode(), "CREDITGRAPH_USERS": str(users)}
    assert run_cli("init", env=env).returncode == 0
    loaded = run_cli("load", str(seed_dir), "-f", "json", env=env)
    assert loaded.returncode == 0, loaded.stderr
    after_load = json.loads(loaded.stdout)["alerts"]  # the rules run after the load: in full,
    assert after_load["mode"] == "full" and after_load["opened"] > 0  # no run before it
    bad = run_cli("alerts", "run", "--since", "yesterday", env=env)
    assert bad.returncode != 0 and "--since 'yesterday' is not a time" in bad.stderr
    firm = cases_of(seed_dir)["repaired_versus_active"]["subject"]
    anonymous = run_cli("watch", "add", "--subject", firm, "--owner", "inv1", env=env)
    assert anonymous.returncode != 0 and "CREDITGRAPH_USER" in anonymous.stderr
    as_inv = {**env, "CREDITGRAPH_USER": "inv1"}
    refused = run_cli("watch", "add", "--subject", firm, "--owner", "boss2", env=as_inv)
    assert refused.returncode != 0 and "not an investigator" in refused.stderr
    added = run_cli("watch", "add", "--subject", firm, "--owner", "inv1", env=as_inv)
    assert added.returncode == 0, added.stderr
    only = ("--rule", "near_black", "--rule", "own_record")  # the rules' work is tested above
    ran = run_cli("alerts", "run", "--as-of", AS_OF.isoformat(), *only, "-f", "json", env=env)
    assert ran.returncode == 0, ran.stderr
    first = json.loads(ran.stdout)
    assert first["opened"] == first["new_alerts"] > 0
    again = json.loads(run_cli("alerts", "run", "--as-of", AS_OF.isoformat(), *only, "-f",
                               "json", env=env).stdout)
    assert again["new_alerts"] == 0 and again["unchanged"] == first["hits"]
    later = json.loads(run_cli("alerts", "run", "--as-of", AS_OF.isoformat(), *only, "--since",
                               "2026-01-01T00:00:00+08:00", "-f", "json", env=env).stdout)
    assert later["mode"] == "incremental" and later["new_alerts"] == 0
    assert later["asked"] == {"near_black": 1, "own_record": 1}
    anonymous = run_cli("cases", "list", env=env)
    assert anonymous.returncode != 0 and "CREDITGRAPH_USER" in anonymous.stderr
    listed = json.loads(run_cli("cases", "list", "-f", "json", env=as_inv).stdout)
    case_id = case_store.case_id_of("near_black", "Enterprise", firm)
    assert case_id in {c["case_id"] for c in listed}
    assert run_cli("cases", "assign", case_id, "--to", "inv1", env=as_inv).returncode != 0
    done = run_cli("cases", "assign", case_id, "--to", "inv1",
                   env={**env, "CREDITGRAPH_USER": "boss"})
    assert done.returncode == 0, done.stderr
    moved = run_cli("cases", "status", case_id, "--to", "in_progress", env=as_inv)
    assert moved.returncode == 0, moved.stderr
    shown = json.loads(run_cli("cases", "show", case_id, "-f", "json", env=as_inv).stdout)
    assert (shown["status"], shown["assignee"]) == ("in_progress", "inv1")
    assert [e["action"] for e in shown["history"]] == ["opened", "assigned", "status"]
    mine = json.loads(run_cli("cases", "list", "--mine", "-f", "json", env=as_inv).stdout)
    assert [c["case_id"] for c in mine] == [case_id]


def test_new_alerts_are_posted_to_the_watch_owners_webhooks(seeded, seed_dir, fresh_audit_log):
    """A local receiver that refuses the first POST and takes the retry; an owner whose
    receiver is down is recorded in the audit log (host only), and the run goes on."""
    received: list[dict] = []
    calls = {"n": 0}

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            calls["n"] += 1
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if calls["n"] == 1:
                self.send_response(503)
            else:
                received.append(json.loads(body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        near = cases_of(seed_dir)["repaired_versus_active"]
        people = {**USERS,
                  "inv1": User("inv1", "investigator", "",
                               f"http://127.0.0.1:{server.server_address[1]}/hook?token=s3cr3t"),
                  "inv2": User("inv2", "investigator", "", "http://127.0.0.1:9/closed")}
        add_watches(seeded, [resolve(seeded, near["subject"], SECRET)], "inv1", people,
                    people["inv1"])
        add_watches(seeded, [resolve(seeded, near["active_firm"], SECRET)], "inv2", people,
                    people["inv2"])
        report = case_store.record_hits(seeded, RULES, evaluate(
            seeded, RULES, case_store.watched(seeded), AS_OF, only=["near_black",
                                                                   "own_record"]), AS_OF)
        delivery = notify(report.notices, owners_by_subject(list_watches(seeded)), people,
                          pause=0.01)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    mine = [n for n in report.notices if n["subject"] == f"Enterprise:{near['subject']}"]
    theirs = [n for n in report.notices if n["subject"] == f"Enterprise:{near['active_firm']}"]
    assert mine and theirs
    assert (delivery.sent, delivery.failed) == (len(mine), len(theirs))
    assert sorted(r["case_id"] for r in received) == sorted(n["case_id"] for n in mine)
    assert all(r["owner"] == "inv1" and r["added"] for r in received)
    failures = [json.loads(line) for line in fresh_audit_log.read_text().splitlines()
                if '"alert-notify-failed"' in line]
    assert len(failures) == len(theirs)
    assert failures[0]["details"]["host"] == "127.0.0.1"
    assert "s3cr3t" not in fresh_audit_log.read_text()


def _list(store, entry_id: str, firm: str, end: dt.date | None = None) -> None:
    """A black entry on a firm, written now (what a load of a list feed does)."""
    store.merge_nodes("ListEntry", [{
        "entry_id": entry_id, "list_kind": "black", "list_type": "失信被执行人",
        "authority": "杭州市中级人民法院", "start_date": dt.date(2026, 6, 1), "end_date": end,
        "status": "active", "updated_at": dt.datetime.now(dt.UTC)}])
    store.merge_relationships("LISTED", "ListEntry", "Enterprise", [
        {"src_key": entry_id, "dst_key": firm, "updated_at": dt.datetime.now(dt.UTC)}])


def _settled(store) -> dict:
    """A full run on top: it must find nothing the incremental runs missed."""
    done = run_alerts(store, AS_OF).report
    return {k: getattr(done, k) for k in ("new_alerts", "opened", "joined", "reopened",
                                          "cleared", "recurred")}


def test_incremental_runs_find_what_a_full_run_finds_and_record_evidence_gone(
        seeded, seed_dir, fresh_audit_log):
    case = cases_of(seed_dir)
    near = case["repaired_versus_active"]
    quiet = case["shared_address_cluster"]["subjects"]  # nothing of their own, nobody near
    far = case["phoenix_firms"]["phoenix_firms"][0]
    watch(seeded, [near["subject"], *quiet[:3]])
    first = run_alerts(seeded, AS_OF)
    assert first.mode == "full" and first.report.opened > 0
    # 1. a black entry near one watched subject, one on a watched subject, one far from all
    since = dt.datetime.now(dt.UTC)
    _list(seeded, "HZ-B-INC-1", near["repaired_firm"])
    _list(seeded, "HZ-B-INC-2", quiet[0])
    _list(seeded, "HZ-B-INC-3", far)
    moved = propagate(seeded, load_rules(), AS_OF, changed_since=since)
    step = run_alerts(seeded, AS_OF, since, moved.touched)
    assert step.mode == "incremental" and step.report.new_alerts >= 2
    assert step.asked["near_black"] < len(case_store.watched(seeded))  # not every watch
    own = case_store.case_id_of("own_record", "Enterprise", quiet[0])
    assert own in step.report.cases
    assert _settled(seeded) == dict.fromkeys(("new_alerts", "opened", "joined", "reopened",
                                              "cleared", "recurred"), 0)
    # 2. the entry on the watched subject ends (written so): its case records evidence gone
    since = dt.datetime.now(dt.UTC)
    _list(seeded, "HZ-B-INC-2", quiet[0], end=dt.date(2026, 10, 1))
    moved = propagate(seeded, load_rules(), AS_OF, changed_since=since)
    step = run_alerts(seeded, AS_OF, since, moved.touched)
    assert step.report.cleared == 1 and step.report.new_alerts == 0
    shown = case_store.show_case(seeded, USERS["inv1"], own)
    assert shown["evidence"]["items"] == [] and shown["history"][-1]["action"] == (
        "evidence_gone")
    assert any("HZ-B-INC-2" in item for item in shown["history"][-1]["detail"]["gone"])
    assert _settled(seeded)["cleared"] == 0
    # 3. it comes back as it was (the end moved on): recorded, not raised a second time
    since = dt.datetime.now(dt.UTC)
    _list(seeded, "HZ-B-INC-2", quiet[0], end=dt.date(2027, 6, 1))
    moved = propagate(seeded, load_rules(), AS_OF, changed_since=since)
    step = run_alerts(seeded, AS_OF, since, moved.touched)
    assert (step.report.recurred, step.report.new_alerts) == (1, 0)
    assert case_store.show_case(seeded, USERS["inv1"], own)["evidence"]["items"]
    assert _settled(seeded) == dict.fromkeys(("new_alerts", "opened", "joined", "reopened",
                                              "cleared", "recurred"), 0)
    # 4. a write no alert run saw (a load --no-alerts) and a new watch: the next incremental
    #    run starts from the last complete run, not from the time it is given
    _list(seeded, "HZ-B-INC-4", quiet[1])
    watch(seeded, [near["active_firm"]])
    step = run_alerts(seeded, AS_OF, dt.datetime.now(dt.UTC))
    assert step.mode == "incremental"
    assert {case_store.case_id_of("own_record", "Enterprise", firm)
            for firm in (quiet[1], near["active_firm"])} <= set(step.report.cases)
    assert _settled(seeded) == dict.fromkeys(("new_alerts", "opened", "joined", "reopened",
                                              "cleared", "recurred"), 0)
    # 5. a whole-graph rule asked about some subjects: the black entry of the planted red/black
    #    conflict ends, and the red firm's case (read by its id) records its evidence gone
    conflict = case["red_black_conflict"]
    red = case_store.case_id_of("red_black_conflict", "Enterprise", conflict["red"])
    assert case_store.show_case(seeded, USERS["inv1"], red)["evidence"]["items"]
    since = dt.datetime.now(dt.UTC)
    stored = seeded.read(  # the entry as planted, its end written (as a list feed writes it)
        "MATCH (l:ListEntry {entry_id: $id}) RETURN l.list_kind AS list_kind, "
        "l.list_type AS list_type, l.authority AS authority, l.start_date AS start_date",
        {"id": conflict["black_entry"]})
    assert len(stored) == 1
    seeded.merge_nodes("ListEntry", [{**stored[0], "entry_id": conflict["black_entry"],
                                      "end_date": dt.date(2026, 10, 1), "updated_at": since}])
    moved = propagate(seeded, load_rules(), AS_OF, changed_since=since)
    step = run_alerts(seeded, AS_OF, since, moved.touched)
    assert step.mode == "incremental" and step.report.cleared >= 1
    shown = case_store.show_case(seeded, USERS["inv1"], red)
    assert shown["evidence"]["items"] == [] and shown["history"][-1]["action"] == (
        "evidence_gone")
    assert _settled(seeded)["cleared"] == 0


def test_a_rule_is_asked_only_about_changes_in_what_it_reads(seeded, seed_dir):
    """A new black entry changes nothing a civil servant's finding or a commitment breach
    reads: those rules are asked about nobody. A post, or a penalty on a committed matter, is
    what they read: they are asked, and find it. A full run on top finds nothing missed."""
    case = cases_of(seed_dir)
    run_alerts(seeded, AS_OF)  # complete: the incremental runs start here
    # 1. a black entry (and the measures it propagates)
    since = dt.datetime.now(dt.UTC)
    _list(seeded, "HZ-B-READS-1", case["phoenix_firms"]["phoenix_firms"][0])
    moved = propagate(seeded, load_rules(), AS_OF, changed_since=since)
    step = run_alerts(seeded, AS_OF, since, moved.touched)
    assert step.mode == "incremental" and step.changed >= 1
    assert step.asked["civil_servant_finding"] == 0 and step.asked["commitment_breach"] == 0
    assert step.asked["red_black_conflict"] >= 1 and step.asked["phoenix_firm"] >= 1
    assert _settled(seeded) == dict.fromkeys(("new_alerts", "opened", "joined", "reopened",
                                              "cleared", "recurred"), 0)
    # 2. a civil servant takes a post in one more firm (a relation, written now)
    servant = seeded.read("MATCH (p:Person)-[:SERVES_IN]->(:Department) RETURN p.pid AS key "
                          "ORDER BY key LIMIT 1")[0]["key"]
    theirs = {row["key"] for row in seeded.read(
        "MATCH (p:Person)-[]->(e:Enterprise) WHERE p.pid = $key RETURN e.uscc AS key",
        {"key": servant})}
    firm = next(row["key"] for row in seeded.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key") if row["key"] not in theirs)
    since = dt.datetime.now(dt.UTC)
    seeded.merge_relationships("EXECUTIVE_OF", "Person", "Enterprise", [
        {"src_key": servant, "dst_key": firm, "start_date": dt.date(2020, 1, 1),
         "updated_at": dt.datetime.now(dt.UTC)}])
    step = run_alerts(seeded, AS_OF, since)
    assert step.asked["civil_servant_finding"] >= 1
    assert case_store.case_id_of("civil_servant_finding", "Person", servant) in step.report.cases
    assert step.asked["commitment_breach"] == 0
    assert _settled(seeded)["new_alerts"] == 0
    # 3. a penalty on the matter a firm committed to, decided after the commitment
    committed = seeded.read(
        "MATCH (s:Enterprise)-[:COMMITTED]->(c:Commitment) RETURN s.uscc AS firm, "
        "c.matter AS matter, c.commit_date AS day ORDER BY firm, c.commitment_id LIMIT 1")[0]
    since = dt.datetime.now(dt.UTC)
    seeded.merge_nodes("Penalty", [{
        "penalty_id": "P-READS-1", "decision_no": "罚〔2026〕READS号", "authority": "某部门",
        "violation_type": committed["matter"], "decision_date": AS_OF - dt.timedelta(days=3),
        "updated_at": dt.datetime.now(dt.UTC)}])
    seeded.merge_relationships("PENALIZED", "Penalty", "Enterprise", [
        {"src_key": "P-READS-1", "dst_key": committed["firm"],
         "updated_at": dt.datetime.now(dt.UTC)}])
    step = run_alerts(seeded, AS_OF, since)
    assert step.asked["commitment_breach"] >= 1 and step.asked["phoenix_firm"] == 0
    assert case_store.case_id_of("commitment_breach", "Enterprise", committed["firm"]) in (
        step.report.cases)
    assert _settled(seeded) == dict.fromkeys(("new_alerts", "opened", "joined", "reopened",
                                              "cleared", "recurred"), 0)


def test_every_rule_reads_changes_the_change_queries_name():
    """A misspelt source in READS would drop those changes without a word."""
    assert set(READS) == set(EVALUATORS)
    assert set().union(*READS.values()) <= set(changes.SOURCES)


def test_a_subject_watched_anew_is_asked_by_a_rule_narrowed_to_watched_subjects(
        seeded, seed_dir, tmp_path):
    """A city may narrow a whole-graph rule to the watched subjects: the firm that breached a
    commitment raises nothing while unwatched, and the incremental run after the watch is
    added raises it (a watch is what that rule's answer changed by)."""
    text = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    text["rules"]["commitment_breach"]["scope"] = "watched"
    path = tmp_path / "alert-rules.yaml"
    path.write_text(yaml.safe_dump(text, allow_unicode=True), encoding="utf-8")
    rules = load_alert_rules(path)
    firm = cases_of(seed_dir)["commitment_breach"]["subject"]
    case_id = case_store.case_id_of("commitment_breach", "Enterprise", firm)
    first = run_alerts(seeded, AS_OF, rules=rules, deliver_now=False)
    assert first.mode == "full" and case_id not in first.report.cases
    since = dt.datetime.now(dt.UTC)
    watch(seeded, [firm])
    step = run_alerts(seeded, AS_OF, since, rules=rules, deliver_now=False)
    assert step.mode == "incremental" and step.asked["commitment_breach"] >= 1
    assert case_id in step.report.cases


def test_a_watch_asks_for_its_rules_and_sees_measures_within_reach(seeded, seed_dir):
    near = cases_of(seed_dir)["repaired_versus_active"]
    subject = resolve(seeded, near["subject"], SECRET)
    with pytest.raises(WatchError, match="not a watch rule"):
        add_watches(seeded, [subject], "inv1", USERS, USERS["inv1"], rules=["phoenix_firm"])
    add_watches(seeded, [subject], "inv1", USERS, USERS["inv1"], rules=["own_record"])
    found = evaluate(seeded, RULES, case_store.watched(seeded), AS_OF)
    assert not subjects(found.hits, "near_black")  # not asked for
    assert found.evaluated["near_black"] == frozenset()
    add_watches(seeded, [subject], "inv1", USERS, USERS["inv1"], rules=["near_black"])
    hit = subjects(evaluate(seeded, RULES, case_store.watched(seeded), AS_OF,
                            only=["near_black"]).hits, "near_black")[near["subject"]]
    measures = [item for item in hit.items if item.startswith("惩戒措施")]
    assert measures and all(" 跳 ← " in item for item in measures)
    # the punished parties within reach are tested on the server (Sanctioned): the same as a
    # search for the subjects of the punishments in force, read and sent as a list
    punished = sorted({tuple(r["id"].split(":", 1)) for r in seeded.read(
        "MATCH (s:Sanction) WHERE s.kind = 'punishment' AND s.valid_from <= $d "
        "AND (s.valid_to IS NULL OR s.valid_to >= $d) RETURN s.subject_id AS id", {"d": AS_OF})})
    origins = sorted({(label, key) for label, key in punished if label == "Enterprise"})[:30]
    origins += [("Enterprise", near["subject"])]
    by_server, by_list = ({origin: sorted(found, key=repr) for origin, found in
                           shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF,
                                                   ends=ends).items()}
                          for ends in (Sanctioned("punishment"), punished))
    assert by_server == by_list and len(by_server) >= 10
    # listed or punished, in one search: the union of the two searches
    listed = shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF,
                                     Listed("black"))
    either = shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF,
                                     AnyOf((Listed("black"), Sanctioned("punishment"))))
    assert {o: sorted(set(f), key=repr) for o, f in either.items()} == {
        o: sorted(set(by_list.get(o, [])) | set(listed.get(o, [])), key=repr)
        for o in {*by_list, *listed}}
    pairs = [{(o, f.key) for o, found in answer.items() for f in found}
             for answer in (either, listed, by_list)]
    assert pairs[0] > pairs[1] and pairs[0] >= pairs[2] and pairs[1]  # not one search alone
    with pytest.raises(ValueError, match="measure kind"):
        shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF, Sanctioned("x"))
    with pytest.raises(ValueError, match="one test of each kind"):
        shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF,
                                AnyOf((Listed("black"), Listed("red"))))
    with pytest.raises(ValueError, match="one test of each kind"):
        shortest_distances_from(seeded, origins, CONTROL_RELATIONS, 3, AS_OF,
                                AnyOf((AnyOf((Listed("black"),)),)))
    assert list_watches(seeded)[0]["rules"] == ["near_black"]
    add_watches(seeded, [subject], "inv1", USERS, USERS["inv1"], rules=[])  # every rule again
    assert not list_watches(seeded)[0]["rules"]
    assert case_store.watched(seeded)[0].rules is None


def test_every_rule_asked_about_every_subject_answers_as_the_full_run(seeded, seed_dir,
                                                                      monkeypatch):
    """The incremental forms (subject by subject, keyed queries, the red/black search from
    each red-listed subject) against the full ones, on every subject of the seed at once."""
    case = cases_of(seed_dir)
    watch(seeded, [case["repaired_versus_active"]["subject"],
                   case["repaired_versus_active"]["active_firm"],
                   case["red_incentive_granted"]["subject"]])
    monkeypatch.setattr(changes, "SEARCH_RATIO", 10**9)  # never fall back to a full run
    seeded.merge_nodes("Penalty", [{  # decided by a department the graph has no node for
        "penalty_id": "P-UNLINKED-1", "decision_no": "某市监罚〔2026〕1号",
        "decision_date": dt.date(2026, 3, 2), "authority": "某区市场监督管理局"}])
    everyone = {("Enterprise", r["key"]) for r in seeded.read(
        "MATCH (e:Enterprise) RETURN e.uscc AS key")} | {("Person", r["key"]) for r in seeded.read(
            "MATCH (p:Person) RETURN p.pid AS key")}
    everyone |= {("Department", department_key(r["code"], r["authority"])) for r in seeded.read(
        "MATCH (d:Penalty) OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department) "
        "RETURN a.code AS code, d.authority AS authority UNION "
        "MATCH (d:License) OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department) "
        "RETURN a.code AS code, d.authority AS authority")}
    full = evaluate(seeded, RULES, case_store.watched(seeded), AS_OF)
    every = evaluate(seeded, RULES, case_store.watched(seeded), AS_OF, changed=everyone)
    assert every.mode == "incremental" and every.asked["red_black_conflict"] > 0
    assert set(RULES.by_name()) == set(every.asked)
    assert any(h.key.startswith("name:") for h in full.hits if h.rule == "late_publication")
    assert [(h.rule, h.label, h.key, h.items) for h in every.hits] == [
        (h.rule, h.label, h.key, h.items) for h in full.hits]
    assert {h.rule for h in full.hits} == set(RULES.by_name())  # every rule has hits to compare
    # the rules read side by side (a server) or one after the other (the embedded engine, or
    # a server told so), their searches' batches whole or split in chunks of two: the same
    from creditgraph.graph import traversal

    monkeypatch.setattr(type(seeded), "parallel_reads", 1)
    monkeypatch.setattr(traversal, "BATCH", 2)
    monkeypatch.setattr(traversal, "SPLIT", 2)
    alone = evaluate(seeded, RULES, case_store.watched(seeded), AS_OF, changed=everyone)
    assert [(h.rule, h.label, h.key, h.items, h.words) for h in alone.hits] == [
        (h.rule, h.label, h.key, h.items, h.words) for h in every.hits]
    assert alone.evaluated == every.evaluated and alone.asked == every.asked


def test_a_department_changes_when_its_decision_is_written_or_falls_due(seeded):
    """Late publication is asked about the departments whose decisions were written since, or
    whose 七天双公示 outcome turned between the two days (a daily run); nothing else."""
    code = seeded.read("MATCH (a:Department) RETURN a.code AS code ORDER BY code LIMIT 1")[0][
        "code"]
    since = dt.datetime.now(dt.UTC)
    assert not {c for c in changes.changed_subjects(seeded, since, AS_OF, [AS_OF])
                if c[0] == "Department"}
    decided = dt.date(2026, 3, 2)  # a Monday; 8 working days have passed by 2026-03-13
    stamp = {"updated_at": dt.datetime.now(dt.UTC)}  # as a load writes them
    seeded.merge_nodes("Penalty", [
        {"penalty_id": "P-NEW-1", "decision_no": "罚〔2026〕1号", "decision_date": decided,
         "authority": "某部门", **stamp},
        {"penalty_id": "P-NEW-2", "decision_no": "罚〔2026〕2号", "decision_date": decided,
         "authority": "无节点的部门", **stamp}])
    seeded.merge_relationships("ISSUED_BY", "Penalty", "Department", [
        {"src_key": "P-NEW-1", "dst_key": code, **stamp}])
    written = changes.changed_subjects(seeded, since, AS_OF, [AS_OF])
    assert {("Department", code), ("Department", "name:无节点的部门")} <= written
    later = dt.datetime.now(dt.UTC)  # nothing written since: only the days can turn it
    turned = changes.changed_subjects(seeded, later, dt.date(2026, 3, 20),
                                      [dt.date(2026, 3, 5)])
    assert {("Department", code), ("Department", "name:无节点的部门")} <= turned
    same = changes.changed_subjects(seeded, later, dt.date(2026, 3, 20),
                                    [dt.date(2026, 3, 16)])
    assert ("Department", "name:无节点的部门") not in same  # late on both days: unchanged
    hits = evaluate(seeded, RULES, [], dt.date(2026, 3, 20), only=["late_publication"],
                    changed=written).hits
    assert {h.key for h in hits} >= {code, "name:无节点的部门"}
    assert all(h.label == "Department" and (h.label, h.key) in written for h in hits)
    # the unnamed department's decision linked to a department later: its old key is asked too
    relinked = dt.datetime.now(dt.UTC)
    seeded.merge_relationships("ISSUED_BY", "Penalty", "Department", [
        {"src_key": "P-NEW-2", "dst_key": code, "updated_at": dt.datetime.now(dt.UTC)}])
    moved = changes.changed_subjects(seeded, relinked, AS_OF, [AS_OF])
    assert {("Department", code), ("Department", "name:无节点的部门")} <= moved


def test_a_run_of_some_rules_on_another_day_widens_the_next_window(seeded, monkeypatch):
    """A ``--rule`` run's cases stand as of its day: the next incremental run reads what turned
    by date between every such day and its own."""
    from creditgraph.alerts import service
    from creditgraph.queries.library import run

    run_alerts(seeded, AS_OF, deliver_now=False)  # complete
    assert [(r["as_of"], r["days_from"], r["days_to"]) for r in run(
        seeded, "alert-last-run")] == [(AS_OF, AS_OF, AS_OF)]
    later = AS_OF + dt.timedelta(days=30)
    run_alerts(seeded, later, only=["own_record"], deliver_now=False)
    assert [(r["as_of"], r["days_from"], r["days_to"]) for r in run(
        seeded, "alert-last-run")] == [(AS_OF, AS_OF, later)]
    asked = []
    real = service.changes_since
    monkeypatch.setattr(service, "changes_since",
                        lambda *a: asked.append(a[3]) or real(*a))
    done = run_alerts(seeded, AS_OF, since=dt.datetime.now(dt.UTC), deliver_now=False)
    assert done.mode == "incremental" and asked and min(asked[0]) == AS_OF
    assert max(asked[0]) == later


def test_a_servant_holding_shares_of_no_recorded_size_is_a_finding(seeded):
    servant = seeded.read("MATCH (p:Person)-[:SERVES_IN]->(:Department) RETURN p.pid AS key "
                          "ORDER BY key LIMIT 1")[0]["key"]
    firm = seeded.read("MATCH (e:Enterprise) RETURN e.uscc AS key ORDER BY key LIMIT 1")[0]["key"]
    seeded.merge_relationships("SHAREHOLDER_OF", "Person", "Enterprise", [
        {"src_key": servant, "dst_key": firm, "start_date": dt.date(2020, 1, 1)}])
    hits = evaluate(seeded, RULES, [], AS_OF, only=["civil_servant_finding"]).hits
    mine = subjects(hits, "civil_servant_finding")[servant]
    assert f"经营 SHAREHOLDER_OF {firm}" in " ".join(mine.items)


def test_an_alert_run_holds_off_the_cyclic_collector_and_gives_it_back(seeded, monkeypatch):
    """graph/gc_pause.py: no automatic cyclic collection during a run; the collector is given
    back as found when the last of nested or concurrent pauses ends, errors or not."""
    import gc

    from creditgraph.alerts import service
    from creditgraph.graph.gc_pause import collection_paused

    seen: list[bool] = []
    real = service.evaluate
    monkeypatch.setattr(service, "evaluate",
                        lambda *args, **kwargs: seen.append(gc.isenabled())
                        or real(*args, **kwargs))
    assert gc.isenabled()
    run_alerts(seeded, AS_OF)
    assert seen == [False] and gc.isenabled()
    with collection_paused():
        with pytest.raises(ZeroDivisionError), collection_paused():
            _ = 1 / 0
        assert not gc.isenabled()
    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collection_paused():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(10)
    with collection_paused():
        pass
    assert not gc.isenabled()  # the other thread's pause still holds
    leave.set()
    thread.join(10)
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # found off, left off
    finally:
        gc.enable()
