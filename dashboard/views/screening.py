"""采购审查 Screening: upload a bidder list (CSV / XLSX), get eligibility with reasons and
evidence, download the result. Uploads are capped in size, unpacked size and rows; a viewer's
rows keyed by a person's ID number show only found / not found, at most VIEWER_MAX_IDS of them
per upload, and count against the viewer's daily ID-number budget (shared with the search page;
a number of any document type counts, dashboard/data.py `id_numbers`);
every row is written to the audit log (ID numbers masked)."""

import hashlib

import streamlit as st

from creditgraph.dashboard.auth import me
from creditgraph.dashboard.data import as_of, audited, guarded, id_lookups, id_numbers, screened
from creditgraph.dashboard.i18n import t
from creditgraph.dashboard.widgets import md, table
from creditgraph.loaders.code_lists import MAX_ROWS, MAX_UPLOAD_BYTES, UploadError, first_column
from creditgraph.queries.screening import ScreeningError, check_id_cap

VIEWER_MAX_IDS = 20

st.title(t("screening"))
identify = me().can("investigator")
st.caption(t("upload_limits", mib=MAX_UPLOAD_BYTES // (1024 * 1024), rows=MAX_ROWS))
if not identify:
    st.caption(t("viewer_ids", n=VIEWER_MAX_IDS))
upload = st.file_uploader(t("bidders"), type=["csv", "xlsx"], key="bidders")
hops = st.slider(t("max_hops"), 1, 3, 2, key="screen_hops")
if upload is None:
    id_lookups(0, None, "screening")  # says how many are left
    st.stop()
try:
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadError(f"{upload.name}: {upload.size:,} bytes; at most "
                          f"{MAX_UPLOAD_BYTES:,}")
    raw = upload.getvalue()
    codes = tuple(first_column(upload.name, raw))
    cap = None if identify else VIEWER_MAX_IDS
    check_id_cap(codes, cap)
    if cap is not None and id_numbers(codes) > cap:  # every document type counts
        raise ScreeningError(f"{id_numbers(codes)} ID numbers in one list; at most {cap} "
                             "may be checked at a time")
except (UploadError, ScreeningError) as exc:
    st.error(md(exc))
    st.stop()
digest = hashlib.sha256(raw).hexdigest()
if not id_lookups(id_numbers(codes), digest, "screening"):
    st.stop()
with st.spinner("…"):
    result = guarded(screened, codes, hops, as_of(), identify, cap)
if result is not None:
    for number, row in enumerate(result.to_dict("records"), 1):
        audited("screen", (digest, hops, as_of()), f"screen-{number}", code=row["code"],
                found=row["found"], eligible=row["eligible"], row=number,
                upload_sha256=digest)
    eligible = int((result["eligible"] == True).sum()) if not result.empty else 0  # noqa: E712
    decided = int(result["eligible"].notna().sum()) if not result.empty else 0
    st.metric(t("screening"), t("eligible_count", eligible=eligible,
                                ineligible=decided - eligible))
    table(result, "screening")
