"""``.cypher`` files: one statement each, read by name. ``queries/`` holds one per question
(``queries/library.py``); ``loaders/`` the few statements its writer runs.

Header lines at the top of each file::

    // purpose: ...
    // parameters: name (type), ...
    // basis: the policy or rule it serves

A file ``NAME.neo4j.cypher`` or ``NAME.embedded.cypher`` replaces ``NAME.cypher`` on that
backend; such variants exist only where the dialects force them (``labels()``/``type()`` versus
``label()``).

The business rules a statement tests are named, not written out: ``@valid_on(r)``,
``@entry_in_force(l)``, ``@measure_in_force(s)``, ``@control_types`` — graph/predicates.py
holds each once and writes it out when the file is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from creditgraph.graph.predicates import expand


@dataclass(frozen=True)
class CypherFile:
    name: str
    text: str
    header: dict[str, str]


@cache
def read_cypher_file(directory: Path, name: str, backend: str) -> CypherFile:
    """The statement ``name`` of ``directory`` for ``backend``, its fragments written out."""
    variant = directory / f"{name}.{backend}.cypher"
    path = variant if variant.exists() else directory / f"{name}.cypher"
    if not path.exists():
        raise KeyError(f"no query file {name}.cypher in {directory}")
    text = expand(path.read_text(encoding="utf-8"), path.name)
    header = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        key, _, value = line[2:].partition(":")
        if value:
            header[key.strip()] = value.strip()
    return CypherFile(name, text, header)
