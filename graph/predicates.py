"""The business rules every query tests, written once as Cypher text: a relation valid on a
day, a list entry in force, a joint-punishment measure in force, and the control relations
that linked-party questions follow.

The searches (graph/traversal.py) call these functions; the ``.cypher`` files of
``queries/`` name them as ``@valid_on(r)``, ``@entry_in_force(l)`` (or
``@entry_in_force(l, f.established)`` for another day than ``$as_of``),
``@measure_in_force(s)`` and ``@control_types``, which ``expand`` writes out when a file is
read (queries/library.py; ``//`` comments are left as they are). The first argument is a
variable, the day a variable, a property of one or a parameter: nothing else is accepted, so
a fragment can never carry a value into the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CONTROL_RELATIONS = ("LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF",
                     "BRANCH_OF", "RELATIVE_OF")


def valid_on(var: str, day: str = "$as_of") -> str:
    """A relation in force on ``day``: started (or start unknown) and not yet ended."""
    return (f"({var}.start_date IS NULL OR {var}.start_date <= {day}) "
            f"AND ({var}.end_date IS NULL OR {var}.end_date >= {day})")


def entry_in_force(var: str, day: str = "$as_of") -> str:
    """A list entry in force on ``day``: started, not ended, not repaired, revoked or expired
    by then (its status), and not removed by a repair decision (``repaired_on``, written by
    loaders/kinds/repairs.py) — 信用修复: such an entry no longer counts."""
    return (f"{var}.start_date <= {day} AND ({var}.end_date IS NULL OR {var}.end_date >= {day})"
            f" AND ({var}.status = 'active' OR ({var}.status_date IS NOT NULL "
            f"AND {var}.status_date > {day}))"
            f" AND ({var}.repaired_on IS NULL OR {var}.repaired_on > {day})")


def measure_in_force(var: str, day: str = "$as_of") -> str:
    """A joint-punishment measure (``Sanction``) in force on ``day``."""
    return (f"{var}.valid_from <= {day} "
            f"AND ({var}.valid_to IS NULL OR {var}.valid_to >= {day})")


FRAGMENTS: dict[str, Callable[..., str]] = {
    "valid_on": valid_on, "entry_in_force": entry_in_force, "measure_in_force": measure_in_force,
}
CONSTANTS = {"control_types": "|".join(CONTROL_RELATIONS)}
USE = re.compile(r"@(?P<name>[a-z_]+)(?:\((?P<args>[^()]*)\))?")
VARIABLE = re.compile(r"^[a-z_][a-z0-9_]*$")
DAY = re.compile(r"^(\$[a-z_]+|[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?)$")


def expand(text: str, where: str = "query") -> str:
    """``text`` with every ``@name(...)`` written out (a rule, in brackets) and every
    ``@constant``, outside ``//`` comments; an unknown name, a first argument that is not a
    variable or a day that is not a variable, property or parameter is an error naming
    ``where``."""

    def one(use: re.Match[str]) -> str:
        name, args = use["name"], use["args"]
        if args is None:
            if name not in CONSTANTS:
                raise ValueError(f"{where}: unknown fragment @{name}")
            return CONSTANTS[name]
        if name not in FRAGMENTS:
            raise ValueError(f"{where}: unknown fragment @{name}(...)")
        values = [a.strip() for a in args.split(",")]
        if (not 1 <= len(values) <= 2 or not VARIABLE.match(values[0])
                or not all(DAY.match(v) for v in values[1:])):
            raise ValueError(f"{where}: @{name}({args}): give a variable and optionally a day "
                             "(a property or a $parameter)")
        return f"({FRAGMENTS[name](*values)})"

    lines = []
    for line in text.split("\n"):
        code, mark, comment = line.partition("//")
        lines.append(USE.sub(one, code) + mark + comment)
    return "\n".join(lines)
