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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, partial
from threading import Lock

from creditgraph.alerts.changes import Changes, department_key, distances
from creditgraph.alerts.rules import AlertRule, AlertRules
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.graph.traversal import AnyOf, Listed, Sanctioned, shortest_distances_from
from creditgraph.propagation.rules import RuleSet, load_rules
from creditgraph.queries import audits, clusters
from creditgraph.queries.audits import publication_outcome
from creditgraph.queries.civil_servants import findings
from creditgraph.queries.library import cypher_file, run
from creditgraph.queries.linked import entries_by_kind, linked_rows_many, listed_subjects
from creditgraph.queries.network import node_id, split_id
from creditgraph.queries.subject_reads import BATCH as PARTY_BATCH
from creditgraph.queries.subject_reads import penalties
from creditgraph.queries.subject_reads import sanctions as subject_sanctions_of
from creditgraph.queries.subjects import Subject


@dataclass(frozen=True)
class Hit:
    rule: str
    label: str
    key: str
    name: str
    items: tuple[str, ...]  # the evidence, one item a line, sorted: what the fingerprint covers
    words: tuple[str, ...] = ()  # paths and findings in words, for people

    @cached_property  # a run asks each hit's several times (thousands of hits)
    def fingerprint(self) -> str:
        body = json.dumps([self.rule, self.label, self.key, list(self.items)], ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Watched:
    label: str
    key: str
    name: str
    hops: int | None
    rules: tuple[str, ...] | None = None  # the watch rules asked for; None: every one

    def wants(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules


@dataclass
class Evaluation:
    """The hits, and for each rule evaluated the subjects it was asked about (None: every
    subject) — a case of the rule on such a subject without a hit has lost its evidence."""

    hits: list[Hit]
    evaluated: dict[str, frozenset[tuple[str, str]] | None]
    mode: str = "full"  # full | incremental
    changed: int = 0  # subjects changed since (incremental)
    asked: dict[str, int] = field(default_factory=dict)  # subjects asked, by subject rule


def evaluate(store: GraphStore, rules: AlertRules, watched: Iterable[Watched], as_of: dt.date,
             only: Iterable[str] | None = None,
             changed: Changes | Iterable[tuple[str, str]] | None = None,
             measures: RuleSet | None = None) -> Evaluation:
    """Every hit of every rule (or of the rules named in ``only``) on ``as_of``. With
    ``changed`` (alerts/changes.py; subjects alone: changed in anything), each rule is asked
    only about the subjects within its reach of one changed in what it reads (``READS``; the
    changed ones themselves included): the two watch rules and the civil-servant rule
    subject by subject, commitment breaches, red/black conflicts, phoenix firms and late
    publication (by department) by a keyed form of their query or search. Either way the hits
    on the subjects asked are those a full run finds."""
    watched = list(watched)
    wanted = set(only) if only is not None else None
    chosen = [rule for rule in rules.rules if wanted is None or rule.name in wanted]
    if changed is not None and not isinstance(changed, Changes):
        changed = Changes.of_any(changed)
    near = _Near(store, changed, as_of, chosen, watched, measures)

    def one(rule: AlertRule) -> tuple[list[Hit], frozenset[tuple[str, str]] | None, int | None]:
        """A rule's hits, the subjects it was asked about (None: every one), how many."""
        watching = [w for w in watched if w.wants(rule.name)]
        asked: int | None = None
        if rule.kind in SUBJECT_RULES:
            subjects = SUBJECT_RULES[rule.kind](store, rule, watching, near)
            asked = len(subjects)
            found = EVALUATORS[rule.kind](store, rule, subjects, as_of)
            scope: frozenset[tuple[str, str]] | None = frozenset(
                (s.label, s.key) for s in subjects)
        elif rule.kind in KEYED_RULES and changed is not None:
            keys = KEYED_RULES[rule.kind](store, rule, near)
            asked = None if keys is None else len(keys)
            found = KEYED[rule.kind](store, rule, as_of, keys)
            scope = None if keys is None else frozenset(keys)
        else:
            found = EVALUATORS[rule.kind](store, rule, watching, as_of)
            scope = None
        if rule.scope == "watched":
            under_watch = frozenset((w.label, w.key) for w in watching)
            scope = under_watch if scope is None else scope & under_watch
        return found, scope, asked

    # the rules read independently of each other: a store that answers reads from several
    # threads at once (a server) evaluates them side by side
    if store.parallel_reads > 1 and len(chosen) > 1:
        with ThreadPoolExecutor(min(store.parallel_reads, len(chosen))) as pool:
            outcomes = list(pool.map(one, chosen))
    else:
        outcomes = [one(rule) for rule in chosen]
    hits: dict[tuple[str, str, str], Hit] = {}
    evaluated: dict[str, frozenset[tuple[str, str]] | None] = {}
    asked: dict[str, int] = {}
    for rule, (found, scope, count) in zip(chosen, outcomes, strict=True):
        if count is not None:
            asked[rule.name] = count
        evaluated[rule.name] = scope
        for hit in found:
            if scope is not None and (hit.label, hit.key) not in scope:
                continue  # a whole-graph rule a city narrowed to the watched subjects
            hits[(hit.rule, hit.label, hit.key)] = hit  # one hit per rule and subject
    return Evaluation(sorted(hits.values(), key=lambda h: (h.rule, h.label, h.key)), evaluated,
                      "full" if changed is None else "incremental",
                      len(changed or ()), asked)


# -- who a rule asked subject by subject is asked about -------------------------------------

LINKED_LABELS = ("Enterprise", "Person", "OverseasEntity")
OWN_LABELS = ("Enterprise", "Person")
# a civil servant's findings reach their own firms (1 hop) and their relatives' (2 hops)
SERVANT_RELATIONS = ("LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF",
                     "RELATIVE_OF")
SERVANT_REACH = 2
WATCH_KINDS = ("near_black", "own_record")


# what each kind of rule reads, as alerts/changes.py tells changes apart (``SOURCES``): a
# rule is asked only about what changed in these. ``subject`` for every rule about subjects
# (names are evidence); ``Watch`` too: a city may narrow any of them to the watched subjects
# (``scope: watched``), and a subject watched anew is then asked.
READS: dict[str, tuple[str, ...]] = {
    "near_black": ("subject", "relation", "ListEntry", "Sanction", "Watch"),
    "own_record": ("subject", "relation", "ListEntry", "Penalty", "Sanction", "Watch"),
    "commitment_breach": ("subject", "Commitment", "Penalty", "Watch"),
    "red_black_conflict": ("subject", "relation", "ListEntry", "Watch"),
    "civil_servant_finding": ("subject", "relation", "License", "Penalty",
                              "ProcurementProject", "Watch"),
    "late_publication": ("Department",),
    "phoenix_firm": ("subject", "relation", "ListEntry", "Watch"),
}


class _Near:
    """How far each candidate is from a subject changed in what its rule reads (incremental
    runs): the watched subjects of the two watch rules, the civil servants and the red-listed
    subjects. Rules reading the same changes share one search, from the whole set of those
    changed subjects at once (graph/traversal.py ``nearest_to_any``: a hub next to many of
    them is walked once), over every relation any of these rules walks, as far as any
    reaches (a distance over more relations is never longer: a subject asked once too often,
    never once too few); the searches for different sets of changes run side by side."""

    def __init__(self, store: GraphStore, changes: Changes | None,
                 as_of: dt.date, rules: list[AlertRule], watched: list[Watched],
                 measures: RuleSet | None) -> None:
        self.store, self.changes, self.as_of = store, changes, as_of
        self.measures = (measures or load_rules()) if any(r.kind == "own_record"
                                                          for r in rules) else None
        hops = [w.hops or r.hops or 0 for r in rules if r.kind == "near_black"
                for w in watched if w.wants(r.name)]
        self.watch_reach = max([*hops, self.measures.reach if self.measures else 0],
                               default=0)
        self.watch_types = tuple(dict.fromkeys((*CONTROL_RELATIONS, *(
            self.measures.relation_types if self.measures else ()))))
        self.watched = {(w.label, w.key) for w in watched
                        if any(w.wants(r.name) for r in rules if r.kind in WATCH_KINDS)}
        self.kinds = {r.kind for r in rules}
        self.conflict_reach = max((r.hops or 0 for r in rules if r.kind == "red_black_conflict"),
                                  default=0)
        self._searching = Lock()  # the rules ask from their own threads (parallel reads)

    def changed(self, kind: str, labels: tuple[str, ...] | None = None
                ) -> set[tuple[str, str]]:
        """The subjects changed in what rules of ``kind`` read (of ``labels``)."""
        assert self.changes is not None
        return {c for c in self.changes.subjects(READS[kind])
                if labels is None or c[0] in labels}

    @cached_property
    def servants(self) -> list[Watched]:
        """Every civil servant, once (a servant of two posts is one subject)."""
        return list({r["key"]: Watched("Person", r["key"], r["name"] or "", None)
                     for r in run(self.store, "civil-servants")}.values())

    @cached_property
    def red(self) -> set[tuple[str, str]]:
        """Every subject with a red entry in force."""
        return listed_subjects(self.store, "red", self.as_of)

    def distances(self, kind: str) -> dict[tuple[str, str], int] | None:
        """Candidate -> its least distance from a subject changed in what rules of ``kind``
        read (within the search's reach); None: ask every candidate."""
        origins = self._origins(kind)
        if not origins:
            return {}
        with self._searching:
            found = self._searches
        return found.get(origins, {})  # no search: no candidate for its rules

    def _origins(self, kind: str) -> frozenset[tuple[str, str]]:
        """Where the search for rules of ``kind`` starts: the subjects changed in what they
        read — for the two watch rules, in what either reads (one reads penalties, the other
        not: one search for both, a watch asked once too often, never once too few)."""
        kinds = WATCH_KINDS if kind in WATCH_KINDS else (kind,)
        return frozenset().union(*(self.changed(k) for k in kinds if k in self.kinds))

    @cached_property
    def _searches(self) -> dict[frozenset[tuple[str, str]], dict[tuple[str, str], int] | None]:
        """Searched once, on first use: for each set of changed subjects some searching rules
        read, the candidates of those rules within reach."""
        groups: dict[frozenset[tuple[str, str]], tuple[list[Callable[[], set[tuple[str, str]]]],
                                                        list[str], list[int]]] = {}
        for kind, candidates, types, reach in self._searching_kinds():
            origins = self._origins(kind)
            if origins:
                wanted, walked, far = groups.setdefault(origins, ([], [], []))
                wanted.append(candidates)
                walked += types
                far.append(reach)

        def search(origins: frozenset[tuple[str, str]],
                   candidates: list[Callable[[], set[tuple[str, str]]]], types: tuple[str, ...],
                   reach: int) -> dict[tuple[str, str], int] | None:
            # the candidates read in the search's own thread: a group whose candidates need a
            # read (the red-listed) does not hold back the others' searches
            wanted = set().union(*(candidate() for candidate in candidates))
            return distances(self.store, origins, wanted, types, reach, self.as_of)

        found = self.store.side_by_side(*(
            partial(search, origins, wanted, tuple(dict.fromkeys(walked)), max(far))
            for origins, (wanted, walked, far) in groups.items()))
        return dict(zip(groups, found, strict=True))

    def _searching_kinds(self) -> list[tuple[str, Callable[[], set[tuple[str, str]]],
                                             tuple[str, ...], int]]:
        """(kind, its candidates when asked, relations walked, reach) of each rule kind asked
        by the search."""
        kinds = [(kind, lambda: self.watched, self.watch_types, self.watch_reach)
                 for kind in WATCH_KINDS]
        kinds += [("civil_servant_finding",
                   lambda: {(s.label, s.key) for s in self.servants}, SERVANT_RELATIONS,
                   SERVANT_REACH),
                  ("red_black_conflict", lambda: self.red, CONTROL_RELATIONS,
                   self.conflict_reach)]
        return [k for k in kinds if k[0] in self.kinds]

    def asked(self, subjects: list[Watched], reach_of: Callable[[Watched], int],
              kind: str) -> list[Watched]:
        """The ``subjects`` within their reach of a change their rule (``kind``) reads."""
        if self.changes is None:
            return subjects
        near = self.distances(kind)
        if near is None:
            return subjects
        return [s for s in subjects if near.get((s.label, s.key), reach_of(s) + 1)
                <= reach_of(s)]


def _near_black_subjects(store: GraphStore, rule: AlertRule, watching: list[Watched],
                         near: _Near) -> list[Watched]:
    candidates = [w for w in watching if w.label in LINKED_LABELS]
    return near.asked(candidates, lambda w: w.hops or rule.hops or 0, rule.kind)


def _own_record_subjects(store: GraphStore, rule: AlertRule, watching: list[Watched],
                         near: _Near) -> list[Watched]:
    """A subject's measures come from entries within the joint-punishment rules' reach: a
    measure removed by propagation leaves no node behind, its cause does."""
    candidates = [w for w in watching if w.label in OWN_LABELS]
    reach = near.measures.reach if near.measures else 0
    return near.asked(candidates, lambda _: reach, rule.kind)


def _servant_subjects(store: GraphStore, rule: AlertRule, watching: list[Watched],
                      near: _Near) -> list[Watched]:
    if near.changes is not None and not near.changed(rule.kind, LINKED_LABELS):
        return []  # nothing a finding reads changed: no need to read who serves
    return near.asked(near.servants, lambda _: SERVANT_REACH, rule.kind)


# -- the evaluators ------------------------------------------------------------------------


def _near_black(store: GraphStore, rule: AlertRule, watched: list[Watched], as_of: dt.date
                ) -> list[Hit]:
    """Black entries in force within reach (the linked-party search, batched by reach), and
    joint-punishment measures in force on parties within reach."""
    by_reach: dict[int, list[Watched]] = defaultdict(list)
    for watch in watched:
        by_reach[watch.hops or rule.hops or 0].append(watch)
    items: dict[Watched, set[str]] = defaultdict(set)
    words: dict[Watched, list[str]] = defaultdict(list)
    for hops, group in sorted(by_reach.items()):
        if hops < 1:
            continue
        subjects = {w: Subject(w.label, w.key, w.name) for w in group}
        # one search for the black-listed and the punished parties within reach
        near = shortest_distances_from(store, [(w.label, w.key) for w in group],
                                       CONTROL_RELATIONS, hops, as_of,
                                       AnyOf((Listed("black"), Sanctioned("punishment"))))
        parties = {Subject(p.label, p.key, p.name or "") for found_parties in near.values()
                   for p in found_parties}
        found, measures = store.side_by_side(  # the paths to the listed; the measures
            partial(linked_rows_many, store, list(subjects.values()), hops, as_of,
                    found={node_id(*origin): reached for origin, reached in near.items()}),
            partial(_party_measures, store, sorted(p.node_id for p in parties), as_of))
        for watch, subject in subjects.items():
            rows = found.get(subject.node_id, [])
            items[watch].update(
                f"黑名单 {entry} · {row['label']}:{row['subject_id']} {row['name']} · "
                f"{row['hops']} 跳" for row in rows for entry in row["entries"])
            words[watch] += [f"{row['name']}（{row['hops']} 跳）：{row['explanation']}"
                             for row in rows]
        for watch in group:
            own = node_id(watch.label, watch.key)
            for party in near.get((watch.label, watch.key), []):
                node = node_id(party.label, party.key)
                items[watch].update(  # a measure from the subject's own entry: own_record's
                    f"惩戒措施 {m['measure']} · {node} {party.name or ''} · {party.hops} 跳 ← "
                    f"{m['entry_id']}" for m in measures.get(node, [])
                    if (m["path"] or [None])[0] != own)
    return [Hit(rule.name, w.label, w.key, w.name, tuple(sorted(items[w])), tuple(words[w]))
            for w in watched if items.get(w)]


def _party_measures(store: GraphStore, nodes: list[str], as_of: dt.date
                    ) -> dict[str, list[dict]]:
    """Node id -> the punishment measures in force on it: measure, entry and path only (the
    credit file's full read of each measure costs seconds for the thousands of parties a run
    reaches)."""
    found: dict[str, list[dict]] = defaultdict(list)
    statements = [(cypher_file("alert-party-measures", store.backend).text,
                   {"subject_ids": nodes[start:start + PARTY_BATCH], "as_of": as_of})
                  for start in range(0, len(nodes), PARTY_BATCH)]
    for rows in store.read_many(statements, side_by_side=len(statements) > 1):
        for row in rows:
            found[row.pop("subject_id")].append(row)
    return found


def _own_record(store: GraphStore, rule: AlertRule, watched: list[Watched], as_of: dt.date
                ) -> list[Hit]:
    """Entries in force, penalties decided and measures in force, read for all the subjects at
    once (what each one's credit file shows of them)."""
    subjects = [Subject(w.label, w.key, w.name) for w in watched if w.label in OWN_LABELS]
    nodes = [s.node_id for s in subjects]
    entries = entries_by_kind(store, nodes, ("black", "red"), as_of)
    decided = penalties(store, subjects, as_of)
    measures = subject_sanctions_of(store, subjects, as_of)
    hits = []
    for subject in subjects:
        node = subject.node_id
        items = {f"{'黑' if kind == 'black' else '红'}名单 {e['entry_id']} {e['list_type']}"
                 for kind in ("black", "red") for e in entries[kind].get(node, [])}
        items |= {f"行政处罚 {p['decision_no']} {p['authority']} {p['decision_date']}"
                  for p in decided[node]}
        items |= {f"惩戒措施 {m['measure']} ← {m['entry_id']}" for m in measures[node]
                  if m["kind"] == "punishment"}
        if items:
            hits.append(Hit(rule.name, subject.label, subject.key, subject.name,
                            tuple(sorted(items))))
    return hits


def _commitment_breach(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                       ) -> list[Hit]:
    return _breaches_of(store, rule, as_of, None)


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


def _civil_servant_finding(store: GraphStore, rule: AlertRule, servants: list[Watched],
                           as_of: dt.date) -> list[Hit]:
    found = findings(store, [Subject("Person", s.key, s.name) for s in servants], as_of)
    hits = []
    for servant in {s.key: s for s in servants}.values():  # a servant of two posts, once
        for_profit, conflicts = found[servant.key]
        items = [f"经营 {r['how']} {r['firm']} {r['firm_name']}"
                 for r in for_profit.to_dict("records")]
        items += [f"利益冲突 {r['relation']}{r['controlled_by']} {r['how']} {r['firm']} · "
                  f"{r['dealing']} {r['reference']} {r['date']} · {r['department']}"
                  for r in conflicts.to_dict("records")]
        if items:
            hits.append(Hit(rule.name, "Person", servant.key, servant.name,
                            tuple(sorted(set(items)))))
    return hits


def _late_publication(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                      ) -> list[Hit]:
    return _late_of(store, rule, as_of, None)


def _phoenix_firm(store: GraphStore, rule: AlertRule, _: list[Watched], as_of: dt.date
                  ) -> list[Hit]:
    return _phoenix_of(store, rule, as_of, None)


# -- the whole-graph rules, asked about some subjects (incremental runs) ----------------------


def _breach_subjects(store: GraphStore, rule: AlertRule, near: _Near
                     ) -> set[tuple[str, str]] | None:
    """A breach is a subject's own penalty and commitment: the changed enterprises."""
    return near.changed(rule.kind, ("Enterprise",))


def _conflict_subjects(store: GraphStore, rule: AlertRule, near: _Near
                       ) -> set[tuple[str, str]] | None:
    """Red-listed subjects within the rule's reach of a change, and the changed subjects (a
    red entry that ended leaves a case to clear)."""
    found = near.distances(rule.kind)
    if found is None:
        return None
    red, reach = near.red, rule.hops or 0
    return ({node for node, hops in found.items() if hops <= reach and node in red}
            | near.changed(rule.kind, OWN_LABELS))


def _phoenix_subjects(store: GraphStore, rule: AlertRule, near: _Near
                      ) -> set[tuple[str, str]] | None:
    """Persons changed, and everyone who is or was legal representative of a changed firm
    (a listed firm's, or the new firm's), whatever the relation's dates."""
    firms = sorted(k for label, k in near.changed(rule.kind, ("Enterprise",)))
    reps = {("Person", row["key"]) for start in range(0, len(firms), 1000)
            for row in run(store, "alert-representatives-of", keys=firms[start:start + 1000])}
    return near.changed(rule.kind, ("Person",)) | reps


def _keys(subjects: set[tuple[str, str]] | None, label: str) -> list[str] | None:
    return None if subjects is None else sorted(k for lab, k in subjects if lab == label)


def _breaches_of(store: GraphStore, rule: AlertRule, as_of: dt.date,
                 subjects: set[tuple[str, str]] | None) -> list[Hit]:
    keys = _keys(subjects, "Enterprise")
    if keys == []:
        return []
    grouped = _grouped(audits.commitment_breaches(store, as_of, keys).to_dict("records"),
                       lambda r: (_label_of(r["subject_id"]), r["subject_id"], r["name"]),
                       lambda r: f"承诺 {r['commitment_id']}（{r['matter']}，{r['commit_date']}）"
                                 f" ← 处罚 {r['decision_no']} {r['decision_date']}")
    return [Hit(rule.name, label, key, name, items) for (label, key, name), items in grouped]


def _conflicts_of(store: GraphStore, rule: AlertRule, as_of: dt.date,
                  subjects: set[tuple[str, str]] | None) -> list[Hit]:
    """As the whole-graph scan answers (audits.red_black_conflicts): a red-listed subject
    black-listed itself (0 hops), or else the black entries of its nearest black-listed
    parties — asked subject by subject."""
    if subjects is None:
        return _red_black_conflict(store, rule, [], as_of)
    nodes = [node_id(label, key) for label, key in sorted(subjects) if label in OWN_LABELS]
    # most subjects asked changed by a black entry of their own: their red entries first,
    # then the black ones of the few red-listed
    red_of = entries_by_kind(store, nodes, ("red",), as_of)["red"]
    black_of = entries_by_kind(store, sorted(red_of), ("black",), as_of)["black"]
    searched = linked_rows_many(store, [  # red-listed, not black-listed themselves
        Subject(*split_id(node), red_of[node][0]["name"] or "") for node in nodes
        if red_of.get(node) and not black_of.get(node)], rule.hops or 0, as_of)
    hits = []
    for node in nodes:
        red = red_of.get(node)
        if not red:
            continue
        label, key = split_id(node)
        items = {f"红名单 {e['entry_id']}" for e in red}
        own = black_of.get(node)
        if own:
            items |= {f"黑名单 {e['entry_id']} · 0 跳" for e in own}
            words = {"本身在黑名单中"}
        else:
            rows = searched.get(node)
            if not rows:
                continue
            nearest = min(row["hops"] for row in rows)
            closest = [row for row in rows if row["hops"] == nearest]
            items |= {f"黑名单 {e} · {nearest} 跳" for row in closest for e in row["entries"]}
            words = {row["explanation"] for row in closest}
        hits.append(Hit(rule.name, label, key, red[0]["name"] or "", tuple(sorted(items)),
                        tuple(sorted(words))))
    return hits


def _phoenix_of(store: GraphStore, rule: AlertRule, as_of: dt.date,
                subjects: set[tuple[str, str]] | None) -> list[Hit]:
    keys = _keys(subjects, "Person")
    if keys == []:
        return []
    grouped = _grouped(clusters.phoenix_firms(store, as_of, keys).to_dict("records"),
                       lambda r: ("Person", r["person_id"], r["person_name"]),
                       lambda r: f"名单 {r['entry_id']}（{r['listed_on']}）→ 新设 "
                                 f"{r['firm_id']} {r['firm_name']}（{r['established']}）")
    return [Hit(rule.name, label, key, name, items) for (label, key, name), items in grouped]


def _late_of(store: GraphStore, rule: AlertRule, as_of: dt.date,
             subjects: set[tuple[str, str]] | None) -> list[Hit]:
    """One hit per deciding department: its decisions published after seven working days or
    not yet published; a decision whose department is not in the graph under its name. With
    ``subjects``, only those departments' decisions are read."""
    if subjects is None:
        rows = run(store, "alert-late-decisions", as_of=as_of)
    else:
        keys = sorted(k for label, k in subjects if label == "Department")
        if not keys:
            return []
        named = [k.removeprefix("name:") for k in keys if k.startswith("name:")]
        rows = run(store, "alert-late-decisions-of", as_of=as_of, names=named,
                   codes=[k for k in keys if not k.startswith("name:")])
    late: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}  # the least of the names its decisions give: the same either way
    for row in rows:
        outcome = publication_outcome(row["decision_date"], row["publish_date"], as_of)
        if outcome in ("late", "unpublished_late"):
            word = "未公示" if outcome == "unpublished_late" else f"{row['publish_date']} 公示"
            kind = "行政处罚" if row["kind"] == "penalty" else "行政许可"
            key = department_key(row["code"], row["authority"])
            names[key] = min(names.get(key, row["authority"] or ""), row["authority"] or "")
            late[key].add(f"{kind} {row['decision_no']} {row['decision_date']} 决定 · {word}")
    return [Hit(rule.name, "Department", key, names[key], tuple(sorted(items)))
            for key, items in late.items()]


def _late_subjects(store: GraphStore, rule: AlertRule, near: _Near
                   ) -> set[tuple[str, str]] | None:
    """The departments with a decision written, or whose publication outcome turned, since
    (alerts/changes.py); and when there are any, the departments known only by name that have
    a case of the rule (a decision's department name corrected since leaves the old one)."""
    changed = near.changed(rule.kind, ("Department",))
    if not changed:
        return changed
    return changed | {("Department", row["key"]) for row in run(
        store, "alert-named-department-cases", rule=rule.name)}


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


SUBJECT_RULES: dict[str, Callable[[GraphStore, AlertRule, list[Watched], _Near],
                                   list[Watched]]] = {
    "near_black": _near_black_subjects,
    "own_record": _own_record_subjects,
    "civil_servant_finding": _servant_subjects,
}

KEYED_RULES: dict[str, Callable[[GraphStore, AlertRule, _Near],
                                 set[tuple[str, str]] | None]] = {
    "commitment_breach": _breach_subjects,
    "red_black_conflict": _conflict_subjects,
    "phoenix_firm": _phoenix_subjects,
    "late_publication": _late_subjects,
}
KEYED: dict[str, Callable[[GraphStore, AlertRule, dt.date, set[tuple[str, str]] | None],
                          list[Hit]]] = {
    "commitment_breach": _breaches_of,
    "red_black_conflict": _conflicts_of,
    "phoenix_firm": _phoenix_of,
    "late_publication": _late_of,
}

EVALUATORS: dict[str, Callable[[GraphStore, AlertRule, list[Watched], dt.date], list[Hit]]] = {
    "near_black": _near_black,
    "own_record": _own_record,
    "commitment_breach": _commitment_breach,
    "red_black_conflict": _red_black_conflict,
    "civil_servant_finding": _civil_servant_finding,
    "late_publication": _late_publication,
    "phoenix_firm": _phoenix_firm,
}
