"""名单发布 Published lists: the red or black list in force on the sidebar's date, for the city,
one of its districts or one issuing department — the same rows and files as
`creditgraph publish lists` (publication/lists.py): repaired, revoked and expired entries left
out, persons' document numbers masked. Showing a list is written to the audit log."""

import pandas as pd
import streamlit as st

from creditgraph.dashboard.data import as_of, audited, guarded, published
from creditgraph.dashboard.i18n import column_name, language, t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.divisions import hangzhou_2016
from creditgraph.publication.lists import COLUMNS, FORMATS, render

MIME = {".csv": "text/csv", ".json": "application/json",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

st.title(t("lists"))
st.caption(t("lists_help"))
kinds = {"black": t("black_list"), "red": t("red_list")}
left, middle, right = st.columns(3)
kind = left.radio(t("list_kind"), list(kinds), format_func=kinds.__getitem__, horizontal=True,
                  key="lists_kind")
districts = {"": t("whole_city"), **hangzhou_2016()}
district = middle.selectbox(t("district"), list(districts), format_func=districts.__getitem__,
                            key="lists_district")
authority = right.text_input(t("authority_code"), key="lists_authority").strip()
with st.spinner("…"):
    shown = guarded(published, kind, as_of(), district, authority)
if shown is not None:
    audited("publish-lists-view", (kind, as_of(), district, authority), kind=kind,
            as_of=as_of().isoformat(), district=district or None,
            authority=authority or None, entries=len(shown.rows))
    st.subheader(f"{md(kinds[kind])} · {md(districts[district or ''])} · {len(shown.rows):,}")
    frame = pd.DataFrame(shown.rows, columns=[field for field, _ in COLUMNS])
    official = dict(COLUMNS)  # the published list's own Chinese headers
    st.dataframe(frame.rename(columns=column_name if language() == "en" else official),
                 hide_index=True, width="stretch")
    name = f"{kind}-list-{district or '3301'}-{as_of():%Y%m%d}"
    for column, suffix in zip(st.columns([1, 1, 1, 5])[:3], FORMATS, strict=True):
        column.download_button(f"{t('download')} {suffix[1:].upper()}",
                               render(shown, suffix), f"{name}{suffix}", MIME[suffix],
                               key=f"lists-{suffix}", on_click="ignore")
