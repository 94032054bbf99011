"""证据导出 Export: package the current case as a BagIt bag (.zip) — the same code as
`creditgraph export-case` — and download it. The case number is checked before anything is
built (it becomes a file name); civil-servant findings go in only for supervisors and above;
the export is audited under the signed-in user."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from creditgraph.casefile.export import check_case_no, export_case
from creditgraph.dashboard.auth import me, user_name
from creditgraph.dashboard.data import as_of, chosen_subject, guarded, opened
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md
from creditgraph.graph.errors import CreditGraphError

st.title(t("export"))
if not me().can("investigator"):
    st.error(t("not_allowed"))  # viewers may not export
    st.stop()
subject = chosen_subject()
st.header(md(subject.name))
shown = subject  # a Subject from here on, in build() too
hops = st.slider(t("hops"), 1, 4, 2, key="export_hops")
day = as_of()
case_no = st.text_input(t("case_no"), value=f"CG-{day:%Y%m%d}-{subject.key[:18]}",
                        key="case_no", max_chars=64).strip()
civil = me().can("supervisor")
st.caption(t("export_note"))
st.caption(t("export_civil"))


def build() -> tuple[bytes, str, int]:
    with tempfile.TemporaryDirectory(prefix="creditgraph-dash-case-") as tmp:
        out = Path(tmp) / f"{case_no}.zip"
        with opened() as store:
            case, digest = export_case(store, [shown], day, hops, case_no, out,
                                       include_civil_servant=civil, actor=user_name())
        return out.read_bytes(), digest, len(case.findings())


if st.button(t("export_build"), key="export_build"):
    try:
        check_case_no(case_no)
    except CreditGraphError as exc:
        st.error(md(exc))
        st.stop()
    with st.spinner("…"):
        try:
            built = guarded(build)
        except CreditGraphError as exc:  # e.g. the audit log cannot take the record
            st.error(md(exc))
            st.stop()
    if built is not None:
        data, digest, findings = built
        st.session_state["export_bag"] = (data, digest, findings, case_no,
                                          dt.datetime.now().isoformat(timespec="seconds"),
                                          subject.node_id)
bag = st.session_state.get("export_bag")
if bag and bag[5] == subject.node_id:  # never another subject's bag under this header
    data, digest, findings, number, when, _ = bag
    st.success(t("export_done", findings=findings, digest=digest[:16]))
    st.download_button(t("download") + " .zip", data, f"{number}.zip", "application/zip",
                       key="export_download", on_click="ignore")
