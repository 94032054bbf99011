"""The words of ``vocabulary.yaml`` as look-ups."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


def word_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@cache
def _raw() -> dict[str, Any]:
    return yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


@cache
def _table(section: str) -> dict[str, str]:
    return {word_key(word): canonical for canonical, words in _raw()[section].items()
            for word in [canonical, *words]}


def canonical(section: str, word: str) -> str | None:
    """``canonical("relations", "股东")`` → ``"SHAREHOLDER_OF"``; None when unknown."""
    return _table(section).get(word_key(word))


def choices(section: str) -> list[str]:
    return list(_raw()[section])


def words(section: str) -> list[str]:
    return [str(w) for w in _raw()[section]]


def entity_type(uscc: str) -> str | None:
    return _raw()["entity_types"].get(uscc[:2])
