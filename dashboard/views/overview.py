"""总览 Overview: this year's credit figures by district (as `creditgraph stats`), what the graph
holds, by district and over time, and the latest findings."""

import pandas as pd
import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import (
    as_of,
    case_counts,
    district_statistics,
    guarded,
    named,
    scan,
    status_or_message,
)
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md, table
from creditgraph.graph.divisions import name as division_name

TOP_LINKED = 10  # the closest parties shown; the linked page lists them all

st.title(f"{t('app')} {t('overview')}")
status = status_or_message()
if status is not None:
    st.caption(md(f"{status['backend']} · {status['version']} · {status['location']}"))
    left, right = st.columns(2)
    left.subheader(t("nodes"))
    left.dataframe(pd.DataFrame({"label": list(status["nodes"]),
                                 "count": list(status["nodes"].values())}),
                   hide_index=True, width="stretch")
    right.subheader(t("relationships"))
    right.dataframe(pd.DataFrame({"type": list(status["relationships"]),
                                  "count": list(status["relationships"].values())}),
                    hide_index=True, width="stretch")
    if not sum(status["nodes"].values()):
        st.info(f"{t('empty_graph')}")
        st.stop()
    if me().can("investigator"):  # viewers see nothing of cases
        counts = guarded(case_counts)
        if counts is not None:
            first, second, _ = st.columns(3)
            first.metric(t("cases_open"), counts["open"])
            second.metric(t("cases_unassigned_count"), counts["unassigned"])
    with st.spinner("…"):
        figures = guarded(district_statistics, as_of())
    if figures is not None:
        st.subheader(t("district_statistics", since=f"{as_of():%Y}-01-01", until=as_of()))
        st.caption(t("district_statistics_help"))
        shown = figures.assign(on_time_rate=figures["on_time_rate"].map(
            lambda rate: "—" if pd.isna(rate) else f"{rate:.0%}"))
        table(shown.rename(columns={c: t(f"stat_{c}") for c in shown.columns}),
              "district-statistics")
    with st.spinner("…"):
        districts = guarded(named, "enterprises-by-district", until=as_of())
        years = guarded(named, "entries-by-year")
        latest = guarded(named, "latest-entries", limit=10)
        closest = guarded(scan, 2, as_of(), TOP_LINKED)
    if districts is not None and not districts.empty:
        districts["district"] = districts["division"].map(
            lambda code: (division_name(code) or code or "—") if code else "—")
        st.subheader(t("by_district"))
        st.bar_chart(districts.groupby("district")["enterprises"].sum())
    if years is not None and not years.empty:
        years["year"] = pd.to_datetime(years["day"]).dt.year
        st.subheader(t("entries_by_year"))
        st.bar_chart(years.pivot_table(index="year", columns="kind", values="entries",
                                       aggfunc="sum", fill_value=0))
    st.subheader(t("latest_entries"))
    table(latest, "latest-entries")
    st.subheader(t("top_linked"))
    if closest is not None:
        table(closest[["subject_id", "name", "hops", "list_types", "explanation"]],
              "linked-dishonesty-top")
