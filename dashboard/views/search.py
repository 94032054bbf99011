"""主体查询 Search: by name (partial), USCC, legacy code, or resident ID number — the number is
matched through its keyed hash and never shown in clear."""

import streamlit as st

from dashboard.data import choose, find_subject, guarded, search_names
from dashboard.i18n import t
from dashboard.widgets import md
from graph import audit
from graph.identifiers import classify
from queries.subjects import Subject

st.title(t("search"))
text = st.text_input(t("query"), key="search_text").strip()
if text:
    check = classify(text)
    if st.session_state.get("audited_search") != text:  # once per query, ID numbers masked
        audit.append("search", user=st.session_state.get("user_name"),
                     query=check.public()["input"] if check.kind == "resident_id" else text)
        st.session_state["audited_search"] = text
    if check.kind != "unknown":
        found = guarded(find_subject, text)
        results = [found] if found else []
    else:
        frame = guarded(search_names, text)
        results = [] if frame is None else [
            Subject(r.label, r.key, r.name) for r in frame.itertuples()]
        codes = {} if frame is None else dict(zip(frame["key"], frame["code"], strict=True))
    if not results:
        st.info(t("no_match"))
    for index, subject in enumerate(results):
        shown = subject.key if subject.label == "Enterprise" else (
            codes.get(subject.key) if check.kind == "unknown" else check.public()["input"])
        left, middle, right = st.columns([5, 1, 1])
        left.markdown(f"**{md(subject.name)}** · {subject.label} · {md(shown or '')}")
        if middle.button(t("open_file"), key=f"open-{index}"):
            choose(subject)
            st.switch_page("views/profile.py")
        if right.button(t("open_network"), key=f"net-{index}"):
            choose(subject)
            st.switch_page("views/network.py")
