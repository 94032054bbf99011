"""案件 Cases: the cases alerts opened (alerts/cases.py — the same code as `creditgraph cases`).
By default the signed-in investigator's open and in-progress cases; filters; a case's evidence
and history with links to the subject's credit file and network and to the evidence export with
the case number filled in (a link may name the case: ``/cases?case=AJ-…``); comments and status
changes (with a note); bulk assignment for supervisors. Viewers do not see the page; every
change goes to the case history and the audit log under the signed-in user."""

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from creditgraph.access.users import load_users
from creditgraph.alerts import cases as case_store
from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import guarded, opened, writable
from creditgraph.dashboard.i18n import column_name, t, value_name
from creditgraph.dashboard.widgets import md
from creditgraph.graph.errors import CreditGraphError

st.title(t("cases"))
user = me()
if not user.can("investigator"):
    st.error(t("not_allowed"))
    st.stop()


def status_word(status: str) -> str:
    """A case's status in the page's language (publication/field_words.py VALUE_WORDS)."""
    return str(value_name("status", status))


def detail_words(detail: object) -> str:
    """A history entry's detail in words (``原: 待处理；改为: 处理中；备注: …``), not JSON."""
    if not isinstance(detail, dict):
        return "" if detail is None else str(detail)

    def shown(value: object) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, list):
            return "、".join(map(str, value))
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return status_word(str(value)) if value in case_store.STATUSES else str(value)

    return "；".join(f"{column_name(key)}: {shown(value)}" for key, value in detail.items())


statuses = {"": t("any"), **{s: status_word(s) for s in case_store.STATUSES}}
scopes = {"mine": t("cases_mine"), "all": t("cases_all"), "-": t("cases_unassigned")}
left, right = st.columns(2)
linked = st.query_params.get("case")  # a link may name the case: /cases?case=AJ-…
scope = left.radio(t("cases_scope"), list(scopes), format_func=scopes.__getitem__, horizontal=True,
                   index=1 if linked else 0, key="cases_scope")
status = right.selectbox(t("status"), list(statuses), format_func=statuses.__getitem__,
                         key="cases_status")


def listed() -> list[dict]:
    with opened() as store:
        rows = case_store.list_cases(store, user, status or "",
                                     user.name if scope == "mine" else scope if scope == "-"
                                     else "")
    if scope == "mine" and not status:
        rows = [r for r in rows if r["status"] in ("open", "in_progress")]
    return rows


rows = guarded(listed) or []
frame = pd.DataFrame(rows, columns=["case_id", "severity", "status", "assignee", "rule",
                                    "subject_name", "alerts", "updated_at"])
frame["status"] = frame["status"].map(status_word)
frame["severity"] = frame["severity"].map(lambda level: value_name("severity", level))
st.dataframe(frame.rename(columns=column_name), hide_index=True, width="stretch")
if not rows:
    st.caption(t("none"))
    st.stop()


def act(work: Callable[..., object], *args: object) -> None:
    """A change, through a store opened for writing; its outcome shown, the page refreshed."""
    try:
        with writable() as store:
            work(store, user, *args)
    except CreditGraphError as exc:
        st.error(md(exc))
        return
    st.session_state["cases_done"] = t("saved")
    st.rerun()


if done := st.session_state.pop("cases_done", None):
    st.success(done)
if user.can("supervisor"):
    with st.expander(t("cases_assign")):
        investigators = sorted(name for name, u in load_users().items()
                               if u.can("investigator"))
        chosen = st.multiselect(t("cases"), [r["case_id"] for r in rows], key="cases_bulk")
        to = st.selectbox(t("assignee"), investigators, key="cases_to")
        if st.button(t("cases_assign"), key="cases_assign_go", disabled=not chosen or not to):
            act(lambda store, who, ids, name: case_store.assign(store, who, ids, name,
                                                                load_users()), chosen, to)

ids = [r["case_id"] for r in rows]
case_id = st.selectbox(t("case"), ids, index=ids.index(linked) if linked in ids else 0,
                       key="cases_selected")


def shown() -> dict:
    with opened() as store:
        return case_store.show_case(store, user, case_id)


case = guarded(shown)
if case is None:
    st.stop()
st.subheader(f"{md(case['case_id'])} · {md(case['title'] or case['rule'])} · "
             f"{md(case['subject_name'] or case['subject_key'])}")
st.caption(f"{t('status')}: {status_word(case['status'])} · {t('assignee')}: "
           f"{md(case['assignee'] or '—')} · {t('alerts')}: {case['alerts']}")
st.markdown(f"**{t('evidence')}**")
for item in case["evidence"].get("items", []):
    st.markdown(f"- {md(item)}")
for words in case["evidence"].get("words", []):
    st.caption(md(words))
if case["subject_label"] in ("Enterprise", "Person", "OverseasEntity"):
    chosen_subject = (case["subject_label"], case["subject_key"], case["subject_name"] or "")
    links = st.columns(3)
    for column, (label, page) in zip(links, (("profile", "profile"), ("network", "network"),
                                             ("export", "export")), strict=True):
        if column.button(t(label), key=f"cases_open_{page}"):
            st.session_state["subject"] = chosen_subject
            if page == "export":
                st.session_state["case_no"] = case["case_id"]
            st.switch_page(f"views/{page}.py")
st.markdown(f"**{t('history')}**")
st.dataframe(pd.DataFrame([{**e, "detail": detail_words(e["detail"])}
                           for e in case["history"]],
                          columns=["at", "actor", "action", "detail"]
                          ).rename(columns=column_name),
             hide_index=True, width="stretch")
note = st.text_area(t("note"), key="cases_note", max_chars=case_store.MAX_COMMENT)
choices = [s for s in case_store.STATUSES if (case["status"], s) in case_store.TRANSITIONS]
first, second = st.columns(2)
target = first.selectbox(t("status"), choices, format_func=status_word,
                         key="cases_target")
if first.button(t("cases_set_status"), key="cases_status_go", disabled=not choices):
    act(case_store.set_status, case_id, target, note)
if second.button(t("cases_comment"), key="cases_comment_go"):
    act(case_store.comment, case_id, note)
