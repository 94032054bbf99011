"""Row transformers, one per input kind: a source row in, a Plan (or a Reject) out."""

from collections.abc import Callable

from creditgraph.loaders.context import Context
from creditgraph.loaders.kinds import links, records, repairs, subjects
from creditgraph.loaders.plan import Plan
from creditgraph.loaders.reading import SourceRow

Transformer = Callable[[SourceRow, Context], Plan]

TRANSFORMERS: dict[str, Transformer] = {
    "departments": subjects.department,
    "enterprises": subjects.enterprise,
    "code_mappings": subjects.code_mapping,
    "overseas_entities": subjects.overseas_entity,
    "persons": subjects.person,
    "relations": links.relation,
    "civil_servants": links.civil_servant,
    "integrity_records": links.integrity_record,
    "penalties": records.penalty,
    "licenses": records.license_,
    "list_entries": records.list_entry,
    "commitments": records.commitment,
    "procurement": links.procurement,
    "repairs": repairs.repair,
}

# Passes over a whole file before its rows are transformed (children before parents).
PREREGISTER: dict[str, Callable[[SourceRow, Context], None]] = {
    "departments": subjects.preregister_department,
}

# Columns whose values name subjects or departments: looked up in the store ahead of each chunk.
CODE_COLUMNS = ("uscc", "legal_rep_id", "id_number", "source_id", "target_id", "subject_code",
                "subject_uscc", "subject_org_code", "subject_reg_no", "subject_id_number",
                "bidder_code", "legacy_code")
OVERSEAS_COLUMNS = ("source_id", "target_id")  # where an overseas entity's id may stand
DEPARTMENT_COLUMNS = ("department_code", "authority_code", "purchaser_code", "parent_code", "code",
                      "penalty_authority_code")
NAME_COLUMNS = ("subject_name",)
DEPARTMENT_NAME_COLUMNS = ("authority", "penalty_authority")

# Temporal relationships a file of this kind lists completely: after a load, those its source
# listed before but not now are ended. (kind → relationship types, and the column the file must
# have for that to hold: an enterprises file without legal representatives says nothing of them.)
COMPLETE_LISTS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "relations": (tuple(links.RELATION_TYPES), None),
    "civil_servants": (("SERVES_IN",), None),
    "enterprises": (("LEGAL_REP_OF",), "legal_rep_id"),
}

# Relationship properties a file of this kind states in full, each with the column that carries
# it: when the file has that column, an empty cell clears the stored value (a wrong end date the
# source withdrew is withdrawn in the graph too), instead of keeping it.
STATED: dict[str, dict[str, str]] = {
    "relations": {"end_date": "end_date", "ended_by": "end_date", "ratio": "ratio",
                  "role": "role", "kind": "kind"},
    "civil_servants": {"end_date": "end_date", "ended_by": "end_date", "position": "position",
                       "rank": "rank"},
}

# Kinds whose rows are short codes, names and dates: a row over several lines there is a quote
# gone wrong (it swallowed the lines after it), so it is rejected, not loaded.
SINGLE_LINE = ("relations", "civil_servants")

# Relations a person named without a document number may hold (自然人股东 and officers).
NAME_ONLY_TYPES = links.NAME_ONLY_TYPES
