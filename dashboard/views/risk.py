"""网络风险 Network risk: subjects ranked by how close they sit to black-listed ones in the
control network (personalised PageRank seeded on the black-listed, `creditgraph query
risk-rank`), each with its nearest black-listed party and the reason in words. A ranking
points where to look; it is no finding, and the page says so."""

import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, risk_ranking
from creditgraph.dashboard.i18n import label_name, language, t
from creditgraph.dashboard.widgets import table
from creditgraph.queries.risk import REASON  # the query's own words, in either language

st.title(t("risk"))
st.caption(t("risk_help"))
left, right = st.columns(2)
top = left.slider(t("top_n"), 5, 100, 20, step=5, key="risk_top")
hops = right.slider(t("max_hops"), 1, 4, 3, key="risk_hops")
with st.spinner("…"):
    frame = guarded(risk_ranking, top, hops, as_of())
if frame is None:
    st.stop()
if not frame.empty:
    frame = frame.assign(kind=frame["label"].map(label_name), reason=[
        REASON[language() == "en"].format(n=n, hops=hops, path=path) if n else ""
        for n, path in zip(frame["black_within"], frame["nearest_path"], strict=True)])
    chart = frame.head(20).set_index("name")["score"].rename(t("col_score"))
    st.bar_chart(chart, horizontal=True, x_label=t("col_score"), y_label="")
    frame = frame[["subject_id", "kind", "name", "score", "nearest_black", "hops", "reason"]]
table(frame, "risk-rank")
