"""What the pages read, cached, and the one place that turns store errors into a message.

The embedded engine lets one process write a store at a time, so the dashboard opens the store
only for the moment it reads and leaves it free for `creditgraph load` in between. Results are
cached for a short while (``TTL``) keyed by their arguments, so moving between pages is instant
and a load shows up within a minute.

Work is bounded: the network walk stops at ``CAP`` nodes instead of cutting afterwards, asking
about one frontier node at a time, and at most ``MAX_EXPANDED`` expanded nodes (``EXPAND_CAP``
neighbours each) are kept per session. A viewer's ID-number lookups are counted against a daily
budget (access/lookup_budget.py) here, for the search and screening pages alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from creditgraph.access import lookup_budget
from creditgraph.dashboard.auth import me, record, user_name
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import NAMES as DOCUMENT_NAMES
from creditgraph.graph.documents import read_reference
from creditgraph.graph.errors import SettingsError, StoreError
from creditgraph.graph.identifiers import CodeCheck, mask_digit_runs
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, open_store
from creditgraph.publication import report, statistics
from creditgraph.publication.lists import PublishedList, published_list
from creditgraph.publication.public_record import penalties_with_windows
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
from creditgraph.queries.library import frame_rows, run
from creditgraph.queries.neighbourhood import Subgraph, node_flags, walk
from creditgraph.queries.subjects import (
    Subject,
    UnknownSubject,
    display_name,
    overseas_subject,
    resolve,
)

TTL = 60
CAP = 150  # nodes the network walk gathers at most
MAX_EXPANDED = 10  # expanded nodes kept per session (the oldest drop out)
SPENT = "id-lookups-spent"  # session: lookups already charged (a rerun is not a new lookup)
T = TypeVar("T")


@contextmanager
def opened() -> Iterator[GraphStore]:
    """Read-only: the dashboard reads beside the API and read commands; a load waits for it."""
    with open_store(Settings.from_env(), read_only=True) as store:
        yield store


@contextmanager
def writable() -> Iterator[GraphStore]:
    """For case work only (assign, status, comment): the store opened for writing, as briefly
    as the change takes, as a CLI command opens it."""
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


def lookup_check(text: str, doc_type: str | None = None) -> CodeCheck:
    """What a typed text (or a link's ``?subject=``) is taken for (graph.documents
    ``read_reference``): every person's number (``check.personal``) is an ID lookup, under the
    viewer's rules and budget; a text fitting no document shape is a name or an entity id."""
    return read_reference(text, doc_type)


def document_name(check: CodeCheck) -> str:
    """The Chinese name of the document a personal number was taken for."""
    return DOCUMENT_NAMES.get("resident_id" if check.kind == "resident_id"
                              else check.doc_type or "", "")


def as_of() -> dt.date:
    return st.session_state.get("as_of") or dt.date.today()


def current_subject() -> Subject | None:
    """The subject chosen on the search page or the network, or named by ``?subject=KEY`` —
    a USCC or legacy code for an enterprise, the person's key (``pid``, an HMAC) for a person;
    never a resident ID number, which would sit in browser histories and server logs. The
    address bar is then set to the subject's key, so the page can be linked to."""
    code = st.query_params.get("subject")
    chosen = st.session_state.get("subject")
    subject: Subject | None
    if chosen and (not code or code == chosen[1]):
        subject = Subject(*chosen)
    elif code and lookup_check(code).personal and guarded(find_overseas, code) is None:
        st.query_params.pop("subject", None)  # an ID number of any document type
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


def chosen_subject() -> Subject:
    """The subject a page is about (``current_subject``); without one the page asks for it and
    stops there."""
    subject = current_subject()
    if subject is None:
        st.info(t("choose_subject"))
        st.stop()
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
def find_subject(code: str, doc_type: str | None = None) -> Subject | None:
    """The subject a code names (a person's document number of the type given, or told by
    its shape); a code that is no ID number may also be an overseas entity's id."""
    with opened() as store:
        try:
            return resolve(store, code, secret(), doc_type)
        except UnknownSubject:
            if doc_type or lookup_check(code).personal:
                return None
            return overseas_subject(store, code)


@st.cache_data(ttl=TTL, show_spinner=False)
def find_overseas(entity_id: str) -> Subject | None:
    with opened() as store:
        return overseas_subject(store, entity_id)


SEARCH_COLUMNS = ["label", "key", "name", "code", "division", "status", "id_type",
                  "nationality", "unresolved", "country", "name_zh"]


@st.cache_data(ttl=TTL, show_spinner=False)
def search_names(text: str, limit: int = 50) -> pd.DataFrame:
    """Enterprises, persons and overseas entities whose name holds the text (an overseas
    entity also by its Chinese name, or by its exact id); an overseas entity is named with its
    country or region in Chinese, as everywhere else."""
    with opened() as store:
        rows = run(store, "search-enterprises", text=text, limit=limit)
        rows += run(store, "search-persons", text=text, limit=limit)
        overseas = [row | {"name": display_name("OverseasEntity", row["name"], row["country"])}
                    for row in run(store, "search-overseas", text=text, limit=limit)]
        exact = overseas_subject(store, text)  # an entity id typed in full
        if exact is not None and exact.key not in {row["key"] for row in overseas}:
            known = network.node_details(store, [exact.node_id]).get(exact.node_id, {})
            overseas.insert(0, {"label": exact.label, "key": exact.key, "name": exact.name,
                                "code": exact.key, "country": known.get("country"),
                                "name_zh": known.get("name_zh")})
        rows += overseas
    frame = pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    return frame.astype(object).where(frame.notna(), None)


@st.cache_data(ttl=TTL, show_spinner=False)
def named(query: str, **params: Any) -> pd.DataFrame:
    """Any read-only query of queries/ by name, as a frame."""
    with opened() as store:
        return pd.DataFrame(run(store, query, **params))


@st.cache_data(ttl=TTL, show_spinner=False)
def credit_file(subject: Subject, day: dt.date) -> dict[str, pd.DataFrame]:
    from creditgraph.propagation.sanctions import subject_sanctions

    with opened() as store:
        sections = profile.profile(store, subject, day)
        sections["measures"] = subject_sanctions(store, subject, day)
    marked = penalties_with_windows(frame_rows(sections["penalties"]), day)
    sections["penalties"] = pd.DataFrame([r for r in marked if r["public"]])
    sections["penalties_past"] = pd.DataFrame([r for r in marked if not r["public"]])
    return sections


def owners(subject: Subject, day: dt.date, threshold: float = 0.25) -> pd.DataFrame:
    """Equity penetration above an enterprise or an overseas entity (queries/ownership.py):
    an overseas owner with its country or region in Chinese, a person with the document type
    and the masked number — never a clear number."""
    return penetration(subject, day, threshold)[0]


@st.cache_data(ttl=TTL, show_spinner=False)
def penetration(subject: Subject, day: dt.date, threshold: float = 0.25
                ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """``owners`` and the holdings the 股权穿透 chart draws, from one walk."""
    with opened() as store:
        frame, drawn = ownership.penetration(store, subject, day, threshold)
        if frame.empty:
            return frame, drawn
        nodes = [network.node_id(label, key)
                 for label, key in zip(frame["label"], frame["owner_id"], strict=True)]
        known = network.node_details(store, nodes)
    frame = frame.assign(
        country_name=[chinese_name(c) if isinstance(c, str) else "" for c in frame["country"]],
        id_type_name=[known.get(n, {}).get("id_type_name", "") for n in nodes],
        id_masked=[known.get(n, {}).get("id_masked", "") for n in nodes])
    return frame[["owner_id", "label", "name", "country", "country_name", "id_type_name",
                  "id_masked", "share", "levels", "chains", "unknown_chains", "controls",
                  "beneficial_owner", "example_chain"]], drawn


@st.cache_data(ttl=TTL, show_spinner=False)
def paths_between(source: Subject, target: Subject, length: int, day: dt.date,
                  relations: tuple[str, ...], every: bool) -> tuple[pd.DataFrame, Subgraph]:
    """The shortest paths from one subject to another (queries/paths.py) and, for drawing
    them, their nodes (names, flags) and every relation among those nodes."""
    with opened() as store:
        frame = paths.paths(store, source, target, length, day, relations, all_shortest=every)
        drawn = Subgraph()
        for keys, labels, names in zip(frame["path"], frame["path_labels"],
                                       frame["path_names"], strict=True):
            for hops, (key, label, name) in enumerate(zip(keys, labels, names, strict=True)):
                node = network.node_id(label, key)
                if node not in drawn.hops or drawn.hops[node] > hops:
                    drawn.keep(node, name, hops)
        nodes = sorted(drawn.hops)
        if nodes:
            for _, there, _, edge in network.expand(store, nodes, relations, day):
                if there in drawn.hops:
                    drawn.add(edge)
            drawn.flags = node_flags(store, nodes, day)
    return frame, drawn


@st.cache_data(ttl=TTL, show_spinner=False)
def suspicious(min_size: int, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """可疑关联 and phoenix firms (queries/clusters.py), as `creditgraph query clusters`."""
    with opened() as store:
        return clusters.clusters(store, min_size, day), clusters.phoenix_firms(store, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def risk_ranking(top: int, hops: int, day: dt.date) -> pd.DataFrame:
    with opened() as store:
        return risk.risk_rank(store, top, hops, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def breaches(day: dt.date) -> pd.DataFrame:
    with opened() as store:
        return audits.commitment_breaches(store, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def conflicts(hops: int, day: dt.date) -> pd.DataFrame:
    with opened() as store:
        return audits.red_black_conflicts(store, hops, day)


def with_countries(frame: pd.DataFrame, store: GraphStore, ids: list[str]) -> pd.DataFrame:
    """``frame`` with a ``country`` column: an overseas entity's country or region in Chinese
    (``ids``: each row's node id), '' for everyone else."""
    overseas = [node for node in ids if network.split_id(node)[0] == "OverseasEntity"]
    known = network.node_details(store, overseas) if overseas else {}
    return frame.assign(country=[known.get(node, {}).get("country_name", "") for node in ids])


@st.cache_data(ttl=TTL, show_spinner=False)
def linked_parties(subject: Subject, hops: int, day: dt.date,
                   relations: tuple[str, ...]) -> pd.DataFrame:
    with opened() as store:
        return linked.linked_dishonesty(store, subject, hops, day, relations)


@st.cache_data(ttl=TTL, show_spinner=False)
def neighbourhood(subject: Subject, hops: int, day: dt.date, relations: tuple[str, ...],
                  expanded: tuple[str, ...]) -> Subgraph:
    """The network page's graph: the walk a case bag records (queries/neighbourhood.py), stopped
    at CAP nodes, with the page's expansions (the last MAX_EXPANDED, nodes of this graph only)."""
    with opened() as store:
        return walk(store, [subject], hops, day, relations, CAP, expanded[-MAX_EXPANDED:])


@st.cache_data(ttl=TTL, show_spinner=False)
def scan(hops: int, day: dt.date, limit: int | None = None) -> pd.DataFrame:
    with opened() as store:
        frame = linked.linked_dishonesty_scan(store, hops, day, limit=limit)
        if frame.empty:
            return frame
        return with_countries(frame, store, [network.node_id(label, key) for label, key in
                                             zip(frame["label"], frame["subject_id"],
                                                 strict=True)])


@st.cache_data(ttl=TTL, show_spinner=False)
def restricted(measure: str | None, day: dt.date) -> pd.DataFrame:
    from creditgraph.propagation.sanctions import restricted as restricted_by

    with opened() as store:
        frame = restricted_by(store, measure, day)
        if frame.empty:
            return frame
        frame = with_countries(frame, store, list(frame["subject_id"]))
        return frame.assign(name=[f"{name or ''}（{country}）" if country else name
                                  for name, country in zip(frame["name"], frame["country"],
                                                           strict=True)])


@st.cache_data(ttl=TTL, show_spinner=False)
def servant_file(subject: Subject, day: dt.date) -> dict[str, pd.DataFrame]:
    with opened() as store:
        return civil_servants.civil_servant(store, subject, day).sections()


@st.cache_data(ttl=TTL, show_spinner=False)
def screened(codes: tuple[str, ...], hops: int, day: dt.date, identify_persons: bool,
             max_id_numbers: int | None) -> pd.DataFrame:
    with opened() as store:
        frame = screening.screen(store, codes, secret(), hops, day,
                                 identify_persons=identify_persons,
                                 max_id_numbers=max_id_numbers)
    return personal_rows(frame, codes, identify_persons)


def id_numbers(codes: Sequence[str]) -> int:
    """How many codes are a person's document number of any type (``lookup_check``): what an
    upload costs a viewer and what the per-upload cap counts."""
    return sum(1 for code in codes if lookup_check(code).personal)


def personal_rows(frame: pd.DataFrame, codes: Sequence[str], identify_persons: bool
                  ) -> pd.DataFrame:
    """The screening result as a page may show it (one row per code, in order): every
    person's document number masked, whatever its type; for a viewer (``identify_persons``
    false) such a row says only found / not found — no name, no finding."""
    if frame.empty or len(frame) != len(codes):
        return frame
    rows = frame.to_dict("records")
    for row, code in zip(rows, codes, strict=True):
        check = lookup_check(code)
        if check.personal:
            row["code"] = str(check.public()["input"])
            if not identify_persons:
                row |= {"name": None, "eligible": None, "reasons": [], "evidence": []}
    return pd.DataFrame(rows, columns=frame.columns)


@st.cache_data(ttl=TTL, show_spinner=False)
def publication(day: dt.date, since: dt.date) -> pd.DataFrame:
    with opened() as store:
        return audits.publication_audit(store, since, day, day)


@st.cache_data(ttl=TTL, show_spinner=False)
def published(kind: str, day: dt.date, district: str, authority: str) -> PublishedList:
    with opened() as store:
        return published_list(store, kind, day, district=district, authority=authority)


@st.cache_data(ttl=TTL, show_spinner=False)
def headline(day: dt.date) -> dict[str, int]:
    """The overview's first figures: subjects black- and red-listed on ``day``."""
    with opened() as store:
        return {kind: int(run(store, "listed-subjects-count", kind=kind, as_of=day)[0]
                          ["subjects"]) for kind in ("black", "red")}


@st.cache_data(ttl=TTL, show_spinner=False)
def city_figures(day: dt.date) -> dict[str, int]:
    """This year's penalties and 七天双公示 counts for the whole city, each decision once: summed
    over the deciding authorities (a decision on subjects of several districts counts in each
    district's row, never twice here)."""
    with opened() as store:
        rows = statistics.statistics(store, "authority", statistics.period(None, day))
    fields = ("penalties", "published_on_time", "published_late", "unpublished_late")
    return {field: sum(n for row in rows if isinstance(n := row[field], int)) for field in fields}


@st.cache_data(ttl=TTL, show_spinner=False)
def district_statistics(day: dt.date) -> pd.DataFrame:
    """This year's figures by district up to ``day`` (publication/statistics.py)."""
    with opened() as store:
        rows = statistics.statistics(store, "district", statistics.period(None, day))
    return pd.DataFrame(rows)


def issue_report(subject: Subject, day: dt.date, purpose: str | None, suffix: str
                 ) -> tuple[bytes, str]:
    """A credit report issued now under the signed-in user (never cached: each is numbered
    and recorded)."""
    with opened() as store:
        built = report.build(store, subject, day, purpose)
    data, _ = report.issue(built, suffix, actor=user_name() or "unknown")
    return data, built.number


def case_counts() -> dict[str, int]:
    """Open and in-progress cases, and of those the unassigned (the overview's figures)."""
    from creditgraph.alerts.cases import list_cases

    with opened() as store:
        rows = [r for r in list_cases(store, me(), "", "") if r["status"] in (
            "open", "in_progress")]
    return {"open": len(rows), "unassigned": sum(1 for r in rows if not r["assignee"])}


def subject_cases(subject: Subject) -> list[dict[str, Any]]:
    from creditgraph.alerts.cases import cases_of

    with opened() as store:
        return cases_of(store, me(), subject.label, subject.key)
