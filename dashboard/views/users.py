"""用户管理 Users (admins): who may sign in, with which role. The last admin can be neither
removed nor demoted (access/users.py refuses; the refusal is shown here).

Each change is audited before it is written (``before_save``): when the audit log cannot be
written the page stops and the user store stays as it was, so no change goes unrecorded."""

import streamlit as st

from creditgraph.access.users import (
    MAX_NAME,
    MAX_PASSWORD,
    ROLES,
    add_user,
    load_users,
    remove_user,
    set_role,
)
from creditgraph.dashboard.auth import me, record
from creditgraph.dashboard.i18n import column_name, t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.errors import CreditGraphError

st.title(t("users"))
admin = me()
if not admin.can("admin"):
    st.error(t("not_allowed"))
    st.stop()
users = load_users()
st.dataframe([{column_name("name"): u.name, t("role"): u.role}
              for u in users.values()], hide_index=True)
with st.form("add_user", clear_on_submit=True):
    st.subheader(t("add_user"))
    name = st.text_input(t("user_name"), key="new_user", max_chars=MAX_NAME)
    role = st.selectbox(t("role"), ROLES, key="new_role")
    password = st.text_input(t("password"), type="password", key="new_password",
                             max_chars=MAX_PASSWORD)
    if st.form_submit_button(t("add_user")):
        try:
            add_user(name, role, password, before_save=lambda: record(
                "user-add", actor=admin.name, user=name, role=role))
            st.rerun()
        except CreditGraphError as exc:
            st.error(md(exc))
st.subheader(t("set_role"))
left, right = st.columns(2)
whose = left.selectbox(t("user_name"), list(users), key="role_name")
new_role = right.selectbox(t("role"), ROLES, key="role_value")
if st.button(t("set_role"), key="role_button") and whose:
    try:
        set_role(whose, new_role, before_save=lambda: record(
            "user-role", actor=admin.name, user=whose, role=new_role))
        st.rerun()
    except CreditGraphError as exc:
        st.error(md(exc))
others = [name for name in users if name != admin.name]
if others:
    st.subheader(t("remove_user"))
    gone = st.selectbox(t("remove_user"), others, key="remove_name")
    if st.button(t("remove_user"), key="remove_button"):
        try:
            remove_user(gone, before_save=lambda: record("user-remove", actor=admin.name,
                                                         user=gone))
            st.rerun()
        except CreditGraphError as exc:
            st.error(md(exc))
