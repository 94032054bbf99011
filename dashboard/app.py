"""CreditGraph 信用图谱 dashboard: the router. Pages live in dashboard/pages/ and stay thin."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="信用图谱 CreditGraph", page_icon="🕸️", layout="wide")
router = st.navigation([st.Page(PAGES / "overview.py", title="总览 Overview", default=True)])
router.run()
