"""用户管理 Users (admins): who may sign in, with which role. The last admin can be neither
removed nor demoted (graph/users.py refuses; the refusal is shown here)."""

import streamlit as st

from dashboard.auth import at_least, record, user_name
from dashboard.i18n import t
from dashboard.widgets import md
from graph.errors import CreditGraphError
from graph.users import ROLES, add_user, load_users, remove_user, set_role

st.title(t("users"))
if not at_least("admin"):
    st.error(t("not_allowed"))
    st.stop()
me = user_name() or ""
users = load_users()
st.dataframe([{"name": u.name, "role": u.role} for u in users.values()], hide_index=True)
with st.form("add_user", clear_on_submit=True):
    st.subheader(t("add_user"))
    name = st.text_input(t("user_name"), key="new_user", max_chars=80)
    role = st.selectbox(t("role"), ROLES, key="new_role")
    password = st.text_input(t("password"), type="password", key="new_password",
                             max_chars=1024)
    if st.form_submit_button(t("add_user")):
        try:
            add_user(name, role, password)
            record("user-add", actor=me, user=name, role=role)
            st.rerun()
        except CreditGraphError as exc:
            st.error(md(exc))
st.subheader(t("set_role"))
left, right = st.columns(2)
whose = left.selectbox(t("user_name"), list(users), key="role_name")
new_role = right.selectbox(t("role"), ROLES, key="role_value")
if st.button(t("set_role"), key="role_button") and whose:
    try:
        set_role(whose, new_role)
        record("user-role", actor=me, user=whose, role=new_role)
        st.rerun()
    except CreditGraphError as exc:
        st.error(md(exc))
others = [name for name in users if name != me]
if others:
    st.subheader(t("remove_user"))
    gone = st.selectbox(t("remove_user"), others, key="remove_name")
    if st.button(t("remove_user"), key="remove_button"):
        try:
            remove_user(gone)
            record("user-remove", actor=me, user=gone)
            st.rerun()
        except CreditGraphError as exc:
            st.error(md(exc))
