"""主体查询 Search: by name (partial), USCC, legacy code, or a person's ID number — the number is
matched through its keyed hash and never shown in clear.

Below investigator, an ID number answers only found / not found (no name anywhere on the page):
the file opens because the viewer holds the exact number, but a list of guesses around a masked
number never comes back as a name; and each ID number looked up is counted against the viewer's
daily budget (graph/lookup_budget.py), shared with the screening upload. Every search is written
to the audit log, ID numbers masked."""

import streamlit as st

from dashboard.auth import me
from dashboard.data import audited, choose, find_subject, guarded, id_lookups, search_names
from dashboard.i18n import t
from dashboard.widgets import md
from graph.identifiers import classify
from queries.subjects import Subject

st.title(t("search"))
text = st.text_input(t("query"), key="search_text", max_chars=200).strip()
st.caption(t("id_rule"))
check = classify(text) if text else None
by_id = check is not None and check.personal
names_hidden = by_id and not me().can("investigator")
if not id_lookups(1 if by_id else 0, check.normalized if by_id and check else None, "search"):
    st.stop()
if text and check is not None:
    shown_query = str(check.public()["input"])  # a person's ID number masked, else as typed
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
        if names_hidden:
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
