"""The reference a newcomer reads stays true: the tables generated from the YAML are current,
every command is in docs/cli.md, and every link between the README and docs/ leads somewhere."""

from __future__ import annotations

import importlib.util
import re

import typer.main

from tests.shared import ROOT

LINK = re.compile(r"\]\(([^)\s]+)\)")


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_tables_are_current_and_name_every_label_type_and_column():
    generate = _generator()
    assert generate.stale() == []
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    loading = (ROOT / "docs" / "loading.md").read_text(encoding="utf-8")
    from creditgraph.graph.schema import default_schema
    from creditgraph.loaders.spec import default_spec

    assert all(f"| {label} |" in schema for label in default_schema().nodes)
    assert all(f"| `{name}` |" in schema for name in default_schema().relationships)
    assert all(f"| `{column}` |" in loading for kind in default_spec().kinds.values()
               for column in kind.columns)


def test_a_changed_schema_makes_the_tables_stale(tmp_path, monkeypatch):
    generate = _generator()
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    edited = text.replace("| Enterprise |", "| Firm |", 1)
    assert edited != text
    assert generate.rendered(edited, "schema.md") == text  # rewriting puts the truth back
    gone = re.sub(r"<!-- generated: schema-nodes -->.*?<!-- end generated -->\n", "", text,
                  flags=re.S)
    try:
        generate.rendered(gone, "schema.md")
    except SystemExit as exc:
        assert "no generated block for schema-nodes" in str(exc)
    else:
        raise AssertionError("a missing generated block was not noticed")


def test_every_command_is_in_the_cli_reference():
    from creditgraph.cli.main import app

    group = typer.main.get_command(app)
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in group.commands  # type: ignore[attr-defined]
               if f"`creditgraph {name}" not in reference]
    assert not missing, f"commands missing from docs/cli.md: {missing}"
    assert "|\n\n|" not in reference  # a blank line inside a table breaks it


def test_links_between_the_readme_and_the_docs_lead_to_files_that_exist():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, broken
    assert len(pages) > 10
