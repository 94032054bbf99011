"""数据质量 Data quality: the seven-day publication audit (七天双公示) and the rejects and
warnings of each load."""

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from creditgraph.dashboard.data import as_of, guarded, publication
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import table
from creditgraph.loaders.pipeline import REPORTS_ROOT
from creditgraph.queries.audits import publication_summary

MAX_REPORT_ROWS = 5000  # a load's rejects file may be huge; the page shows its start

st.title(t("quality"))
st.subheader(t("audit"))
since = st.date_input("from", value=dt.date(as_of().year - 1, 1, 1), key="audit_from")
with st.spinner("…"):
    audit = guarded(publication, as_of(), since)
if audit is not None:
    table(publication_summary(audit) if not audit.empty else audit, "publication-summary")
    st.subheader(t("late"))
    table(audit, "publication-late")
st.subheader(t("loads"))
loads = sorted((p for p in Path(REPORTS_ROOT).glob("*") if p.is_dir()), reverse=True)
if not loads:
    st.caption(t("no_loads"))
else:
    chosen = st.selectbox("load", [p.name for p in loads[:50]], key="load_id")
    for kind in ("rejects", "warnings"):
        path = Path(REPORTS_ROOT) / chosen / f"{kind}.csv"
        frame = (pd.read_csv(path, dtype=str, nrows=MAX_REPORT_ROWS)
                 if path.exists() and path.stat().st_size else None)
        st.markdown(f"**{kind}**")
        table(frame if frame is not None else pd.DataFrame(), f"{chosen}-{kind}")
