"""Credit checks for procurement, bond issuance and subsidies (采购 / 发债 / 财政资金审查):
for each applicant, eligible or not, and why — its own black-list entries in force, major
penalties in the previous three years (政府采购法 art. 22), black-listed parties within N hops
over control relations, the joint-punishment measures that reach the purpose — with the
evidence paths. The check itself is ``queries/checks.py`` ``check``, shared with the API's
``POST /v1/checks``; this module shapes it into the screening table the dashboard and
``creditgraph query screen`` show.

A person's ID number (a resident ID or another identity document: ``CodeCheck.personal``) is
echoed masked. With ``identify_persons=False`` (a viewer's check) a row keyed by such a number
says only whether that person is in the graph — never a name or a finding — and
``max_id_numbers`` caps how many ID numbers one list may hold, so a list of guesses around a
masked number cannot be turned into a name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.predicates import CONTROL_RELATIONS
from creditgraph.graph.store import GraphStore
from creditgraph.queries.checks import check, is_personal, shown_code

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

MAJOR_CATEGORIES = ("责令停产停业", "吊销许可证件", "吊销营业执照", "暂扣许可证件", "没收违法所得")
MAJOR_FINE = 10.0  # 万元
COLUMNS = ["code", "found", "name", "eligible", "reasons", "evidence"]


class ScreeningError(CreditGraphError):
    pass


__all__ = ["COLUMNS", "MAJOR_CATEGORIES", "MAJOR_FINE", "ScreeningError", "check_id_cap",
           "count_id_numbers", "is_personal", "screen", "shown_code"]


def count_id_numbers(codes: Sequence[str]) -> int:
    return sum(1 for code in codes if is_personal(code))


def check_id_cap(codes: Sequence[str], max_id_numbers: int | None) -> None:
    ids = count_id_numbers(codes)
    if max_id_numbers is not None and ids > max_id_numbers:
        raise ScreeningError(f"{ids} ID numbers in one list; at most {max_id_numbers} "
                             "may be checked at a time")


def screen(store: GraphStore, codes: Iterable[str], secret: bytes | None, max_hops: int = 2,
           as_of: dt.date | None = None, relations: Sequence[str] = CONTROL_RELATIONS,
           major_fine: float = MAJOR_FINE, identify_persons: bool = True,
           max_id_numbers: int | None = None, purpose: str = "procurement") -> pd.DataFrame:
    """The check for ``purpose`` (``queries/checks.py``, the one the API's ``POST /v1/checks``
    runs) as the screening table: eligible only on a ``pass`` verdict; None where a viewer
    gets presence only."""
    import pandas as pd
    codes = list(codes)
    check_id_cap(codes, max_id_numbers)
    answers = check(store, codes, purpose, secret, as_of, max_hops=max_hops,
                    relations=relations, major_fine=major_fine,
                    identify_persons=identify_persons)
    rows = [{"code": a["code"], "found": a["found"], "name": a["name"],
             "eligible": None if a["verdict"] is None else a["verdict"] == "pass",
             "reasons": a["reasons"],
             "evidence": [row["explanation"] for row in a["linked"]]} for a in answers]
    return pd.DataFrame(rows, columns=COLUMNS)
