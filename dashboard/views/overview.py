"""总览 Overview: the figures a regulator reports, at a glance — subjects black- and red-listed
and measures in force on the chosen date, this year's 七天双公示 on-time rate and penalties, the
measures in force by measure, this year's figures by district (as `creditgraph stats`), and how
many subjects stand within two relations of a black-listed party (the whole-graph scan the
关联失信 page shows, computed last: at city scale it takes the longest). What the graph holds,
in labels and relations, is folded away at the bottom."""

import pandas as pd
import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import (
    as_of,
    case_counts,
    city_figures,
    district_statistics,
    guarded,
    headline,
    named,
    scan,
    status_or_message,
)
from creditgraph.dashboard.i18n import WORDS, label_name, measure_name, relation_name, t
from creditgraph.dashboard.widgets import md, table
from creditgraph.graph.divisions import name as division_name

TOP_LINKED = 10  # the closest parties shown; the linked page lists them all
SCAN_HOPS = 2


def rate(on_time: int, due: int) -> str:
    return f"{on_time / due:.0%}" if due else "—"


st.title(f"{t('app')} {t('overview')}")
status = status_or_message()
if status is None:
    st.stop()
st.caption(md(f"{status['backend']} · {status['version']} · {status['location']}"))
if not sum(status["nodes"].values()):
    st.info(f"{t('empty_graph')}")
    st.stop()
day = as_of()
with st.spinner("…"):
    top = guarded(headline, day)
    figures = guarded(district_statistics, day)
    city = guarded(city_figures, day)
    measures = guarded(named, "measures-in-force-by-measure", as_of=day)
st.subheader(t("headline", day=day))
cells = st.columns(5)
if top is not None:
    cells[0].metric(t("black_subjects"), f"{top['black']:,}")
    cells[1].metric(t("red_subjects"), f"{top['red']:,}")
if figures is not None:  # a measure applies to one subject: counted once by district
    cells[2].metric(t("col_measures_in_force"), f"{int(figures['measures_in_force'].sum()):,}")
if city is not None:
    due = city["published_on_time"] + city["published_late"] + city["unpublished_late"]
    cells[3].metric(t("col_on_time_rate"), rate(city["published_on_time"], due),
                    help=t("on_time_help", since=f"{day:%Y}-01-01"))
    cells[4].metric(t("penalties_this_year"), f"{city['penalties']:,}")
if me().can("investigator"):  # viewers see nothing of cases
    counts = guarded(case_counts)
    if counts is not None:
        first, second, _ = st.columns(3)
        first.metric(t("cases_open"), counts["open"])
        second.metric(t("cases_unassigned_count"), counts["unassigned"])
if measures is not None and not measures.empty:
    st.subheader(t("measures_by_measure"))
    st.bar_chart(measures.assign(measure=measures["measure"].map(measure_name))
                 .set_index("measure")["measures"], horizontal=True,
                 x_label=t("col_measures"), y_label="")
    table(measures, "measures-in-force")
if figures is not None:
    st.subheader(t("district_statistics", since=f"{day:%Y}-01-01", until=day))
    st.caption(t("district_statistics_help"))
    shown = figures.assign(on_time_rate=figures["on_time_rate"].map(
        lambda value: "—" if pd.isna(value) else f"{value:.0%}"))
    table(shown, "district-statistics")
with st.spinner("…"):
    districts = guarded(named, "enterprises-by-district", until=day)
    years = guarded(named, "entries-by-year")
    latest = guarded(named, "latest-entries", limit=10)
if districts is not None and not districts.empty:
    districts["district"] = districts["division"].map(
        lambda code: (division_name(code) or code or "—") if code else "—")
    st.subheader(t("by_district"))
    st.bar_chart(districts.groupby("district")["enterprises"].sum(),
                 x_label=t("col_district"), y_label=t("col_enterprises"))
if years is not None and not years.empty:
    years["year"] = pd.to_datetime(years["day"]).dt.year
    years["kind"] = years["kind"].map({"black": t("black_list"), "red": t("red_list")})
    st.subheader(t("entries_by_year"))
    by_year = years.groupby(["year", "kind"])["entries"].sum().reset_index().rename(columns={
        "year": t("col_year"), "kind": t("col_list_kind"), "entries": t("col_entries")})
    by_year[t("col_year")] = by_year[t("col_year")].astype(str)  # axes and legend in words
    st.bar_chart(by_year, x=t("col_year"), y=t("col_entries"), color=t("col_list_kind"))
st.subheader(t("latest_entries"))
table(latest, "latest-entries")
st.subheader(t("linked_count_title", hops=SCAN_HOPS))
with st.spinner(t("scanning")):
    linked = guarded(scan, SCAN_HOPS, day)  # the 关联失信 page's own scan: one cache for both
if linked is not None:
    st.metric(t("linked_count", hops=SCAN_HOPS), f"{len(linked):,}")
    table(linked[["subject_id", "name", "hops", "list_types", "explanation"]].head(TOP_LINKED)
          if not linked.empty else linked, "linked-dishonesty-top")
with st.expander(t("graph_size")):
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame({t("nodes"): [label_name(k) for k in status["nodes"]],
                                 t("count"): list(status["nodes"].values())}),
                   hide_index=True, width="stretch")
    right.dataframe(pd.DataFrame({
        t("relationships"): [relation_name(k) if f"rel_{k}" in WORDS else k
                             for k in status["relationships"]],
        t("count"): list(status["relationships"].values())}), hide_index=True, width="stretch")
