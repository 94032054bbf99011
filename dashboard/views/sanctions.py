"""联合惩戒 Sanctions: measures by department, and who is restricted by a measure today
("who is restricted from procurement today")."""

import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, restricted
from creditgraph.dashboard.i18n import language, measure_name, t
from creditgraph.dashboard.widgets import md, table
from creditgraph.propagation.rules import load_rules

st.title(t("sanctions"))
rules = load_rules()
incentives = rules.incentives
measures = [*rules.measures, *([incentives.withheld_measure, *incentives.measures]
                                if incentives else [])]  # granted incentives: by name
# the options are what the reader sees (a measure's name in the page's language), one widget
# per language, so a switch of language starts from the default again
choices = {t("all"): None, **{measure_name(m): m for m in measures}}
picked = st.selectbox(t("measure"), list(choices), key=f"measure-{language()}",
                      index=list(choices.values()).index("限制政府采购"))
measure = choices[picked]
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
