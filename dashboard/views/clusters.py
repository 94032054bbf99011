"""可疑关联 Suspicious association: enterprises that share an address, a telephone, a legal
representative or an officer with no declared relation between them, and 失信后新设企业 —
firms founded by a black-listed person (or the representative of a black-listed firm) after
the listing. What `creditgraph query clusters` answers; persons by name and masked number,
never by their key."""

import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, suspicious
from creditgraph.dashboard.i18n import t, value_name
from creditgraph.dashboard.widgets import table
from creditgraph.publication.field_words import VALUE_WORDS

SHARED = tuple(VALUE_WORDS["shared"])  # what shared-contacts / shared-officers return

st.title(t("clusters"))
st.caption(t("clusters_help"))
min_size = st.slider(t("min_size"), 2, 10, 2, key="cluster_min_size")
with st.spinner("…"):
    found = guarded(suspicious, min_size, as_of())
if found is None:
    st.stop()
groups, phoenix = found
if not groups.empty:
    counts = groups.groupby("shared").size()
    columns = st.columns(len(SHARED))
    for column, kind in zip(columns, SHARED, strict=True):
        column.metric(str(value_name("shared", kind)), int(counts.get(kind, 0)))
st.subheader(t("cluster_groups"))
table(groups, "clusters")
st.subheader(t("phoenix"))
st.caption(t("phoenix_help"))
table(phoenix.drop(columns=["person_id"]) if not phoenix.empty else phoenix, "phoenix-firms")
