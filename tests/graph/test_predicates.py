"""The business rules every query tests are written once (graph/predicates.py) and named in
the .cypher files, which are each read by some code under a name that can be grepped."""

from __future__ import annotations

import ast
import re

import pytest

from creditgraph.graph.cypher_files import read_cypher_file
from creditgraph.graph.predicates import CONTROL_RELATIONS, entry_in_force, expand, valid_on
from creditgraph.loaders import writers
from creditgraph.queries import library
from tests.shared import PACKAGES, ROOT

STATEMENT_DIRS = (library.HERE, writers.HERE)  # where .cypher files live
# what a .cypher file must not spell out (outside its comments): each rule has one definition
SPELLED_OUT = {"relation valid on a day": re.compile(r"start_date IS NULL OR"),
               "list entry in force": re.compile(r"status = 'active' OR"),
               "measure in force": re.compile(r"valid_to IS NULL OR"),
               "the six control relations": re.compile(re.escape("|".join(CONTROL_RELATIONS)))}


def test_fragments_are_written_out_in_brackets_with_their_day():
    assert expand("WHERE @valid_on(r) AND x") == f"WHERE ({valid_on('r')}) AND x"
    assert expand("@entry_in_force(l, f.established)") == (
        f"({entry_in_force('l', 'f.established')})")
    assert "l.repaired_on > f.established" in expand("@entry_in_force(l, f.established)")
    assert expand("[r:@control_types]") == "[r:" + "|".join(CONTROL_RELATIONS) + "]"
    assert expand("no fragment here, {map: 1}") == "no fragment here, {map: 1}"
    assert expand("x // @valid_on(r) in a comment") == "x // @valid_on(r) in a comment"


@pytest.mark.parametrize("text, message", [
    ("@valid_from(r)", "unknown fragment @valid_from"),
    ("@types", "unknown fragment @types"),
    ("@valid_on(r.x = 1 OR true)", "give a variable"),
    ("@valid_on('2020-01-01')", "give a variable"),
    ("@entry_in_force(l, $as_of, x)", "give a variable"),
    ("@valid_on($as_of)", "give a variable"),
    ("@valid_on(r.start)", "give a variable"),
])
def test_an_unknown_fragment_or_an_argument_that_is_not_a_name_is_refused(text, message):
    with pytest.raises(ValueError, match=re.escape("q.cypher: ") + ".*" + re.escape(message)):
        expand(text, "q.cypher")


def _body(text: str) -> str:
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def test_no_query_file_spells_out_a_rule_and_every_file_reads_on_both_backends():
    files = sorted(path for folder in STATEMENT_DIRS for path in folder.glob("*.cypher"))
    assert len(files) > 80
    for path in files:
        raw = _body(path.read_text(encoding="utf-8"))
        for rule, pattern in SPELLED_OUT.items():
            assert not pattern.search(raw), f"{path.name} spells out {rule}: use its fragment"
        name, _, only = path.stem.partition(".")
        for backend in [only] if only else ["embedded", "neo4j"]:
            assert "@" not in _body(read_cypher_file(path.parent, name, backend).text)


def test_every_query_file_has_a_caller_that_names_it_whole():
    names = {re.sub(r"\.(neo4j|embedded)$", "", p.stem)
             for folder in STATEMENT_DIRS for p in folder.glob("*.cypher")}
    named: set[str] = set()
    for package in (*PACKAGES, "bench", "tests"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and node.value in names:
                    named.add(node.value)
    assert sorted(names - named) == []
