"""Writes the reference tables in ``docs/`` that are data elsewhere: the graph's labels and
relationship types (from ``graph/schema.yaml``) into ``docs/schema.md`` and the loader's input
files and columns (from ``loaders/columns.yaml``) into ``docs/loading.md``, between
``<!-- generated: NAME -->`` and ``<!-- end generated -->`` lines. Everything outside those
lines is written by hand.

    python docs/generate.py          # rewrite the tables
    python docs/generate.py --check  # exit 1 naming each stale table (tests/project/test_docs.py)
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from creditgraph.graph.schema import PropertySpec, Schema, default_schema
from creditgraph.loaders.spec import LOAD_ORDER, Spec, default_spec

ROOT = Path(__file__).resolve().parent.parent  # the checkout (run with the venv's python)

BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)"
                   r"(<!-- end generated -->)", re.S)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _props(props: dict[str, PropertySpec], skip: set[str]) -> str:
    shown = [f"`{p.name}`{'*' if p.required else ''} {p.type}" for p in props.values()
             if p.name not in skip]
    return ", ".join(shown) or "—"


def schema_nodes(schema: Schema) -> str:
    common = {"source", "updated_at"}
    rows = ["| label | key | what | properties (* required) |", "|---|---|---|---|"]
    for node in schema.nodes.values():
        rows.append(f"| {node.label} | `{node.key}` | {_cell(node.description)} | "
                    f"{_cell(_props(dict(node.properties), common | {node.key}))} |")
    return "\n".join(rows) + "\n"


def schema_relationships(schema: Schema) -> str:
    common = {"source", "updated_at", "load_id", "ended_by", "start_date", "end_date"}
    rows = ["| type | from → to | dated | what | properties |", "|---|---|---|---|---|"]
    for rel in schema.relationships.values():
        ends = "<br>".join(f"{a} → {b}" for a, b in rel.endpoints)
        rows.append(f"| `{rel.name}` | {ends} | {'yes' if rel.temporal else ''} | "
                    f"{_cell(rel.description)} | "
                    f"{_cell(_props(dict(rel.properties), common))} |")
    return "\n".join(rows) + "\n"


def loader_columns(spec: Spec) -> str:
    parts = []
    for kind in LOAD_ORDER:
        body = spec.kinds[kind]
        parts.append(f"**`{kind}`** — file names: {', '.join(body.file_names)}\n")
        parts.append("| column | required | headers also accepted |\n|---|---|---|")
        for column in body.columns.values():
            parts.append(f"| `{column.name}` | {'yes' if column.required else ''} | "
                         f"{_cell(', '.join(column.aliases))} |")
        parts.append("")
    return "\n".join(parts)


TABLES: dict[str, tuple[str, Callable[[], str]]] = {
    "schema-nodes": ("schema.md", lambda: schema_nodes(default_schema())),
    "schema-relationships": ("schema.md", lambda: schema_relationships(default_schema())),
    "loader-columns": ("loading.md", lambda: loader_columns(default_spec())),
}


def rendered(text: str, file: str) -> str:
    """``text`` with each generated block of ``file`` written afresh; a block name this
    script does not know is an error, as is a table missing from its file."""
    seen: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in TABLES or TABLES[name][0] != file:
            raise SystemExit(f"docs/{file}: unknown generated block {name!r}")
        seen.add(name)
        return f"{match[1]}{TABLES[name][1]()}{match[4]}"

    out = BLOCK.sub(fill, text)
    missing = [name for name, (where, _) in TABLES.items() if where == file and name not in seen]
    if missing:
        raise SystemExit(f"docs/{file}: no generated block for {', '.join(missing)}")
    return out


def stale() -> list[str]:
    """The docs files whose generated tables differ from what the data gives."""
    docs = Path(__file__).resolve().parent
    return [file for file in sorted({where for where, _ in TABLES.values()})
            if rendered((docs / file).read_text(encoding="utf-8"), file)
            != (docs / file).read_text(encoding="utf-8")]


def main(argv: list[str]) -> int:
    docs = Path(__file__).resolve().parent
    if argv == ["--check"]:
        old = stale()
        for file in old:
            print(f"docs/{file}: generated tables are stale; run python docs/generate.py",
                  file=sys.stderr)
        return 1 if old else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for file in sorted({where for where, _ in TABLES.values()}):
        path = docs / file
        path.write_text(rendered(path.read_text(encoding="utf-8"), file), encoding="utf-8")
        print(f"wrote docs/{file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
