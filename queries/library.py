"""The ``.cypher`` files of this package: one per question, a header saying what it is.

Header lines at the top of each file::

    // purpose: ...
    // parameters: name (type), ...
    // basis: the policy or rule it serves

A file ``NAME.neo4j.cypher`` or ``NAME.embedded.cypher`` replaces ``NAME.cypher`` on that
backend; such variants exist only where the dialects force them (``labels()``/``type()`` versus
``label()``).

The business rules a query tests are named, not written out: ``@valid_on(r)``,
``@entry_in_force(l)``, ``@measure_in_force(s)``, ``@control_types`` — graph/predicates.py
holds each once and writes it out when the file is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creditgraph.graph.predicates import expand
from creditgraph.graph.store import GraphStore, Row

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class CypherFile:
    name: str
    text: str
    header: dict[str, str]


@cache
def cypher_file(name: str, backend: str) -> CypherFile:
    variant = HERE / f"{name}.{backend}.cypher"
    path = variant if variant.exists() else HERE / f"{name}.cypher"
    if not path.exists():
        raise KeyError(f"no query file {name}.cypher")
    text = expand(path.read_text(encoding="utf-8"), path.name)
    header = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        key, _, value = line[2:].partition(":")
        if value:
            header[key.strip()] = value.strip()
    return CypherFile(name, text, header)


def run(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run a named query on the store's backend; every value is a parameter."""
    return store.read(cypher_file(name, store.backend).text, params)


def run_once(store: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    """``run``, answered once for the life of a store whose data cannot change while it is
    open (``GraphStore.read_once``)."""
    return store.read_once(cypher_file(name, store.backend).text, params)


def frame_rows(frame: pd.DataFrame) -> list[Row]:
    """A question's table as rows, each keyed by its column names (text, as our queries name
    them) — what the windows, reports and answers that take rows read."""
    return [{str(column): value for column, value in row.items()}
            for row in frame.to_dict("records")]
