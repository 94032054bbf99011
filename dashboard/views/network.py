"""关系网络 Network: the graph around a subject. Expand a node (double-click or its button),
filter by relation type and hops, colour by red / black / sanctioned, click a node to open its
credit file. The walk (queries/neighbourhood.py, the one a case bag records) stops at a node
cap, nearest first, saying so. Nodes carry their names, relations their short names in the
page's language (and a shareholder's share); the subject asked about is ringed; the view
downloads as SVG or PNG, drawn as a case bag draws its network. Expansions belong to one subject.

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
    chosen_subject,
    guarded,
    linked_parties,
    neighbourhood,
)
from creditgraph.dashboard.i18n import label_name, language, relation_name, t
from creditgraph.dashboard.widgets import md, table, views
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.queries.library import frame_rows
from creditgraph.queries.network import caption, split_id
from creditgraph.queries.subjects import Subject

COLOURS = {"black": "#d32f2f", "sanctioned": "#f57c00", "red": "#2e7d32", "other": "#9e9e9e"}
ICONS = {"Enterprise": "business", "Person": "person", "OverseasEntity": "language"}
OVERSEAS_OTHER = "#1565c0"  # an overseas entity without a flag stands out from grey firms


class FocalStyle(NodeStyle):
    """The subject asked about: a thick blue ring (the component styles nodes by label only,
    so this one selects on the node's ``focal`` data)."""

    def dump(self) -> dict[str, object]:
        return {"selector": "node[focal = 'yes']",
                "style": {"border-width": 5, "border-color": "#1565c0", "font-weight": "bold"}}


st.title(t("network"))
subject = chosen_subject()
st.header(md(subject.name))
audited("network-open", subject.node_id, subject=subject.node_id)
left, right = st.columns([1, 3])
hops = left.slider(t("hops"), 1, 3, 2, key="network_hops")
relations = tuple(right.multiselect(t("relation_types"), CONTROL_RELATIONS,
                                    default=list(CONTROL_RELATIONS), format_func=relation_name,
                                    key="network_relations")
                  or CONTROL_RELATIONS)
if (st.session_state.get("expanded_for") != subject.node_id  # another subject: start afresh
        or "expanded" not in st.session_state):  # (a sign-out forgets the expansions)
    st.session_state["expanded"] = []
    st.session_state["expanded_for"] = subject.node_id
expanded: list[str] = st.session_state["expanded"]
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
english = language() == "en"
edges = [edge for edge in found.edges.values() if edge.source in shown and edge.target in shown]
elements = {
    "nodes": [{"data": {"id": n, "label": f"{split_id(n)[0]}_{state(n)}",
                        "name": names.get(n, n), "kind": split_id(n)[0],
                        "focal": "yes" if n == subject.node_id else "no"}} for n in names],
    "edges": [{"data": {"id": f"{e.source}>{e.target}>{e.type}", "label": e.type,
                        "name": caption(e.type, e.ratio, english),
                        "source": e.source, "target": e.target}} for e in edges],
}
node_styles = [NodeStyle(f"{label}_{flag}", OVERSEAS_OTHER if (label, flag) == (
                    "OverseasEntity", "other") else COLOURS[flag], "name", icon)
               for label, icon in ICONS.items() for flag in COLOURS] + [FocalStyle("focal")]
edge_styles = [EdgeStyle(rel, caption="name", directed=True) for rel in CONTROL_RELATIONS]
st.markdown(t("legend"))
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
views(found, {subject.node_id}, english, f"network-{subject.key[:24]}")
st.subheader(t("paths"))
paths = guarded(linked_parties, subject, hops, as_of(), relations)
if paths is not None:
    for row in frame_rows(paths.head(10)):
        st.markdown(f"- **{md(row['name'])}** ({row['hops']} {t('hops')}, "
                    f"{md('、'.join(row['list_types']))})：{md(row['explanation'])}")
    table(paths[["subject_id", "name", "hops", "list_types", "entries", "explanation"]]
          if not paths.empty else paths, "linked-paths")
