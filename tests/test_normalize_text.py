"""`normalize_text` replaces only the characters its tables name and joins elisions from
each apostrophe: the same text as one `str.translate` over the whole table and one regex
scanning for the elided words (the straightforward forms, kept here as the oracle), on
random texts made of what PDFs print."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from extractors import normalize
from extractors.normalize import normalize_text

_ELISION_AFTER = re.compile(r"\b(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)' +(?=\w)", re.IGNORECASE)
PIECES = st.sampled_from(
    [
        "l",
        "L",
        "d",
        "qu",
        "jusqu",
        "Lorsqu",
        "puisqu",
        "xl",
        "presqu",
        "'",
        "’",
        " ",
        "  ",
        "\u00a0",
        "\u200b",
        "\ufb01",
        "\u2011",
        "\u00ad",
        "\ufffe",
        "e\u0301",
        "Union",
        "é",
        "1",
        "_",
        "-",
        "\n",
        "\t",
        "x",
    ]
)


def oracle(text: str) -> str:
    """normalize_text as it was written before (whole-table translate, scanning elisions)."""
    if not text.isascii():
        if "\u00ad" in text or "\ufffe" in text:
            text = normalize._LINE_END_HYPHEN.sub(normalize._line_end_hyphen, text)
        text = unicodedata.normalize("NFC", text)
    text = text.translate(normalize._TABLE)
    if " '" in text:
        text = normalize._ELISION_SPACE.sub(normalize._elided, text)
    if "' " in text:
        text = _ELISION_AFTER.sub(normalize._elided, text)
    if "  " in text:
        text = normalize._MULTISPACE.sub(" ", text)
    return text.strip()


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=30).map("".join))
@example("de l' Union et jusqu'  à l’ Europe; xl' a")
@example("l'\u00a0Union")
@example("qu' \ufb01n")
@example("lorsqu' il vient, puisqu'  elle")
def test_normalize_text_is_the_straightforward_normalization(text: str) -> None:
    assert normalize_text(text) == oracle(text)
