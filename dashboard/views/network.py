"""关系网络 Network: the graph around a subject. Expand a node (double-click or its button),
filter by relation type and hops, colour by red / black / sanctioned, click a node to open its
credit file. The walk stops at a node cap (dashboard/data.py `walk`), saying so.

Enterprises, persons and overseas entities (境外主体) each have their own icon; an overseas
entity's caption is its name with its country or region in Chinese, and it expands like any
other node."""

import streamlit as st
from st_link_analysis import EdgeStyle, Event, NodeStyle, st_link_analysis

from creditgraph.dashboard.data import (
    CAP,
    MAX_EXPANDED,
    as_of,
    audited,
    choose,
    current_subject,
    guarded,
    linked_parties,
    neighbourhood,
)
from creditgraph.dashboard.i18n import label_name, t
from creditgraph.dashboard.widgets import md, table
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.queries.library import frame_rows
from creditgraph.queries.network import split_id
from creditgraph.queries.subjects import Subject

COLOURS = {"black": "#d32f2f", "sanctioned": "#f57c00", "red": "#2e7d32", "other": "#9e9e9e"}
ICONS = {"Enterprise": "business", "Person": "person", "OverseasEntity": "language"}
OVERSEAS_OTHER = "#1565c0"  # an overseas entity without a flag stands out from grey firms

st.title(t("network"))
subject = current_subject()
if subject is None:
    st.info(t("choose_subject"))
    st.stop()
st.header(md(subject.name))
audited("network-open", subject.node_id, subject=subject.node_id)
left, right = st.columns([1, 3])
hops = left.slider(t("hops"), 1, 3, 2, key="network_hops")
relations = tuple(right.multiselect(t("relation_types"), CONTROL_RELATIONS,
                                    default=list(CONTROL_RELATIONS), key="network_relations")
                  or CONTROL_RELATIONS)
expanded: list[str] = st.session_state.setdefault("expanded", [])
del expanded[:-MAX_EXPANDED]  # bounded, oldest out
found = guarded(neighbourhood, subject, hops, as_of(), relations, tuple(expanded))
if found is None:
    st.stop()
names, flags = found.names, found.flags


def state(node: str) -> str:
    for flag in ("black", "sanctioned", "red"):
        if node in flags[flag]:
            return flag
    return "other"


shown = set(names)  # already bounded by the walk
elements = {
    "nodes": [{"data": {"id": n, "label": f"{split_id(n)[0]}_{state(n)}",
                        "name": names.get(n, n), "kind": split_id(n)[0]}} for n in names],
    "edges": [{"data": {"id": f"{a}>{b}>{rel}", "label": rel, "source": a, "target": b}}
              for a, b, rel in found.edges if a in shown and b in shown],
}
node_styles = [NodeStyle(f"{label}_{flag}", OVERSEAS_OTHER if (label, flag) == (
                    "OverseasEntity", "other") else COLOURS[flag], "name", icon)
               for label, icon in ICONS.items() for flag in COLOURS]
edge_styles = [EdgeStyle(rel, caption="label", directed=True) for rel in CONTROL_RELATIONS]
st.caption(t("legend"))
if found.cut:
    st.warning(t("shown", shown=len(shown), cap=CAP, more=found.more))
else:
    st.caption(f"{len(shown)} · {t('nodes')}")
event = st_link_analysis(elements, "cose", node_styles, edge_styles, height=520,
                         key=f"graph-{subject.node_id}", node_actions=["expand"],
                         events=[Event("clicked", "click tap", "node")])
if event:
    data = event.get("data") or {}
    if event.get("action") == "expand":
        for node in data.get("node_ids", [])[:MAX_EXPANDED]:
            if node in names and node not in expanded:
                expanded.append(node)
        del expanded[:-MAX_EXPANDED]
        st.rerun()
    elif event.get("action") == "clicked" and data.get("target_id") in names:
        target = data["target_id"]
        label, key = split_id(target)
        st.markdown(f"**{t('selected')}**: {md(names[target])} ({md(label_name(label))})")
        if st.button(t("open_file")):
            choose(Subject(label, key, names[target]))
            st.switch_page("views/profile.py")
st.subheader(t("paths"))
paths = guarded(linked_parties, subject, hops, as_of(), relations)
if paths is not None:
    for row in frame_rows(paths.head(10)):
        st.markdown(f"- **{md(row['name'])}** ({row['hops']} {t('hops')}, "
                    f"{md('、'.join(row['list_types']))})：{md(row['explanation'])}")
    table(paths[["subject_id", "name", "hops", "list_types", "entries", "explanation"]]
          if not paths.empty else paths, "linked-paths")
