"""Who is using the dashboard, and what they may see. The door fails closed.

- With users in the local store (`creditgraph users add`), every page needs a sign-in: a name and
  password checked against Argon2 hashes (length-limited, slowed and then locked per name after
  repeated failures: access/users.py `sign_in`), or — with CREDITGRAPH_AUTH=oidc and an [auth]
  section in .streamlit/secrets.toml — the department's identity provider through `st.login`,
  the role then coming from the user store entry named by the e-mail address.
- Without users the dashboard shows only "closed: no user store at <path>", unless demo mode is
  asked for explicitly with CREDITGRAPH_DEMO=1 (never with OIDC); each page then says so.
- A user file that cannot be read, or a malformed access setting, also closes the door.
- A session idle longer than CREDITGRAPH_SESSION_IDLE_MINUTES is signed out.
Sign-ins (failed ones and lockouts too), sign-outs and expiries go to the audit log.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from creditgraph.access import audit
from creditgraph.access.users import (
    MAX_NAME,
    MAX_PASSWORD,
    ROLES,
    User,
    UserError,
    load_users,
    sign_in,
)
from creditgraph.access.users import users_file as users_path
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.errors import CreditGraphError, SettingsError
from creditgraph.graph.settings import Access

DEMO = User("demo", "admin", "")
LAST_ACTIVE = "last_active"


def record(action: str, **details: Any) -> None:
    """Write to the audit log, or stop the page: what cannot be recorded is not done (no audit
    key, a broken chain)."""
    try:
        audit.append(action, **details)
    except CreditGraphError as exc:
        st.error(t("audit_down", error=md(exc)))
        st.stop()


def current_user() -> User | None:
    """The signed-in user (or the demo user in explicit demo mode); None when the page must
    show nothing else — the sign-in form or a 'closed' message is then on the page."""
    try:
        access = Access.from_env()
        users = load_users()
    except (SettingsError, UserError) as exc:
        _closed(t("closed_broken", error=md(exc)))
        return None
    if not users:
        if access.demo and access.auth != "oidc":
            st.warning(t("demo_mode"))
            st.sidebar.warning(t("demo_mode"))
            return DEMO
        _closed(t("closed_no_users", path=md(users_path())))
        return None
    user = _oidc(users) if access.auth == "oidc" else _local(users)
    if user is not None and _idle_too_long(user, access):
        return None
    return user


def _closed(message: str) -> None:
    st.title(t("app"))
    st.error(message)


def _local(users: dict[str, User]) -> User | None:
    name = st.session_state.get("user")
    if name in users:
        return users[name]
    st.session_state.pop("user", None)  # removed from the store since: sign in again
    _login_form()
    return None


def _login_form() -> None:
    st.title(t("app"))
    if st.session_state.pop("expired", False):
        st.info(t("session_expired"))
    with st.form("login"):
        name = st.text_input(t("user_name"), key="login_name", max_chars=MAX_NAME)
        password = st.text_input(t("password"), type="password", key="login_password",
                                 max_chars=MAX_PASSWORD)
        submitted = st.form_submit_button(t("sign_in"))
    if submitted:
        _attempt(name, password)


def _attempt(name: str, password: str) -> None:
    """One sign-in: audited whatever the outcome; the same words for an unknown name and a
    wrong password."""
    result = sign_in(name, password)
    who = name[:MAX_NAME]
    if result.outcome == "ok" and result.user is not None:
        record("login", actor=who, ok=True)
        st.session_state["user"] = result.user.name
        st.session_state[LAST_ACTIVE] = time.time()
        st.rerun()
    record("login", actor=who, ok=False, reason=result.outcome, failures=result.failures)
    if result.outcome == "too_long":
        st.error(t("login_too_long", name=MAX_NAME, password=MAX_PASSWORD))
    elif result.locked_until is not None:
        if result.outcome == "wrong":  # this attempt started the lockout
            record("login-lockout", actor=who, failures=result.failures,
                         until=result.locked_until.isoformat(timespec="seconds"))
        st.error(t("login_locked", until=result.locked_until.astimezone().strftime("%H:%M")))
    else:
        st.error(t("login_failed"))


def _oidc(users: dict[str, User]) -> User | None:
    if not st.user.get("is_logged_in", False):
        st.title(t("app"))
        if st.session_state.pop("expired", False):
            st.info(t("session_expired"))
        if st.button(t("sign_in")):
            try:
                st.login()
            except Exception as exc:  # Streamlit's own auth errors, shown plainly
                st.error(f"{t('oidc_missing')} ({md(exc)})")
        return None
    email = str(st.user.get("email") or "")
    if email not in users:
        st.error(t("no_role", name=md(email)))
        return None
    if st.session_state.get("audited_login") != email:
        record("login", actor=email, ok=True, via="oidc")
        st.session_state["audited_login"] = email
        st.session_state[LAST_ACTIVE] = time.time()
    return users[email]


def _idle_too_long(user: User, access: Access) -> bool:
    """Every interaction reruns the page, so the time since the last run is the idle time."""
    now = time.time()
    last = st.session_state.get(LAST_ACTIVE, now)
    if now - last <= access.idle_minutes * 60:
        st.session_state[LAST_ACTIVE] = now
        return False
    record("session-expired", actor=user.name, idle_minutes=round((now - last) / 60))
    _forget(access)
    st.session_state["expired"] = True
    st.rerun()
    return True


def _forget(access: Access) -> None:
    for key in ("user", "audited_login", LAST_ACTIVE, "subject", "expanded"):
        st.session_state.pop(key, None)
    if access.auth == "oidc":
        st.logout()


def sign_out_button(user: User) -> None:
    if user is DEMO:
        return
    st.sidebar.caption(f"{md(user.name)} · {user.role}")
    if st.sidebar.button(t("sign_out"), key="sign_out"):
        record("logout", actor=user.name)
        _forget(Access.from_env())
        st.rerun()


def me() -> User:
    """The signed-in user as the router stored them (without the password hash); the lowest
    role when unknown. Pages decide with ``me().can(role)`` — the one role comparison."""
    stored = st.session_state.get("role")
    return User(st.session_state.get("user_name") or "unknown",
                stored if stored in ROLES else ROLES[0], "")


def user_name() -> str | None:
    return st.session_state.get("user_name")
