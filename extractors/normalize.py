"""Text normalization in one place: spaces, apostrophes, ligatures, split words, hyphens.

A hyphen at a line end comes in two marks: U+00AD (a soft hyphen: the word is one word) and
U+FFFE (PDFium's mark for a hyphen it found at a line end, the line break already removed:
"Counter\ufffeTerrorism"). UN documents break lines only at a compound's own hyphen, so
U+FFFE becomes that hyphen; a soft hyphen joins the two halves, whatever space or line
break a reader left after it, and one that ends a line stays there for `join_wrapped`.

Every reader and matcher goes through these functions so that the same words compare
equal whatever tool extracted them (PDF, Markdown conversion, HTML, DOCX).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import accumulate, chain, compress, count, islice
from operator import add

_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000\t"), " "
)
# U+00AD is left to _LINE_END_HYPHEN, which keeps it at the end of a line (see there).
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u2032\u00b4\u0060"), "'")
_LIGATURES = {
    ord("\ufb00"): "ff",
    ord("\ufb01"): "fi",
    ord("\ufb02"): "fl",
    ord("\ufb03"): "ffi",
    ord("\ufb04"): "ffl",
    ord("\ufb05"): "st",
    ord("\ufb06"): "st",
}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212"), "-")
# The five tables map disjoint characters to outputs none of them maps again, so one
# fused table does the same in a single pass: each character found replaced by its output
# (a report's text has few of them; `str.translate` would look up every character).
_TABLE = {**_ZERO_WIDTH, **_SPACES, **_APOSTROPHES, **_LIGATURES, **_DASHES}
_REPLACEMENT = {chr(code): output or "" for code, output in _TABLE.items()}
_TRANSLATED = re.compile("[" + re.escape("".join(_REPLACEMENT)) + "]")

SOFT_HYPHEN = "\u00ad"
# A soft hyphen or PDFium's line-end hyphen, with the space or line break a reader left after
# it (a soft hyphen only shows at a line end, so one followed by a space is one too).
_LINE_END_HYPHEN = re.compile("[\u00ad\ufffe]\\s*")

# French elided words that a PDF extraction sometimes separates from their apostrophe.
_ELISION_SPACE = re.compile(
    r"\b(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu) +' *(?=\w)", re.IGNORECASE
)
# The words an apostrophe followed by spaces may close (`_join_elisions_after`).
_ELIDED_WORD = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)\Z", re.IGNORECASE)
_LONGEST_ELIDED = len("lorsqu")
_APOSTROPHE_SPACES = re.compile(r"' +(?=\w)")
_MULTISPACE = re.compile(r" {2,}")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
_COMPOUND_SEPARATOR = re.compile(r"[-']")
_HYPHENATED_END = re.compile(r"([^\W\d_]+)-$")
_LETTERS = re.compile(r"[^\W\d_]+")
_LETTER_RUNS = re.compile(r"([^\W\d_]+)")
_CLOSING = ".,;:)"
# join_wrapped looks for the hyphenated word in this many closing characters first, so
# joining the lines of a long paragraph does not rescan it from the start at each line.
_TAIL = 64


def normalize_text(text: str) -> str:
    """Return `text` in NFC with one kind of space, apostrophe and hyphen, no ligatures."""
    if not text.isascii():
        if "\u00ad" in text or "\ufffe" in text:
            text = _LINE_END_HYPHEN.sub(_line_end_hyphen, text)
        text = unicodedata.normalize("NFC", text)
    if _TRANSLATED.search(text):
        text = _TRANSLATED.sub(_replacement, text)
    # Each elision pattern needs a space on one side of an apostrophe; most lines have none.
    if " '" in text:
        text = _ELISION_SPACE.sub(_elided, text)
    if "' " in text:
        text = _join_elisions_after(text)
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    return text.strip()


def _line_end_hyphen(match: re.Match[str]) -> str:
    """PDFium's U+FFFE is a compound's hyphen; a soft hyphen joins the halves, and at the
    end of the text (a line a reader joins next) it stays, for `join_wrapped` to join on."""
    if match.group().startswith("\ufffe"):
        return "-"
    return "\u00ad" if match.end() == len(match.string) else ""


def _elided(match: re.Match[str]) -> str:
    return match.group(1) + "'"


def _replacement(match: re.Match[str]) -> str:
    return _REPLACEMENT[match.group()]


def _join_elisions_after(text: str) -> str:
    """Take out the spaces after an apostrophe closing an elided word where a word follows
    ("l' Union" -> "l'Union"; l', d', qu', jusqu', …). Each apostrophe followed by spaces is
    found first and the word before it checked in place (its word boundary sees the letter
    before): a regex scanning the whole text for the words first is several times slower."""
    kept: list[str] = []
    start = 0
    for spaces in _APOSTROPHE_SPACES.finditer(text):
        quote = spaces.start()
        if _ELIDED_WORD.search(text, max(0, quote - _LONGEST_ELIDED), quote):
            kept.append(text[start : quote + 1])
            start = spaces.end()
    if not kept:
        return text
    kept.append(text[start:])
    return "".join(kept)


def normal_name(name: str) -> str:
    """A name with one apostrophe (') and single spaces ("l ’Union" -> "l'Union"): how the
    warehouse's name columns and the digest write names, so a name copied from one finds
    the other."""
    name = " ".join(name.split())
    for apostrophe in "’ʼ‘`´":
        name = name.replace(apostrophe, "'")
    return name.replace(" '", "'").replace("' ", "'") if "'" in name else name


def fold(text: str) -> str:
    """A comparison key: normalized, NFKC, lower case, punctuation and dashes as spaces."""
    text = unicodedata.normalize("NFKC", normalize_text(text)).casefold()
    text = re.sub(r"[\u2013\u2014\-'’.,;:()«»\"]+", " ", text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of `text` (letters, with inner hyphens and apostrophes)."""
    return _WORD.findall(text)


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """How often each lower-cased word occurs in a document, to judge whether a joined word is real."""
    # Words never span a line break (it is not a letter), so one pass over the joined text
    # finds the same words; only compounds add their parts.
    found = _WORD.findall("\n".join(texts))
    vocab: Counter[str] = Counter(map(str.lower, found))
    vocab.update(
        part.lower()
        for word in found
        if "-" in word or "'" in word
        for part in _COMPOUND_SEPARATOR.split(word)
    )
    return vocab


def join_wrapped(left: str, right: str, vocab: Counter[str]) -> str:
    """Join two wrapped lines, removing a layout hyphen but keeping real compounds.

    `latino-` + `américain` keeps its hyphen (`latinoaméricain` is not a word of the
    document); `coopé-` + `ration` joins because `coopération` is.
    """
    return join_wrapped_with(left, right, vocab.__getitem__)


def join_wrapped_with(left: str, right: str, is_word: Callable[[str], object]) -> str:
    """`join_wrapped` asking `is_word` about the joined word, only when a hyphen needs it.

    A reader can so build its vocabulary lazily: most lines end without a hyphen.
    """
    left = left.rstrip()
    right = right.strip()
    if left.endswith(SOFT_HYPHEN):
        # A soft hyphen at a line end: the word goes on in the next line, whatever it is.
        return left[:-1] + right
    if not left:
        return right
    if not right:
        return left
    match = _hyphenated_end(left) if left.endswith("-") else None
    if match and right[:1].isalpha():
        head = match.group(1)
        tail = _LETTERS.match(right)
        joined = (head + (tail.group(0) if tail else "")).lower()
        if right[:1].islower() and is_word(joined):
            return left[:-1] + right
        return left + right
    return f"{left} {right}"


def _hyphenated_end(left: str) -> re.Match[str] | None:
    r"""`([^\W\d_]+)-$` searched in `left`, reading only its tail unless the word is longer."""
    if len(left) > _TAIL:
        match = _HYPHENATED_END.search(left, len(left) - _TAIL)
        if match is None or match.start() > len(left) - _TAIL:
            return match
    return _HYPHENATED_END.search(left)


def letter_runs(text: str) -> list[str]:
    """The runs of letters of `text`, lower-cased, in order.

    Lower-casing the whole text keeps every character in place, except for `İ` (two
    characters in lower case) and `Σ` (lowered by context); texts with those lower each run.
    """
    if "\u0130" in text or "\u03a3" in text:
        return [run.lower() for run in _LETTERS.findall(text)]
    return _LETTERS.findall(text.lower())


def letter_counts(runs: Iterable[list[str]]) -> Counter[str]:
    """How often each lower-cased run of letters occurs, from `letter_runs` of each text.

    Every lookup `join_wrapped` and `repair_split_words` make is of letters only, and for
    those it answers as `vocabulary` does (a run is a word or a part of a compound).
    """
    return Counter(chain.from_iterable(runs))


def repair_split_words(text: str, vocab: Counter[str], *, runs: list[str] | None = None) -> str:
    """Join words an extraction split with a stray space (`Pré sident` -> `Président`).

    Two tokens are joined only when their concatenation is a word of the document and
    at least one of them occurs nowhere else, so real word pairs are never glued.
    `runs` is `letter_runs(text)` when the caller already has it.
    """
    # A pair joins a token ending in letters with the next token, letters and closing
    # punctuation, so its letters are two neighbouring runs of letters. Most texts have no
    # two neighbouring runs whose concatenation is a word at all: they stop here.
    lowered = letter_runs(text) if runs is None else runs
    number = vocab.get
    known = compress(count(), map(number, map(add, lowered, islice(lowered, 1, None))))
    first = next(known, None)
    if first is None:
        return text
    # Separators at even indexes, runs at odd ones: run i is parts[2i+1], followed by parts[2i+2].
    parts = _LETTER_RUNS.split(text)
    last_run = len(lowered) - 1
    joined_pairs: list[int] = []
    previous = -2
    for pair in chain((first,), known):
        # After a join, the next pair starts after its right token; tokens are separated
        # by single spaces.
        if pair == previous + 1 or parts[2 * pair + 2] != " ":
            continue
        if number(lowered[pair], 0) >= 2 and number(lowered[pair + 1], 0) >= 2:
            continue
        after = parts[2 * pair + 4]
        space = after.find(" ")
        if space >= 0:
            after = after[:space]
        elif pair + 1 != last_run:
            continue
        if after.strip(_CLOSING):
            continue
        joined_pairs.append(pair)
        previous = pair
    if not joined_pairs:
        return text
    offsets = [0, *accumulate(map(len, parts))]
    pieces = []
    begin = 0
    for pair in joined_pairs:
        cut = offsets[2 * pair + 2]
        pieces.append(text[begin:cut])
        begin = cut + 1
    pieces.append(text[begin:])
    return "".join(pieces)
