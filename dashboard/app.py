"""CreditGraph 信用图谱 dashboard: the router. Pages live in dashboard/views/ (not pages/,
which Streamlit would list a second time by itself) and stay thin: they read through
dashboard/data.py and show tables through dashboard/widgets.py."""

import datetime as dt
from pathlib import Path

import streamlit as st

from creditgraph.dashboard.auth import DEMO, current_user, sign_out_button
from creditgraph.dashboard.i18n import t

PAGES = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="信用图谱 CreditGraph", page_icon="🕸️", layout="wide")
def page(name: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(PAGES / f"{name}.py", title=t(name), icon=icon, default=default,
                   url_path=name)


user = current_user()
if user is None:  # the sign-in form or a "closed" message is on the page, nothing else
    st.stop()
st.session_state["role"] = user.role
st.session_state["user_name"] = user.name
sign_out_button(user)
investigate = [page("overview", ":material/dashboard:", default=True),
               page("search", ":material/search:"),
               page("profile", ":material/description:"),
               page("network", ":material/hub:"),
               page("linked", ":material/link:"),
               page("sanctions", ":material/gavel:")]
if user.can("investigator"):
    investigate.append(page("export", ":material/inventory_2:"))
    investigate.append(page("cases", ":material/assignment:"))
analyse = [page("ownership", ":material/account_tree:"),
           page("paths_page", ":material/route:"),
           page("clusters", ":material/workspaces:"),
           page("risk", ":material/trending_up:"),
           page("breaches", ":material/handshake:"),
           page("red_black", ":material/compare_arrows:")]
supervise = [page("screening", ":material/fact_check:")]
if user.can("supervisor"):
    supervise.insert(0, page("civil_servants", ":material/account_balance:"))
sections = {t("investigate"): investigate, t("analyse"): analyse, t("supervise"): supervise,
            t("publish"): [page("lists", ":material/campaign:")],
            t("data"): [page("quality", ":material/rule:")]}
if user.can("admin") and user is not DEMO:
    sections[t("admin")] = [page("users", ":material/manage_accounts:")]
router = st.navigation(sections, expanded=True)  # every page listed, none behind "more"


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
