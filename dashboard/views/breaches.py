"""承诺违约 Commitment breaches: subjects penalised on a matter they had committed to (信用承诺)
— the commitment, the penalty that breaks it and who decided it, as `creditgraph query
commitment-breaches` lists them. A breach goes into the subject's credit file and may lead to
the measures the commitment named."""

import streamlit as st

from creditgraph.dashboard.data import as_of, breaches, guarded
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import table

st.title(t("breaches"))
st.caption(t("breaches_help"))
with st.spinner("…"):
    frame = guarded(breaches, as_of())
if frame is not None:
    if not frame.empty:
        left, right = st.columns(2)
        left.metric(t("breach_count"), len(frame))
        right.metric(t("breach_subjects"), frame["subject_id"].nunique())
        by_authority = frame.groupby("authority").size().rename(t("breach_count"))
        st.bar_chart(by_authority, x_label=t("col_authority"), y_label=t("breach_count"))
    table(frame, "commitment-breaches")
