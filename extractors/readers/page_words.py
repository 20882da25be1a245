"""The words a UN page prints for its parts (annexes, maps, captions, contents, chapters),
read once from `page_words.yaml` for every language, so the page rules stay language-neutral."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from common.yaml_data import load_yaml_file

WORDS_FILE = Path(__file__).resolve().with_name("page_words.yaml")


@cache
def page_words() -> dict[str, tuple[str, ...]]:
    """Each kind of word (part, map, caption, contents, chapter, …), all languages together."""
    data = load_yaml_file(WORDS_FILE)
    words: dict[str, list[str]] = {}
    for language in data.values():
        for kind, listed in language.items():
            words.setdefault(kind, [])
            words[kind] += [word for word in listed if word not in words[kind]]
    return {kind: tuple(listed) for kind, listed in words.items()}


def alternatives(kind: str) -> str:
    """A regular-expression alternation of the words of `kind`, longest first."""
    listed = sorted(page_words()[kind], key=len, reverse=True)
    return "|".join(re.escape(word) for word in listed)
