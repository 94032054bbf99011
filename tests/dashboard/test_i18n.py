"""Chinese everywhere in the Chinese pages, English complete in the English ones: every word
the pages ask for is in the table in both languages, and the English has no Chinese left in it.
(Every page is also run in both languages on demo data: test_dashboard.py.)"""

from __future__ import annotations

import ast
import re

from creditgraph.dashboard.i18n import WORDS
from tests.shared import ROOT

CJK = re.compile(r"[\u3400-\u9fff]")


def asked_for() -> dict[str, str]:
    """Every literal key a page or widget passes to t(), with where."""
    found = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_word_asked_for_is_in_both_languages():
    keys = asked_for()
    assert len(keys) > 100
    assert {key: where for key, where in keys.items() if key not in WORDS} == {}
    assert [key for key, (zh, en) in WORDS.items() if not zh.strip() or not en.strip()] == []


def test_the_english_has_no_chinese_and_the_chinese_is_chinese():
    assert {key: en for key, (_, en) in WORDS.items() if CJK.search(en)} == {}
    assert {key: zh for key, (zh, _) in WORDS.items() if not CJK.search(zh)} == {}
    untranslated = {key: zh for key, (zh, en) in WORDS.items() if zh == en}
    assert untranslated == {}


def test_no_two_columns_share_a_header():
    """Two columns of one table under one header would be one column to a reader (and to
    pandas): each header is a word of its own, in each language."""
    from creditgraph.dashboard.i18n import COLUMN_WORDS

    for language in (0, 1):
        words = [pair[language] for pair in COLUMN_WORDS.values()]
        assert sorted(w for w in set(words) if words.count(w) > 1) == []
