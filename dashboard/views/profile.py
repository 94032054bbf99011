"""信用档案 Credit file: the profile query and the joint-punishment measures, on the as-of
date chosen in the sidebar. Opening a file is written to the audit log; the link carries the
subject's key (a person's ``pid``), never an ID number of any document type.

A person's file says which document identifies them (in Chinese), the masked number and the
nationality; a person named without a number (an unresolved 自然人股东) says so, with the firm it
is scoped to and, once resolved, the person it was resolved to — both as links to their own
files (``?subject=KEY``). An overseas entity (境外主体) shows its country or region, its
relations and the measures applied to it (it has no list entries, penalties, licenses or
commitments in the graph). Enterprises and overseas entities show their owners (股权穿透),
overseas owners with their country or region. Penalties are those inside their publication
window (publication/windows.py), as everything public shows them; investigators also see the
others, marked, below them. The page issues the subject's public credit
report (PDF or HTML), recorded in the audit log under the signed-in user."""

from typing import Any

import pandas as pd
import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import (
    as_of,
    audited,
    chosen_subject,
    credit_file,
    guarded,
    issue_report,
    owners,
    subject_cases,
)
from creditgraph.dashboard.i18n import label_name, t
from creditgraph.dashboard.widgets import md, table
from creditgraph.graph.errors import CreditGraphError
from creditgraph.queries.checks import load_purposes
from creditgraph.queries.library import frame_rows
from creditgraph.queries.subjects import Subject

RECORDS = ("entries", "penalties", "licenses", "commitments")
MEASURE_COLUMNS = ["measure", "kind", "departments", "entry_id", "list_type", "hops", "valid_to",
                   "path_text", "basis"]


def value(row: dict[str, Any], key: str) -> str:
    """A cell as text; missing values (None, NaN) as ''."""
    found = row.get(key)
    return "" if found is None or (isinstance(found, float) and pd.isna(found)) else str(found)


def line(word: str, *parts: str) -> None:
    shown = " ".join(md(part) for part in parts if part)
    if shown:
        st.markdown(f"**{md(t(word))}**：{shown}")


def file_link(word: str, key: str, name: str) -> None:
    """A link to another subject's file by its key (a USCC or a person's pid, never a
    number); its name escaped like every text from data."""
    if not key:
        return
    st.page_link("views/profile.py", label=f"{t(word)}：{md(name or key)}",
                 query_params={"subject": key}, icon=":material/description:")


def summary(label: str, row: dict[str, Any]) -> None:
    """What identifies the subject, in words above the tables."""
    if label == "OverseasEntity":
        line("country", value(row, "country_name"), f"({value(row, 'country')})"
             if value(row, "country") else "")
        line("name_zh", value(row, "name_zh"))
        line("entity_id", value(row, "entity_id"))
        line("registration_no", value(row, "registration_no"))
    elif label == "Person":
        if value(row, "unresolved") == "True":
            line("identification", t("resolved" if value(row, "resolved_to") else "unresolved"))
            file_link("scope", value(row, "scope"), value(row, "scope_name"))
            if value(row, "resolved_to"):
                file_link("resolved_to", value(row, "resolved_to"),
                          value(row, "resolved_to_name"))
                line("resolved_by", value(row, "resolved_by"), value(row, "resolved_at"))
            return
        line("identification", t("identified"))
        line("id_type", value(row, "id_type_name"))
        line("id_masked", value(row, "id_masked"))
        line("nationality", value(row, "nationality_name"), f"({value(row, 'nationality')})"
             if value(row, "nationality") else "")


def report_section(subject: Subject) -> None:
    """出具信用报告: the public credit report (publication/report.py), issued under the
    signed-in user and recorded in the audit log; any role may issue one (public content)."""
    st.subheader(t("credit_report"))
    choices = [None, *load_purposes()]
    left, middle, right = st.columns([2, 1, 1])
    purpose = left.selectbox(t("report_purpose"), choices, key="report_purpose",
                             format_func=lambda p: t("not_stated") if p is None else p)
    for column, suffix in ((middle, ".pdf"), (right, ".html")):
        if column.button(f"{t('issue_report')} {suffix[1:].upper()}", key=f"report{suffix}"):
            try:
                data, number = guarded(issue_report, subject, as_of(), purpose, suffix) or (
                    None, None)
            except CreditGraphError as exc:  # e.g. the audit log cannot take the record
                st.error(md(exc))
                return
            if data is not None:
                st.session_state["credit_report"] = (subject.node_id, number, suffix, data)
    issued = st.session_state.get("credit_report")
    if issued and issued[0] == subject.node_id:  # never another subject's report here
        _, number, suffix, data = issued
        st.success(t("report_issued", number=number))
        st.download_button(f"{t('download')} {number}{suffix}", data, f"{number}{suffix}",
                           "application/pdf" if suffix == ".pdf" else "text/html",
                           key="report_download", on_click="ignore")


st.title(t("profile"))
subject = chosen_subject()
audited("profile-open", subject.node_id, subject=subject.node_id)
st.header(md(subject.name))
st.caption(f"{md(label_name(subject.label))} · {as_of()}")
with st.spinner("…"):
    sections = guarded(credit_file, subject, as_of())
if sections is not None:
    identity = sections.get("identity")
    if identity is not None and not identity.empty:
        summary(subject.label, frame_rows(identity.head(1))[0])
    overseas = subject.label == "OverseasEntity"
    names = ("identity", "measures", "relations") if overseas else (
        "identity", "entries", "measures", "penalties", "licenses", "commitments", "relations")
    for name in names:
        st.subheader(t(name))
        frame = sections.get(name)
        if name == "measures" and frame is not None and not frame.empty:
            frame = frame[MEASURE_COLUMNS]
        if name == "penalties" and frame is not None and not frame.empty:
            frame = frame.drop(columns=["public"])
        table(frame, f"{name}")
        past = sections.get("penalties_past")
        if name == "penalties" and past is not None and not past.empty and me().can(
                "investigator"):  # evidence stays, for investigators, marked
            with st.expander(t("penalties_past", count=len(past))):
                table(past.drop(columns=["public"]), "penalties-past")
    if overseas:
        st.caption(t("overseas_records"))
    if subject.label in ("Enterprise", "OverseasEntity"):
        st.subheader(t("ownership"))
        table(guarded(owners, subject, as_of()), "ownership")
    if me().can("investigator"):  # the subject's open cases (viewers see nothing of cases)
        open_cases = guarded(subject_cases, subject)
        if open_cases:
            st.subheader(t("cases_open"))
            table(pd.DataFrame(open_cases), "cases")
    report_section(subject)
    if st.button(t("open_network")):
        st.switch_page("views/network.py")
