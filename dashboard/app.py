"""CreditGraph 信用图谱 dashboard: the router. Pages live in dashboard/views/ (not pages/,
which Streamlit would list a second time by itself) and stay thin: they read through
dashboard/data.py and show tables through dashboard/widgets.py."""

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard.i18n import t

PAGES = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="信用图谱 CreditGraph", page_icon="🕸️", layout="wide")
def page(name: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES / f"{name}.py", title=t(name), icon=icon, default=default,
                   url_path=name)


router = st.navigation({
    t("investigate"): [
        page("overview", ":material/dashboard:", default=True),
        page("search", ":material/search:"),
        page("profile", ":material/description:"),
        page("network", ":material/hub:"),
        page("linked", ":material/link:"),
        page("sanctions", ":material/gavel:"),
        page("export", ":material/inventory_2:"),
    ],
    t("supervise"): [page("civil_servants", ":material/account_balance:"),
                     page("screening", ":material/fact_check:")],
    t("data"): [page("quality", ":material/rule:")],
})


def _linked_date() -> dt.date | None:
    """A link may carry the date: ?as_of=2026-11-01 (and ?subject=CODE for the file pages)."""
    try:
        return dt.date.fromisoformat(st.query_params.get("as_of", ""))
    except ValueError:
        return None


def _set_language() -> None:
    st.session_state["lang"] = st.session_state["language_choice"]


# Language and date live in plain session keys, set by the widgets' callbacks before the script
# reruns, so every page (and the page titles above) read them from their first line.
with st.sidebar:
    st.radio(t("language"), ["zh", "en"], key="language_choice", horizontal=True,
             index=["zh", "en"].index(st.session_state.get("lang", "zh")),
             on_change=_set_language,
             format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    st.session_state["as_of"] = st.date_input(
        t("as_of"), value=st.session_state.get("as_of") or _linked_date() or dt.date.today())
router.run()
