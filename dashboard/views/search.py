"""主体查询 Search: by name (partial: enterprises, persons and overseas entities, in their
original script or in Chinese), USCC, legacy code, an overseas entity's id, or a person's
document number of any type — resident ID, passport, permits… (dashboard/data.py
`lookup_check`; where the shape cannot tell the type, the 证件类型 chosen beside the box does).
The number is matched through its keyed hash and never shown in clear.

Below investigator, a document number answers only found / not found (no name anywhere on the
page): the file opens because the viewer holds the exact number, but a list of guesses around a
masked number never comes back as a name; and each number looked up is counted against the
viewer's daily budget (access/lookup_budget.py), shared with the screening upload. Every search
is written to the audit log, ID numbers masked. An overseas entity is shown with its country or
region in Chinese and its id — never with a masked number."""

from typing import Any

import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import (
    audited,
    choose,
    document_name,
    find_subject,
    guarded,
    id_lookups,
    lookup_check,
    search_names,
)
from creditgraph.dashboard.i18n import label_name, t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.countries import chinese_name
from creditgraph.graph.documents import NAMES as DOCUMENT_NAMES
from creditgraph.graph.documents import mask_personal_text
from creditgraph.queries.library import frame_rows
from creditgraph.queries.subjects import Subject

st.title(t("search"))
box, kind = st.columns([4, 1])
text = box.text_input(t("query"), key="search_text", max_chars=200).strip()
doc_type: str | None = kind.selectbox(
    t("doc_type"), [None, *DOCUMENT_NAMES], key="search_doc_type",
    format_func=lambda code: t("doc_type_auto") if code is None else DOCUMENT_NAMES[code])
st.caption(t("id_rule"))
check = lookup_check(text, doc_type) if text else None
by_id = check is not None and check.personal
names_hidden = by_id and not me().can("investigator")
lookup = f"{doc_type or ''}:{check.normalized}" if by_id and check else None
if not id_lookups(1 if by_id else 0, lookup, "search"):
    st.stop()


def described(subject: Subject, row: dict[str, Any]) -> str:
    """What a result row says beside the name: the USCC of an enterprise; a person's document
    type and masked number (or that it was named without a number); an overseas entity's id
    and Chinese name (its country is in its name) — never a masked number for it."""
    if subject.label == "Enterprise":
        parts = [subject.key]
    elif subject.label == "OverseasEntity":
        parts = [row.get("code") or subject.key, row.get("name_zh") or ""]
    elif row.get("unresolved"):
        parts = [t("unresolved_short")]
    else:
        nationality = row.get("nationality")
        parts = [DOCUMENT_NAMES.get(row.get("id_type") or "", ""), row.get("code") or "",
                 chinese_name(nationality) if nationality and nationality != "CN" else ""]
    return " · ".join(md(part) for part in parts if part)


if text and check is not None:
    shown_query = mask_personal_text(text) if check.kind == "unknown" else str(
        check.public()["input"])  # a document number masked, else as typed
    rows: dict[str, dict[str, Any]] = {}
    if check.kind != "unknown":
        found = guarded(find_subject, text, doc_type)
        results = [found] if found else []
        if found is not None and by_id:
            rows[found.key] = {"code": shown_query, "id_type": check.doc_type or "resident_id",
                               "nationality": check.nationality}
    else:
        frame = guarded(search_names, text)
        records = [] if frame is None else frame_rows(frame)
        results = [Subject(r["label"], r["key"], r["name"]) for r in records]
        rows = {r["key"]: r for r in records}
    audited("search", (text, doc_type), query=shown_query, kind=check.kind,
            doc_type=check.doc_type, results=len(results))
    if not results:
        st.info(t("no_match"))
        if by_id and doc_type is None and check.kind == "document":
            st.caption(t("doc_type_hint", doc=document_name(check)))
        elif check.kind == "unknown" and any(c.isdigit() for c in text):
            st.caption(t("doc_type_needed"))
    for index, subject in enumerate(results):
        left, middle, right = st.columns([5, 1, 1])
        if names_hidden:
            left.markdown(md(t("id_found", doc=document_name(check), masked=shown_query)))
        else:
            left.markdown(f"**{md(subject.name)}** · {md(label_name(subject.label))} · "
                          f"{described(subject, rows.get(subject.key, {}))}")
        if middle.button(t("open_file"), key=f"open-{index}"):
            choose(subject)
            st.switch_page("views/profile.py")
        if right.button(t("open_network"), key=f"net-{index}"):
            choose(subject)
            st.switch_page("views/network.py")
