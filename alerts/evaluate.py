"""The alert rules' evaluators: each reads the graph with the queries the investigation tools
already use and returns hits — a subject and the evidence that it meets the rule, as lines
that say what each item is. A hit's fingerprint is its rule, subject and evidence: the same
evidence found again is the same alert (alerts/cases.py never raises it twice)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from alerts.rules import AlertRule, AlertRules
from graph.store import GraphStore
from propagation.sanctions import subject_sanctions
from queries import audits, clusters
from queries.audits import publication_outcome
from queries.civil_servants import civil_servant
from queries.library import run
from queries.linked import linked_rows
from queries.profile import profile
from queries.subjects import Subject


@dataclass(frozen=True)
class Hit:
    rule: str
    label: str
    key: str
    name: str
    items: tuple[str, ...]  # the evidence, one item a line, sorted: what the fingerprint covers
    words: tuple[str, ...] = ()  # paths and findings in words, for people

    @property
    def fingerprint(self) -> str:
        body = json.dumps([self.rule, self.label, self.key, list(self.items)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Watched:
    label: str
    key: str
    name: str
    hops: int | None


def evaluate(store: GraphStore, rules: AlertRules, watched: Iterable[Watched], as_of: dt.date,
             only: Iterable[str] | None = None) -> list[Hit]:
    """Every hit of every rule (or of the rules named in ``only``) on ``as_of``."""
    watched = list(watched)
    under_watch = {(w.label, w.key) for w in watched}
    wanted = set(only) if only is not None else None
    hits: dict[tuple[str, str, str], Hit] = {}
    for rule in rules.rules:
        if wanted is not None and rule.name not in wanted:
            continue
        for hit in EVALUATORS[rule.kind](store, rule, watched, as_of):
            if rule.scope == "watched" and (hit.label, hit.key) not in under_watch:
                continue  # a whole-graph rule a city narrowed to the watched subjects
            hits[(hit.rule, hit.label, hit.key)] = hit  # one hit per rule and subject
    return sorted(hits.values(), key=lambda h: (h.rule, h.label, h.key))


def _near_black(store: GraphStore, rule: AlertRule, watched: list[Watched], as_of: dt.date
                ) -> list[Hit]:
    hits = []
    for watch in watched:
        if watch.label not in ("Enterprise", "Person", "OverseasEntity"):
            continue
        rows = linked_rows(store, Subject(watch.label, watch.key, watch.name),
                           watch.hops or rule.hops, as_of)
        if rows:
            hits.append(Hit(rule.name, watch.label, watch.key, watch.name, tuple(sorted(
                f"黑名单 {entry} · {row['label']}:{row['subject_id']} {row['name']} · "
                f"{row['hops']} 跳" for row in rows for entry in row["entries"])),
                tuple(f"{row['name']}（{row['hops']} 跳）：{row['explanation']}" for row in rows)))
    return hits


def _own_record(store: GraphStore, rule: AlertRule, watched: list[Watched], as_of: dt.date
                ) -> list[Hit]:
    hits = []
    for watch in watched:
        if watch.label not in ("Enterprise", "Person"):
            continue
        subject = Subject(watch.label, watch.key, watch.name)
        file = profile(store, subject, as_of)
        items = [f"{'黑' if e['list_kind'] == 'black' else '红'}名单 {e['entry_id']} "
                 f"{e['list_type']}" for e in file["entries"].to_dict("records")
                 if e["in_force"]]
        items += [f"行政处罚 {p['decision_no']} {p['authority']} {p['decision_date']}"
                  for p in file["penalties"].to_dict("records")]
        measures = subject_sanctions(store, subject, as_of)
        items += [f"惩戒措施 {m['measure']} ← {m['entry_id']}"
                  for m in measures.to_dict("records") if m["kind"] == "punishment"]
        if items:
            hits.append(Hit(rule.name, watch.label, watch.key, watch.name,
                            tuple(sorted(set(items)))))
    return hits


def _commitment_breach(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                       ) -> list[Hit]:
    grouped = _grouped(audits.commitment_breaches(store, as_of).to_dict("records"),
                       lambda r: (_label_of(r["subject_id"]), r["subject_id"], r["name"]),
                       lambda r: f"承诺 {r['commitment_id']}（{r['matter']}，{r['commit_date']}）"
                                 f" ← 处罚 {r['decision_no']} {r['decision_date']}")
    return [Hit(rule.name, label, key, name, items) for (label, key, name), items in grouped]


def _red_black_conflict(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                        ) -> list[Hit]:
    hits: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(
        lambda: (set(), set()))
    names: dict[tuple[str, str], str] = {}
    for row in audits.red_black_conflicts(store, rule.hops, as_of).to_dict("records"):
        subject = (row["label"], row["subject_id"])
        names.setdefault(subject, row["name"])
        items, words = hits[subject]
        items.update(f"红名单 {red}" for red in row["red_entries"])
        items.update(f"黑名单 {black} · {row['hops']} 跳" for black in row["black_entries"])
        words.add(row["explanation"])
    return [Hit(rule.name, label, key, names[(label, key)], tuple(sorted(items)),
                tuple(sorted(words))) for (label, key), (items, words) in hits.items()]


def _civil_servant_finding(store: GraphStore, rule: AlertRule, _: list[Watched],
                           as_of: dt.date) -> list[Hit]:
    hits = []
    for servant in run(store, "civil-servants"):
        found = civil_servant(store, Subject("Person", servant["key"], servant["name"]), as_of)
        items = [f"经营 {r['how']} {r['firm']} {r['firm_name']}"
                 for r in found.for_profit.to_dict("records")]
        items += [f"利益冲突 {r['relation']}{r['controlled_by']} {r['how']} {r['firm']} · "
                  f"{r['dealing']} {r['reference']} {r['date']} · {r['department']}"
                  for r in found.conflicts.to_dict("records")]
        if items:
            hits.append(Hit(rule.name, "Person", servant["key"], servant["name"],
                            tuple(sorted(set(items)))))
    return hits


def _late_publication(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                      ) -> list[Hit]:
    """One hit per deciding department: its decisions published after seven working days or
    not yet published; a decision whose department is not in the graph under its name."""
    late: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for row in run(store, "alert-late-decisions", as_of=as_of):
        outcome = publication_outcome(row["decision_date"], row["publish_date"], as_of)
        if outcome in ("late", "unpublished_late"):
            word = "未公示" if outcome == "unpublished_late" else f"{row['publish_date']} 公示"
            kind = "行政处罚" if row["kind"] == "penalty" else "行政许可"
            key = row["code"] or f"name:{row['authority']}"
            names.setdefault(key, row["authority"] or "")
            late[key].add(f"{kind} {row['decision_no']} {row['decision_date']} 决定 · {word}")
    return [Hit(rule.name, "Department", key, names[key], tuple(sorted(items)))
            for key, items in late.items()]


def _phoenix_firm(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                  ) -> list[Hit]:
    grouped = _grouped(clusters.phoenix_firms(store, as_of).to_dict("records"),
                       lambda r: ("Person", r["person_id"], r["person_name"]),
                       lambda r: f"名单 {r['entry_id']}（{r['listed_on']}）→ 新设 "
                                 f"{r['firm_id']} {r['firm_name']}（{r['established']}）")
    return [Hit(rule.name, label, key, name, items) for (label, key, name), items in grouped]


def _grouped(rows: Iterable[dict], subject: Callable[[dict], tuple[str, str, str]],
             item: Callable[[dict], str]) -> list[tuple[tuple[str, str, str], tuple[str, ...]]]:
    """Rows by subject (label and key; the first name met), each with its evidence lines."""
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    names: dict[tuple[str, str], str] = {}
    for row in rows:
        label, key, name = subject(row)
        names.setdefault((label, key), name)
        groups[(label, key)].add(item(row))
    return [((label, key, names[(label, key)]), tuple(sorted(items)))
            for (label, key), items in groups.items()]


def _label_of(key: str) -> str:
    """A subject key's label: a person's is a 64-hex keyed hash, an enterprise's a USCC."""
    return "Person" if len(key) == 64 else "Enterprise"


EVALUATORS: dict[str, Callable[[GraphStore, AlertRule, list[Watched], dt.date], list[Hit]]] = {
    "near_black": _near_black,
    "own_record": _own_record,
    "commitment_breach": _commitment_breach,
    "red_black_conflict": _red_black_conflict,
    "civil_servant_finding": _civil_servant_finding,
    "late_publication": _late_publication,
    "phoenix_firm": _phoenix_firm,
}
