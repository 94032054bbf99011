"""What the pages read, cached, and the one place that turns store errors into a message."""

from __future__ import annotations

from typing import Any

import streamlit as st

from graph.errors import CreditGraphError
from graph.settings import Settings
from graph.store import open_store


@st.cache_data(ttl=30, show_spinner="读取图谱统计 reading graph counts…")
def store_status() -> dict[str, Any]:
    # The embedded engine lets one process write at a time, so the dashboard opens the store only
    # for the moment it reads and leaves it free for `creditgraph load` in between.
    with open_store(Settings.from_env()) as store:
        return store.status().as_dict()


def status_or_message() -> dict[str, Any] | None:
    """The status, or ``None`` after showing a clear message (never a traceback)."""
    try:
        return store_status()
    except CreditGraphError as exc:
        st.error(f"数据库不可用 database unavailable: {exc}")
        return None
