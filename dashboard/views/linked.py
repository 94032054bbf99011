"""关联失信 Linked dishonesty: the whole-graph scan, ranked closest first, filterable by district
(from the USCC's division code: enterprises only) and list type. Each subject says what it is
(企业 / 自然人 / 境外主体); an overseas entity its country or region."""

import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, scan
from creditgraph.dashboard.i18n import label_name, t
from creditgraph.dashboard.widgets import table
from creditgraph.graph.divisions import name as division_name

st.title(t("linked"))
hops = st.slider(t("max_hops"), 1, 3, 2, key="scan_hops")
with st.spinner("…"):
    frame = guarded(scan, hops, as_of())
if frame is not None:
    if not frame.empty:
        frame = frame.assign(district=[
            (division_name(key[2:8]) or key[2:8]) if label == "Enterprise" else "—"
            for key, label in zip(frame["subject_id"], frame["label"], strict=True)],
            kind=frame["label"].map(label_name))
        left, right = st.columns(2)
        districts = left.multiselect(t("district"), sorted(set(frame["district"])))
        types = right.multiselect(t("list_type"), sorted({x for v in frame["list_types"]
                                                          for x in v}))
        if districts:
            frame = frame[frame["district"].isin(districts)]
        if types:
            frame = frame[frame["list_types"].map(lambda v: bool(set(v) & set(types)))]
        st.caption(f"{len(frame):,}")
        frame = frame[["subject_id", "kind", "name", "district", "country", "hops",
                       "list_types", "entries", "explanation"]]
    table(frame, "linked-dishonesty-scan")
