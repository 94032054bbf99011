"""关系路径 Paths: how two subjects are connected — every shortest path within the length asked
(or the first), over the relations chosen, each explained in words and drawn together; what
`creditgraph query path` answers. The first subject is the one chosen on the search page; the
second is found here by name, code or key. A document number is looked up only by
investigators and above (the path names the person; their lookups are not budgeted, as on the
search page); a viewer who types one is refused, and the refusal is in the audit log with the
number masked. Every question asked is audited, saying when the second subject was found by a
document number (its type, never the number)."""

import hashlib

import streamlit as st

from creditgraph.casefile.network import draw_svg, drawing
from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import (
    as_of,
    audited,
    chosen_subject,
    find_subject,
    guarded,
    id_lookups,
    lookup_check,
    paths_between,
    search_names,
)
from creditgraph.dashboard.i18n import label_name, language, relation_name, t
from creditgraph.dashboard.widgets import md, table, views
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.queries.library import frame_rows
from creditgraph.queries.subjects import Subject

st.title(t("paths_page"))
source = chosen_subject()
st.markdown(f"**{md(t('path_from'))}** {md(source.name)} · {md(label_name(source.label))}")
text = st.text_input(t("path_to"), key="path_to_text", max_chars=200).strip()
left, middle, right = st.columns([1, 3, 1])
length = left.slider(t("max_length"), 1, 8, 4, key="path_length")
relations = tuple(middle.multiselect(t("relation_types"), CONTROL_RELATIONS,
                                     default=list(CONTROL_RELATIONS), format_func=relation_name,
                                     key="path_relations") or CONTROL_RELATIONS)
every = not right.checkbox(t("one_path"), key="path_one")
if not text:
    st.caption(t("path_help"))
    st.stop()
check = lookup_check(text)
if check.personal:  # a document number: investigators and above only
    if not me().can("investigator"):
        audited("paths-id-refused", hashlib.sha256(check.normalized.encode()).hexdigest(),
                page="paths",
                query=str(check.public()["input"]), doc_type=check.doc_type)
        st.warning(t("path_id_investigators"))
        st.stop()
    if not id_lookups(1, f":{check.normalized}", "paths"):  # should budgets ever reach them
        st.stop()
    found = guarded(find_subject, text)
    candidates = [found] if found else []
else:
    frame = guarded(search_names, text, 20)
    records = [] if frame is None else frame_rows(frame)
    candidates = [Subject(r["label"], r["key"], r["name"]) for r in records]
    if not candidates:  # a code, a person's key or an overseas entity's id
        found = guarded(find_subject, text)
        candidates = [found] if found else []
candidates = [c for c in candidates if c.node_id != source.node_id]
if not candidates:
    st.info(t("no_match"))
    st.stop()
choices: dict[str, Subject] = {}  # what the reader sees → the subject (plain text options)
for candidate in candidates:
    shown = (f"{candidate.name} · {check.public()['input']}" if check.personal else
             f"{candidate.name} · {label_name(candidate.label)}" + (
                 f" · {candidate.key}" if candidate.label != "Person" else ""))
    while shown in choices:
        shown += " ·"
    choices[shown] = candidate
picked = st.selectbox(t("path_target"), list(choices), key=f"path_target-{language()}")
target = choices[picked]
audited("paths", (source.node_id, target.node_id, length, relations, every),
        source=source.node_id, target=target.node_id, length=length,
        by_document=(check.doc_type or check.kind) if check.personal else None)
with st.spinner("…"):
    result = guarded(paths_between, source, target, length, as_of(), relations, every)
if result is None:
    st.stop()
frame, drawn = result
if frame.empty:
    st.info(t("no_path", n=length))
    st.stop()
st.markdown(t("paths_found", n=len(frame), length=int(frame["length"].iloc[0])))
for row in frame_rows(frame.head(10)):
    st.markdown(f"- {md(row['explanation'])}")
english = language() == "en"
ends = {source.node_id, target.node_id}
st.image(draw_svg(*drawing(drawn, ends), english))
views(drawn, ends, english, f"paths-{source.key[:12]}-{target.key[:12]}")
in_words = frame.assign(path_types=frame["path_types"].map(
    lambda types: [relation_name(r) for r in types]))
table(in_words[["length", "path_names", "path_types", "explanation"]], "paths")
