"""公务员诚信 Civil servants: integrity files, for-profit and conflict-of-interest findings, and
the promotion check."""

import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import as_of, guarded, named, servant_file
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md, table
from creditgraph.queries.library import frame_rows
from creditgraph.queries.subjects import Subject

st.title(t("civil_servants"))
if not me().can("supervisor"):
    st.error(t("not_allowed"))  # integrity files are for supervisors
    st.stop()
servants = guarded(named, "civil-servants")
if servants is None:
    st.stop()
if servants.empty:
    st.info(t("none"))
    st.stop()
options = frame_rows(servants)
chosen = st.selectbox(t("servant"), range(len(options)), key="servant",
                      format_func=lambda i: f"{options[i]['name']} · {options[i]['department']} · "
                                            f"{options[i]['position'] or ''} · "
                                            f"{options[i]['id_masked']}")
row = options[chosen]
with st.spinner("…"):
    sections = guarded(servant_file, Subject("Person", row["key"], row["name"]), as_of())
if sections is not None:
    promotion = sections["promotion"]
    if not promotion.empty:
        eligible = bool(promotion["eligible"].iloc[0])
        reasons = promotion["reasons"].iloc[0]
        said = md("；".join(map(str, reasons or [])))
        (st.success if eligible else st.error)(
            f"{t('promotion')}: {'✔' if eligible else '✘'} {said}")
    for name in ("posts", "records", "for_profit", "conflicts"):
        st.subheader(t(name))
        table(sections[name], f"civil-servant-{name}")
