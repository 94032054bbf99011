"""Tables that download, and the one escape for data shown as Markdown.

Every table on every page comes with CSV and XLSX buttons; the files are built only when a button
is pressed (``st.download_button`` takes a callable), not on every rerun of every page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from creditgraph.casefile.network import cjk_font, draw_png, draw_svg, drawing
from creditgraph.dashboard.i18n import column_name, t, value_name
from creditgraph.publication.field_words import VALUE_WORDS
from creditgraph.publication.spreadsheet import safe_cell
from creditgraph.queries.neighbourhood import Subgraph

MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$/@&])")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def md(text: object) -> str:
    """Data shown through Markdown (st.markdown, titles, headers, captions, messages): every
    Markdown character escaped, so a name such as "[点我](javascript:…)", "![x](http://y/a.png)"
    or "<b>" is shown as written, never as a link, an image or markup. ``/`` and ``@`` are
    escaped too, which keeps GitHub-style bare links (http://…, a@b.cn) and Streamlit's
    ``:material/…:`` icons from forming. (No page lets Streamlit render HTML from data.)"""
    return MARKDOWN.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells a spreadsheet would run as a formula get a leading apostrophe; lists become text
    (publication/spreadsheet.py)."""
    return frame.map(safe_cell) if not frame.empty else frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel reads the Chinese; formulas neutralised."""
    return neutralized(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    """Excel holds no time zones: times are written as the wall-clock time they carry."""
    local = frame.copy()
    for column in local.columns:
        if isinstance(local[column].dtype, pd.DatetimeTZDtype):
            local[column] = local[column].dt.tz_localize(None)
    buffer = io.BytesIO()
    neutralized(local).to_excel(buffer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def _later(build: Callable[..., bytes], *args: object) -> Callable[[], bytes]:
    return lambda: build(*args)


def table(frame: pd.DataFrame | None, name: str, key: str | None = None) -> None:
    """Show a frame with its download buttons; an empty frame says so."""
    if frame is None:
        return
    if frame.empty:
        st.caption(t("none"))
        return
    coded = [column for column in frame.columns if column in VALUE_WORDS or column == "measure"]
    if coded:  # coded values in words (惩戒, 自然人, 有效), files too
        frame = frame.assign(**{str(column): frame[column].map(
            lambda value, column=column: value_name(column, value)) for column in coded})
    frame = frame.rename(columns=column_name)  # headers in the page's language, files too
    st.dataframe(frame, hide_index=True, width="stretch")
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(f"{t('download')} CSV", _later(csv_bytes, frame), f"{name}.csv",
                         "text/csv", key=f"{key or name}-csv", on_click="ignore")
    right.download_button(f"{t('download')} XLSX", _later(xlsx_bytes, frame, name),
                          f"{name}.xlsx", XLSX, key=f"{key or name}-xlsx", on_click="ignore")


def _svg(nodes: list[dict], relations: list[dict], english: bool) -> bytes:
    return draw_svg(nodes, relations, english).encode("utf-8")


def views(found: Subgraph, focal: set[str], english: bool, name: str) -> None:
    """Download buttons for a drawn subgraph: SVG (scales, opens in a browser) and PNG (pastes
    into a document), one picture (casefile/network.py), built when pressed."""
    nodes, relations = drawing(found, focal)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("network_svg"), _later(_svg, nodes, relations, english),
                         f"{name}.svg", "image/svg+xml", key=f"{name}-svg", on_click="ignore")
    if cjk_font() is None:
        right.caption(t("png_needs_font"))
        return
    right.download_button(t("network_png"), _later(draw_png, nodes, relations, english),
                          f"{name}.png", "image/png", key=f"{name}-png", on_click="ignore")
