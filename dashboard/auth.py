"""Who is using the dashboard, and what they may see.

With users in the local store (`creditgraph users add`), every page needs a login: a name and
password checked against Argon2 hashes, or — with CREDITGRAPH_AUTH=oidc and an [auth] section
in .streamlit/secrets.toml — the department's identity provider through `st.login`, the role then
coming from the user store entry named by the e-mail address. Without users the dashboard runs
as an open demo and says so. Logins, failed logins and searches go to the audit log.
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.i18n import t
from graph import audit
from graph.users import ROLES, User, authenticate, load_users

DEMO = User("demo", "admin", "")


def current_user() -> User | None:
    """The signed-in user; the demo user when no user store exists; None until signed in
    (after showing the login form)."""
    users = load_users()
    if not users:
        st.sidebar.warning(t("demo_mode"))
        return DEMO
    if os.environ.get("CREDITGRAPH_AUTH") == "oidc":
        return _oidc(users)
    name = st.session_state.get("user")
    if name in users:
        return users[name]
    _login_form()
    return None


def _login_form() -> None:
    st.title(t("app"))
    with st.form("login"):
        name = st.text_input(t("user_name"), key="login_name")
        password = st.text_input(t("password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("sign_in"))
    if submitted:
        user = authenticate(name, password)
        audit.append("login", user=name, ok=user is not None)
        if user is None:
            st.error(t("login_failed"))
            return
        st.session_state["user"] = user.name
        st.rerun()


def _oidc(users: dict[str, User]) -> User | None:
    if not st.user.get("is_logged_in", False):
        st.title(t("app"))
        if st.button(t("sign_in")):
            try:
                st.login()
            except Exception as exc:  # Streamlit's own auth errors, shown plainly
                st.error(f"{t('oidc_missing')} ({exc})")
        return None
    email = str(st.user.get("email") or "")
    if email not in users:
        st.error(t("no_role", name=email))
        return None
    if st.session_state.get("audited_login") != email:
        audit.append("login", user=email, ok=True, via="oidc")
        st.session_state["audited_login"] = email
    return users[email]


def sign_out_button(user: User) -> None:
    if user is DEMO:
        return
    st.sidebar.caption(f"{user.name} · {user.role}")
    if st.sidebar.button(t("sign_out"), key="sign_out"):
        audit.append("logout", user=user.name)
        st.session_state.pop("user", None)
        if os.environ.get("CREDITGRAPH_AUTH") == "oidc":
            st.logout()
        st.rerun()


def allowed(user: User, needed: str) -> bool:
    return ROLES.index(user.role) >= ROLES.index(needed)
