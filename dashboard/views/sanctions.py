"""联合惩戒 Sanctions: measures by department, and who is restricted by a measure today
("who is restricted from procurement today")."""

import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, restricted
from creditgraph.dashboard.i18n import measure_name, t
from creditgraph.dashboard.widgets import md, table
from creditgraph.propagation.rules import load_rules

st.title(t("sanctions"))
rules = load_rules()
incentives = rules.incentives
choices = [None, *rules.measures, *([incentives.withheld_measure, *incentives.measures]
                                    if incentives else [])]  # granted incentives: by name
measure = st.selectbox(t("measure"), choices, index=choices.index("限制政府采购"),
                       format_func=lambda m: t("all") if m is None else measure_name(m),
                       key="measure")
with st.spinner("…"):
    everyone = guarded(restricted, None, as_of())
if everyone is not None:
    if everyone.empty:
        st.info(t("propagate_first"))
        st.stop()
    by_department = everyone.explode("departments").groupby("departments").size()
    st.subheader(t("by_department"))
    st.bar_chart(by_department, x_label=t("col_departments"), y_label=t("col_measures"))
    frame = everyone if measure is None else everyone[everyone["measure"] == measure]
    st.subheader(f"{t('restricted')} · {md(measure_name(measure) if measure else t('all'))} · "
                 f"{len(frame):,}")
    table(frame, "restricted")
