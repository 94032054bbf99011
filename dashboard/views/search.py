"""主体查询 Search: by name (partial), USCC, legacy code, or resident ID number — the number is
matched through its keyed hash and never shown in clear.

Below investigator, a resident ID number answers only found / not found (no name): the file
opens because the viewer holds the exact number, but a list of guesses around a masked number
never comes back as a name. Every search is written to the audit log, ID numbers masked."""

import streamlit as st

from dashboard.auth import at_least
from dashboard.data import audited, choose, find_subject, guarded, search_names
from dashboard.i18n import t
from dashboard.widgets import md
from graph.identifiers import classify
from queries.subjects import Subject

st.title(t("search"))
text = st.text_input(t("query"), key="search_text", max_chars=200).strip()
st.caption(t("id_rule"))
if text:
    check = classify(text)
    by_id = check.kind == "resident_id"
    shown_query = str(check.public()["input"]) if by_id else text
    codes: dict[str, str] = {}
    if check.kind != "unknown":
        found = guarded(find_subject, text)
        results = [found] if found else []
    else:
        frame = guarded(search_names, text)
        results = [] if frame is None else [
            Subject(r.label, r.key, r.name) for r in frame.itertuples()]
        codes = {} if frame is None else dict(zip(frame["key"], frame["code"], strict=True))
    audited("search", text, query=shown_query, kind=check.kind, results=len(results))
    if not results:
        st.info(t("no_match"))
    for index, subject in enumerate(results):
        left, middle, right = st.columns([5, 1, 1])
        if by_id and not at_least("investigator"):
            left.markdown(md(t("id_found", masked=shown_query)))
        else:
            shown = subject.key if subject.label == "Enterprise" else (
                codes.get(subject.key) if check.kind == "unknown" else shown_query)
            left.markdown(f"**{md(subject.name)}** · {subject.label} · {md(shown or '')}")
        if middle.button(t("open_file"), key=f"open-{index}"):
            choose(subject)
            st.switch_page("views/profile.py")
        if right.button(t("open_network"), key=f"net-{index}"):
            choose(subject)
            st.switch_page("views/network.py")
