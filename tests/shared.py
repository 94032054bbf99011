"""Values every test module shares (fixtures are in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SAMPLE = ROOT / "seed" / "sample"  # the bundled sample data
# The key persons' document numbers are hashed with in the tests (CREDITGRAPH_ID_KEY): as text
# where it goes into an environment, as bytes where a function takes it.
ID_KEY = "test-secret-key-0123456789"
SECRET = ID_KEY.encode()


def planted_cases(directory: Path) -> dict[str, dict[str, Any]]:
    """The cases ``seed`` planted in a data set (its answers.json), by name."""
    answers = json.loads((directory / "answers.json").read_text(encoding="utf-8"))
    return {case["case"]: case for case in answers["cases"]}
# the folders installed as creditgraph.<folder> (tests/project/test_layers.py: each in a layer)
PACKAGES = tuple(sorted(p.parent.name for p in ROOT.glob("*/__init__.py")
                        if p.parent.name not in ("tests", "bench")))


def tables(app: Any) -> list[Any]:
    """A dashboard page's tables (an AppTest's) with their headers back under the columns' own
    names: the pages show headers in the page's language (dashboard/i18n.py COLUMN_WORDS), a
    test reads a column whatever the language."""
    from creditgraph.dashboard.i18n import COLUMN_WORDS

    back = {words[i]: name for name, words in COLUMN_WORDS.items() for i in (0, 1)}
    return [df.value.rename(columns=lambda c: back.get(c, c)) for df in app.dataframe]
