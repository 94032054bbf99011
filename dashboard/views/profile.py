"""信用档案 Credit file: the profile query and the joint-punishment measures, on the as-of
date chosen in the sidebar. Opening a file is written to the audit log; the link carries the
subject's key (a person's ``pid``), never a resident ID number."""

import streamlit as st

from dashboard.data import as_of, audited, credit_file, current_subject, guarded
from dashboard.i18n import t
from dashboard.widgets import md, table

st.title(t("profile"))
subject = current_subject()
if subject is None:
    st.info(t("choose_subject"))
    st.stop()
audited("profile-open", subject.node_id, subject=subject.node_id)
st.header(md(subject.name))
st.caption(f"{subject.label} · {as_of()}")
with st.spinner("…"):
    sections = guarded(credit_file, subject, as_of())
if sections is not None:
    for name in ("identity", "entries", "measures", "penalties", "licenses", "commitments",
                 "relations"):
        st.subheader(t(name))
        frame = sections.get(name)
        if name == "measures" and frame is not None and not frame.empty:
            frame = frame[["measure", "kind", "departments", "entry_id", "list_type", "hops",
                           "valid_to", "path_text", "basis"]]
        table(frame, f"{name}")
    if st.button(t("open_network")):
        st.switch_page("views/network.py")
