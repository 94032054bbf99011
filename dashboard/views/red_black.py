"""红黑名单冲突 Red/black conflicts: red-listed subjects (守信激励) that are black-listed
themselves or have a black-listed party within N hops — their incentives should be withheld
(`creditgraph query red-black-conflicts`), each with the path in words."""

import streamlit as st

from creditgraph.dashboard.data import as_of, conflicts, guarded
from creditgraph.dashboard.i18n import label_name, t
from creditgraph.dashboard.widgets import table

st.title(t("red_black"))
st.caption(t("conflicts_help"))
hops = st.slider(t("max_hops"), 1, 3, 2, key="conflict_hops")
with st.spinner("…"):
    frame = guarded(conflicts, hops, as_of())
if frame is not None:
    if not frame.empty:
        left, right = st.columns(2)
        left.metric(t("conflict_self"), int((frame["hops"] == 0).sum()))
        right.metric(t("conflict_linked"), int((frame["hops"] > 0).sum()))
        frame = frame.assign(kind=frame["label"].map(label_name), explanation=[
            t("conflict_self") if hops == 0 else words  # the query says 本身在黑名单中
            for hops, words in zip(frame["hops"], frame["explanation"], strict=True)])[
            ["subject_id", "kind", "name", "red_entries", "hops", "black_entries",
             "explanation"]]
    table(frame, "red-black-conflicts")
