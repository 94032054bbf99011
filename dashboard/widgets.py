"""Tables that download: every table on every page comes with CSV and XLSX buttons."""

from __future__ import annotations

import io
import re

import pandas as pd
import streamlit as st

from dashboard.i18n import t

FORMULA = re.compile(r"^[=+\-@\t\r]")
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: object) -> str:
    """Data shown inside st.markdown: every markdown character escaped, so a name such as
    "[点我](javascript:…)" or "<b>" is shown as written, never rendered as a link or markup.
    (No page lets Streamlit render HTML from data.)"""
    return MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells a spreadsheet would run as a formula (= + - @) get a leading apostrophe;
    lists become text."""
    def cell(value: object) -> object:
        if isinstance(value, list | tuple):
            value = "; ".join(map(str, value))
        if isinstance(value, str) and FORMULA.match(value):
            return "'" + value
        return value

    return frame.map(cell) if not frame.empty else frame


def table(frame: pd.DataFrame | None, name: str, key: str | None = None) -> None:
    """Show a frame with its download buttons; an empty frame says so."""
    if frame is None:
        return
    if frame.empty:
        st.caption(t("none"))
        return
    st.dataframe(frame, hide_index=True, width="stretch")
    safe = neutralized(frame)
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(f"{t('download')} CSV", safe.to_csv(index=False).encode("utf-8-sig"),
                         f"{name}.csv", "text/csv", key=f"{key or name}-csv")
    buffer = io.BytesIO()
    safe.to_excel(buffer, index=False, sheet_name=name[:31])
    right.download_button(f"{t('download')} XLSX", buffer.getvalue(), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key or name}-xlsx")
