"""股权穿透 Equity penetration: who stands above an enterprise or an overseas entity, drawn as
a chart (the subject at the bottom, owners above with their cumulative shares, each line with
its direct share) and listed in full below it — the query `creditgraph query ownership` runs.
A share not recorded is unknown, never zero: the owner shows "at least" what is known."""

import streamlit as st

from creditgraph.dashboard.data import as_of, audited, chosen_subject, guarded, penetration
from creditgraph.dashboard.i18n import label_name, language, t
from creditgraph.dashboard.ownership_chart import draw_ownership
from creditgraph.dashboard.widgets import md, table
from creditgraph.queries.network import node_id

st.title(t("ownership"))
subject = chosen_subject()
st.header(md(subject.name))
st.caption(f"{md(label_name(subject.label))} · {as_of()}")
if subject.label not in ("Enterprise", "OverseasEntity"):
    st.info(t("ownership_of_firms"))
    st.stop()
audited("ownership-open", subject.node_id, subject=subject.node_id)
threshold = st.slider(t("threshold"), 5, 100, 25, step=5, format="%d%%",
                      key="ownership_threshold") / 100
found = guarded(penetration, subject, as_of(), threshold)
if found is None:
    st.stop()
frame, edges = found
if frame.empty:
    st.info(t("no_owners"))
    st.stop()
rows = [{str(k): v for k, v in row.items()} | {"id": node_id(row["label"], row["owner_id"])}
        for row in frame.to_dict("records")]
svg, left_out = draw_ownership({"id": subject.node_id, "name": subject.name,
                                "label": subject.label}, rows, edges, language() == "en",
                               threshold)
beneficial = frame[frame["beneficial_owner"]]
st.markdown(t("ownership_summary", owners=len(frame), beneficial=len(beneficial),
              unknown=int((frame["unknown_chains"] > 0).sum())))
st.image(svg)
if left_out:
    st.caption(t("chart_left_out", n=left_out))
st.download_button(t("chart_svg"), svg.encode("utf-8"), f"ownership-{subject.key[:24]}.svg",
                   "image/svg+xml", key="ownership_svg", on_click="ignore")
st.subheader(t("beneficial_owners"))
table(beneficial.drop(columns=["beneficial_owner"]), "beneficial-owners")
st.subheader(t("all_owners"))
table(frame, "ownership")
