"""用户管理 Users (admins): who may sign in, with which role."""

import streamlit as st

from dashboard.i18n import t
from graph import audit
from graph.errors import CreditGraphError
from graph.users import ROLES, add_user, load_users, remove_user

st.title(t("users"))
if st.session_state.get("role") != "admin":
    st.error(t("not_allowed"))
    st.stop()
me = st.session_state.get("user_name", "")
users = load_users()
st.dataframe([{"name": u.name, "role": u.role} for u in users.values()], hide_index=True)
with st.form("add_user", clear_on_submit=True):
    st.subheader(t("add_user"))
    name = st.text_input(t("user_name"), key="new_user")
    role = st.selectbox(t("role"), ROLES, key="new_role")
    password = st.text_input(t("password"), type="password", key="new_password")
    if st.form_submit_button(t("add_user")):
        try:
            add_user(name, role, password)
            audit.append("user-add", by=me, user=name, role=role)
            st.rerun()
        except CreditGraphError as exc:
            st.error(str(exc))
others = [name for name in users if name != me]
if others:
    gone = st.selectbox(t("remove_user"), others, key="remove_name")
    if st.button(t("remove_user"), key="remove_button"):
        remove_user(gone)
        audit.append("user-remove", by=me, user=gone)
        st.rerun()
