"""The ``.cypher`` files of this package: one per question, read by name
(graph/cypher_files.py says how a file is written and read)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from creditgraph.graph.cypher_files import CypherFile, read_cypher_file
from creditgraph.graph.store import GraphStore, Row

if TYPE_CHECKING:  # imported where used: `creditgraph` starts without it
    import pandas as pd

HERE = Path(__file__).resolve().parent


def cypher_file(name: str, backend: str) -> CypherFile:
    return read_cypher_file(HERE, name, backend)


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
