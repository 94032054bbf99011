"""证据导出 Export: package the current case as a BagIt bag (.zip) — the same code as
`creditgraph export-case` — and download it."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from casefile.export import export_case
from dashboard.data import as_of, current_subject, guarded, opened
from dashboard.i18n import t

st.title(t("export"))
if st.session_state.get("role") not in ("investigator", "supervisor", "admin"):
    st.error(t("not_allowed"))  # viewers may not export
    st.stop()
subject = current_subject()
if subject is None:
    st.info(t("choose_subject"))
    st.stop()
st.header(subject.name)
hops = st.slider(t("hops"), 1, 4, 2, key="export_hops")
day = as_of()
case_no = st.text_input(t("case_no"), value=f"CG-{day:%Y%m%d}-{subject.key[:18]}",
                        key="case_no")
st.caption(t("export_note"))


def build() -> tuple[bytes, str, int]:
    with tempfile.TemporaryDirectory(prefix="creditgraph-dash-case-") as tmp:
        out = Path(tmp) / f"{case_no or 'case'}.zip"
        with opened() as store:
            case, digest = export_case(store, [subject], day, hops, case_no or "case", out)
        return out.read_bytes(), digest, len(case.findings())


if st.button(t("export_build"), key="export_build"):
    with st.spinner("…"):
        built = guarded(build)
    if built is not None:
        data, digest, findings = built
        st.session_state["export_bag"] = (data, digest, findings, case_no,
                                          dt.datetime.now().isoformat(timespec="seconds"))
if "export_bag" in st.session_state:
    data, digest, findings, number, when = st.session_state["export_bag"]
    st.success(t("export_done", findings=findings, digest=digest[:16]))
    st.download_button(t("download") + " .zip", data, f"{number}.zip", "application/zip",
                       key="export_download")
