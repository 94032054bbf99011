"""What the pages read, cached, and the one place that turns store errors into a message.

The embedded engine lets one process write a store at a time, so the dashboard opens the store
only for the moment it reads and leaves it free for `creditgraph load` in between. Results are
cached for a short while (``TTL``) keyed by their arguments, so moving between pages is instant
and a load shows up within a minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from graph.errors import SettingsError, StoreError
from graph.settings import Settings
from graph.store import GraphStore, open_store
from queries import audits, civil_servants, linked, profile, screening
from queries.library import run
from queries.subjects import Subject, UnknownSubject, resolve

TTL = 60
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
        st.error(f"{t('unavailable')} database unavailable: {exc}")
        return None


def as_of() -> dt.date:
    return st.session_state.get("as_of") or dt.date.today()


def current_subject() -> Subject | None:
    """The subject the investigator chose (search page, network click or ?subject=)."""
    chosen = st.session_state.get("subject")
    if chosen:
        return Subject(*chosen)
    code = st.query_params.get("subject")
    if code:
        found = guarded(find_subject, code)
        if found is not None:
            choose(found)
            return found
    return None


def choose(subject: Subject) -> None:
    st.session_state["subject"] = (subject.label, subject.key, subject.name)


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


@st.cache_data(ttl=TTL, show_spinner=False)
def neighbourhood(subject: Subject, hops: int, day: dt.date, relations: tuple[str, ...],
                  expanded: tuple[str, ...]) -> tuple[dict, dict, list]:
    """Nodes within ``hops`` (and around expanded nodes, one hop), with names and edges, and
    which of them are black-listed, red-listed or sanctioned."""
    with opened() as store:
        reached, names = linked.search(store, [subject.node_id], hops, relations, day)
        edges = linked.expand(store, sorted(set(reached) | set(expanded)), relations, day)
        for _, there, name, _ in edges:
            names.setdefault(there, name)
        nodes = set(reached) | {there for _, there, _, _ in edges}
        flags = {
            "black": set(linked.entries_in_force(store, nodes, "black", day)),
            "red": set(linked.entries_in_force(store, nodes, "red", day)),
            "sanctioned": {row["subject_id"] for row in run(
                store, "sanctioned-subjects", ids=sorted(nodes), as_of=day)},
        }
    names[subject.node_id] = subject.name
    return names, flags, [(edge.source, edge.target, edge.type) for *_, edge in edges]


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
def screened(codes: tuple[str, ...], hops: int, day: dt.date) -> pd.DataFrame:
    with opened() as store:
        return screening.screen(store, codes, secret(), hops, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def publication(day: dt.date, since: dt.date) -> pd.DataFrame:
    with opened() as store:
        return audits.publication_audit(store, since, day, day)
