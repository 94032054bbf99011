"""What the pages read, cached, and the one place that turns store errors into a message.

The embedded engine lets one process write a store at a time, so the dashboard opens the store
only for the moment it reads and leaves it free for `creditgraph load` in between. Results are
cached for a short while (``TTL``) keyed by their arguments, so moving between pages is instant
and a load shows up within a minute.

Work is bounded: the network walk stops at ``CAP`` nodes instead of cutting afterwards, asking
about one frontier node at a time, and at most ``MAX_EXPANDED`` expanded nodes (``EXPAND_CAP``
neighbours each) are kept per session. A viewer's ID-number lookups are counted against a daily
budget (graph/lookup_budget.py) here, for the search and screening pages alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.auth import me, record, user_name
from dashboard.i18n import t
from dashboard.widgets import md
from graph import lookup_budget
from graph.errors import SettingsError, StoreError
from graph.identifiers import classify, mask_digit_runs
from graph.settings import Settings
from graph.store import GraphStore, open_store
from queries import audits, civil_servants, linked, profile, screening
from queries.library import run
from queries.subjects import Subject, UnknownSubject, resolve

TTL = 60
CAP = 150  # nodes the network walk gathers at most
EXPAND_CAP = 30  # neighbours one expanded node adds at most
MAX_EXPANDED = 10  # expanded nodes kept per session (the oldest drop out)
SPENT = "id-lookups-spent"  # session: lookups already charged (a rerun is not a new lookup)
T = TypeVar("T")


@contextmanager
def opened() -> Iterator[GraphStore]:
    with open_store(Settings.from_env()) as store:
        yield store


def secret() -> bytes | None:
    try:
        return Settings.from_env().id_secret()
    except SettingsError:
        return None


def guarded(work: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a read; a store that cannot be reached becomes a message, never a traceback."""
    try:
        return work(*args, **kwargs)
    except (StoreError, SettingsError) as exc:
        st.error(f"{t('unavailable')} database unavailable: {md(exc)}")
        return None


def audited(action: str, once: object, marker: str | None = None, **details: Any) -> None:
    """Record a lookup by the signed-in user, once per distinct lookup (``once``) in a session:
    a page reruns on every click. Callers pass ID numbers masked; digit runs are masked again
    here."""
    marker = f"audited-{marker or action}"
    if st.session_state.get(marker) == once:
        return
    clean = {k: mask_digit_runs(v) if isinstance(v, str) else v for k, v in details.items()}
    record(action, actor=user_name() or "unknown", **clean)
    st.session_state[marker] = once


def id_lookups(count: int, lookup: str | None, page: str) -> bool:
    """Charge ``count`` ID-number lookups to a viewer's daily budget, once per distinct
    ``lookup`` in a session (a page reruns on every click); a refusal is shown and audited.
    Says on the page how many remain. True when the lookups may go ahead."""
    user = me()
    if not lookup_budget.limited(user):
        return True
    once = hashlib.sha256(lookup.encode()).hexdigest() if lookup else None
    spent: list[str] = st.session_state.setdefault(SPENT, [])
    charged = once is None or once in spent
    budget = lookup_budget.spend(user, 0 if charged else count)
    if not budget.granted:
        audited("id-lookup-refused", once, page=page, requested=count,
                remaining=budget.remaining, limit=budget.limit)
        until = budget.free_again.astimezone().strftime("%m-%d %H:%M") if budget.free_again \
            else ""
        st.error(t("id_budget_spent", n=count, left=budget.remaining, limit=budget.limit,
                   until=until))
        return False
    if not charged and once is not None:
        spent.append(once)
        del spent[:-1000]
    st.caption(t("id_budget_left", left=budget.remaining, limit=budget.limit))
    return True


def as_of() -> dt.date:
    return st.session_state.get("as_of") or dt.date.today()


def current_subject() -> Subject | None:
    """The subject chosen on the search page or the network, or named by ``?subject=KEY`` —
    a USCC or legacy code for an enterprise, the person's key (``pid``, an HMAC) for a person;
    never a resident ID number, which would sit in browser histories and server logs. The
    address bar is then set to the subject's key, so the page can be linked to."""
    code = st.query_params.get("subject")
    chosen = st.session_state.get("subject")
    if chosen and (not code or code == chosen[1]):
        subject = Subject(*chosen)
    elif code and classify(code).personal:
        st.query_params.pop("subject", None)
        st.warning(t("no_id_in_links"))
        return None
    elif code:
        subject = guarded(find_subject, code)
        if subject is None:
            st.warning(t("no_match"))
            return None
        choose(subject)
    else:
        return None
    st.query_params["subject"] = subject.key
    return subject


def choose(subject: Subject) -> None:
    st.session_state["subject"] = (subject.label, subject.key, subject.name)
    st.session_state["expanded"] = []


@st.cache_data(ttl=TTL, show_spinner=False)
def store_status() -> dict[str, Any]:
    with opened() as store:
        return store.status().as_dict()


def status_or_message() -> dict[str, Any] | None:
    return guarded(store_status)


@st.cache_data(ttl=TTL, show_spinner=False)
def find_subject(code: str) -> Subject | None:
    with opened() as store:
        try:
            return resolve(store, code, secret())
        except UnknownSubject:
            return None


@st.cache_data(ttl=TTL, show_spinner=False)
def search_names(text: str, limit: int = 50) -> pd.DataFrame:
    with opened() as store:
        rows = run(store, "search-enterprises", text=text, limit=limit)
        rows += run(store, "search-persons", text=text, limit=limit)
    return pd.DataFrame(rows, columns=["label", "key", "name", "code", "division", "status"])


@st.cache_data(ttl=TTL, show_spinner=False)
def named(query: str, **params: Any) -> pd.DataFrame:
    """Any read-only query of queries/ by name, as a frame."""
    with opened() as store:
        return pd.DataFrame(run(store, query, **params))


@st.cache_data(ttl=TTL, show_spinner=False)
def credit_file(subject: Subject, day: dt.date) -> dict[str, pd.DataFrame]:
    from propagation.sanctions import subject_sanctions

    with opened() as store:
        sections = profile.profile(store, subject, day)
        sections["measures"] = subject_sanctions(store, subject, day)
    return sections


@st.cache_data(ttl=TTL, show_spinner=False)
def linked_parties(subject: Subject, hops: int, day: dt.date,
                   relations: tuple[str, ...]) -> pd.DataFrame:
    with opened() as store:
        return linked.linked_dishonesty(store, subject, hops, day, relations)


@dataclass
class Neighbourhood:
    """What the network page draws: nodes in walk order (nearest first) with names, edges
    among them, flags, and whether the walk stopped at the cap (``more``: how many neighbours
    were seen and left out — a count, not a list, and a lower bound)."""
    names: dict[str, str] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], None] = field(default_factory=dict)
    flags: dict[str, set[str]] = field(default_factory=dict)
    cut: bool = False
    more: int = 0

    def add(self, edge: linked.Edge) -> None:
        self.edges[(edge.source, edge.target, edge.type)] = None


def walk(store: GraphStore, subject: Subject, hops: int, day: dt.date,
         relations: Sequence[str], expanded: Sequence[str] = (), cap: int = CAP
         ) -> Neighbourhood:
    """Breadth first from the subject, one frontier node per query, stopping as soon as
    ``cap`` nodes are gathered: a registration agent's thousand firms cost one capped walk,
    not a full search cut down afterwards, and a hub in the frontier adds only its own
    neighbours (counted, not kept, beyond the cap). Then one hop around each expanded node."""
    found = Neighbourhood(names={subject.node_id: subject.name})
    frontier = [subject.node_id]
    for _ in range(hops):
        frontier = _level(store, found, frontier, relations, day, cap)
        if found.cut or not frontier:
            break
    if not found.cut and frontier:  # the edges among the last level's nodes
        for node in frontier:
            for _, there, _, edge in linked.expand(store, [node], relations, day):
                if there in found.names:
                    found.add(edge)
    for node in list(expanded)[-MAX_EXPANDED:]:
        _level(store, found, [node], relations, day, len(found.names) + EXPAND_CAP)
    nodes = sorted(found.names)
    found.flags = {
        "black": set(linked.entries_in_force(store, nodes, "black", day)),
        "red": set(linked.entries_in_force(store, nodes, "red", day)),
        "sanctioned": {row["subject_id"] for row in run(
            store, "sanctioned-subjects", ids=nodes, as_of=day)},
    }
    return found


def _level(store: GraphStore, found: Neighbourhood, frontier: list[str],
           relations: Sequence[str], day: dt.date, cap: int) -> list[str]:
    """One hop from ``frontier``, a node at a time; returns the new nodes. Stops asking once
    ``cap`` is reached; neighbours past it are only counted. (A single node's answer is as
    large as its degree: bounding that needs a LIMIT in the neighbours queries.)"""
    new: list[str] = []
    surplus, last = 0, None  # one node's answer lists a neighbour's edges together
    for node in frontier:
        if len(found.names) >= cap:
            found.cut = True
            break
        for _, there, name, edge in linked.expand(store, [node], relations, day):
            if there not in found.names:
                if len(found.names) >= cap:
                    found.cut = True
                    surplus += there != last
                    last = there
                    continue
                found.names[there] = name
                new.append(there)
            found.add(edge)
    found.more = max(found.more, surplus)  # never summed over calls: it stays a lower bound
    return new


@st.cache_data(ttl=TTL, show_spinner=False)
def neighbourhood(subject: Subject, hops: int, day: dt.date, relations: tuple[str, ...],
                  expanded: tuple[str, ...]) -> Neighbourhood:
    with opened() as store:
        return walk(store, subject, hops, day, relations, expanded)


@st.cache_data(ttl=TTL, show_spinner=False)
def scan(hops: int, day: dt.date) -> pd.DataFrame:
    with opened() as store:
        return linked.linked_dishonesty_scan(store, hops, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def restricted(measure: str | None, day: dt.date) -> pd.DataFrame:
    from propagation.sanctions import restricted as restricted_by

    with opened() as store:
        return restricted_by(store, measure, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def servant_file(subject: Subject, day: dt.date) -> dict[str, pd.DataFrame]:
    with opened() as store:
        return civil_servants.civil_servant(store, subject, day).sections()


@st.cache_data(ttl=TTL, show_spinner=False)
def screened(codes: tuple[str, ...], hops: int, day: dt.date, identify_persons: bool,
             max_id_numbers: int | None) -> pd.DataFrame:
    with opened() as store:
        return screening.screen(store, codes, secret(), hops, day,
                                identify_persons=identify_persons,
                                max_id_numbers=max_id_numbers)


@st.cache_data(ttl=TTL, show_spinner=False)
def publication(day: dt.date, since: dt.date) -> pd.DataFrame:
    with opened() as store:
        return audits.publication_audit(store, since, day, day)
