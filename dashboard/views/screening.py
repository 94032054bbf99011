"""采购审查 Screening: upload a bidder list (CSV / XLSX), get eligibility with reasons and
evidence, download the result."""

import io

import pandas as pd
import streamlit as st

from dashboard.data import as_of, guarded, screened
from dashboard.i18n import t
from dashboard.widgets import table

st.title(t("screening"))
upload = st.file_uploader(t("bidders"), type=["csv", "xlsx"], key="bidders")
hops = st.slider(t("max_hops"), 1, 3, 2, key="screen_hops")
if upload is not None:
    raw = upload.getvalue()
    if upload.name.lower().endswith(".xlsx"):
        sheet = pd.read_excel(io.BytesIO(raw), dtype=str, header=None)
    else:
        sheet = pd.read_csv(io.BytesIO(raw), dtype=str, header=None, encoding="utf-8-sig")
    cells = [str(v).strip() for v in sheet.iloc[:, 0].dropna()]
    codes = tuple(c for c in cells if c and c.lower() not in ("code", "uscc", "代码",
                                                                "统一社会信用代码"))
    with st.spinner("…"):
        result = guarded(screened, codes, hops, as_of())
    if result is not None:
        eligible = int(result["eligible"].sum()) if not result.empty else 0
        st.metric(t("screening"), t("eligible_count", eligible=eligible,
                                    ineligible=len(result) - eligible))
        table(result, "screening")
