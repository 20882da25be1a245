"""The text-preservation gate: did the parse keep every word of the document?

A parse is compared with an independent extraction of the same bytes (a second PDF library,
the DOCX XML, the HTML text, the decoded text itself): the content words of the independent
text must be found, in order, among the words the parse placed or deliberately dropped. A
block lost on the way shows up twice: as lower coverage and as a long run of missing words.
The ledger check says whether the parse accounts for every block it was given.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice, pairwise

from rapidfuzz.distance import LCSseq

from extractors.model import Report
from extractors.readers.route import second_reading

DEFAULT_THRESHOLD = 0.97
# Two extractors disagreeing about a split or joined word leave a run of one or two missing
# words; a lost paragraph or a heading of three content words or more leaves a longer one.
DEFAULT_MAX_GAP = 3
MISSING_SAMPLE = 20
# The parser keeps this many characters of a dropped block (front matter), so the words
# after such a prefix belong to the same dropped block.
DROPPED_TEXT_LIMIT = 200
MOVED_SHARE = 0.8

_LETTERS = re.compile(r"[^\W\d_]+")
# A URL, and its rest on the next line where an extraction broke it after a joiner (a hyphen,
# a slash: "…/haiti-emergency-" then "tracking-tool-522-…"), so its words are never read as text.
_URL = re.compile(r"(?:https?://|www\.)\S+(?:(?<=[-/_=?&#%~])[ \t]*\r?\n[ \t]*\S+)*", re.IGNORECASE)
# Function words of the report's languages: they carry no content, and extractors disagree
# most about the short ones (elisions, split words).
STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "est",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "même",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sont",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "ont",
        "été",
        "être",
        "était",
        "sera",
        "ainsi",
        "aussi",
        "afin",
        "entre",
        "dont",
        "lors",
        "comme",
        "tout",
        "tous",
        "toute",
        "toutes",
        "plus",
        "très",
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "not",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "were",
        "which",
        "who",
        "will",
        "with",
        "would",
        "also",
        "such",
        "than",
        "other",
        "any",
        "all",
        "more",
        "between",
        "within",
        "under",
        "upon",
    ]
)


@dataclass(frozen=True)
class LedgerCheck:
    """The block accounting of a parse: read = placed + dropped, and the structure fits."""

    balanced: bool
    blocks_in: int
    placed: int
    dropped: int
    structural: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateResult:
    """Outcome of the gate on one parse: coverage of the independent words and why it failed.

    `longest_gap` is the longest run of consecutive independent content words missing from
    the parse; `excused` counts words taken as part of a dropped block cut in the ledger.
    """

    passed: bool
    coverage: float
    missing_words: tuple[str, ...]
    reasons: tuple[str, ...]
    method: str
    threshold: float
    longest_gap: int = 0
    independent_words: int = 0
    excused: int = 0
    ledger: LedgerCheck | None = None


def content_words(text: str) -> list[str]:
    """Lower-cased letter runs of `text`, stop words, numbers, URLs and single letters out."""
    text = _URL.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    return [w for w in _LETTERS.findall(text) if len(w) > 1 and w not in STOP_WORDS]


def check_ledger(report: Report) -> LedgerCheck:
    """Check the block accounting of a parse: blocks in = placed + dropped, and the chapters,
    sub-headings and paragraphs found need no more blocks than were placed (the rest are
    paragraph continuations joined to the paragraph before them)."""
    dropped = len(report.dropped)
    placed = report.blocks_in - dropped
    chapter_titles = {c.title for c in report.chapters}
    subheadings = sum(1 for s in report.sections if s.heading not in chapter_titles)
    structural = len(report.chapters) + subheadings + len(report.paragraphs)
    reasons = []
    if report.blocks_in <= 0:
        reasons.append("the parse records no blocks read (blocks_in is 0)")
    if placed < 0:
        reasons.append(f"{dropped} blocks dropped but only {report.blocks_in} read")
    elif structural > placed:
        reasons.append(
            f"the structure needs {structural} blocks (chapters, sub-headings, paragraphs) "
            f"but only {placed} of {report.blocks_in} were placed ({dropped} dropped)"
        )
    return LedgerCheck(
        balanced=not reasons,
        blocks_in=report.blocks_in,
        placed=max(placed, 0),
        dropped=dropped,
        structural=structural,
        reasons=tuple(reasons),
    )


def _placed_sequence(report: Report) -> tuple[Iterator[str], list[tuple[int, int]]]:
    """Content words of the parse in document order (dropped blocks first, then chapters,
    sub-headings and paragraphs), made as they are read, and the spans of dropped blocks cut
    in the ledger."""
    words: list[str] = []
    cut_spans: list[tuple[int, int]] = []
    for block in report.dropped:
        start = len(words)
        words.extend(content_words(block.text))
        if len(block.text) >= DROPPED_TEXT_LIMIT:
            cut_spans.append((start, len(words)))
    body = chain.from_iterable(content_words(text) for text in _body_texts(report))
    return chain(words, body), cut_spans


def _body_texts(report: Report) -> list[str]:
    """Chapter titles, section headings and paragraph texts, in the order the document has."""
    paragraphs = report.paragraphs
    first_in_chapter: dict[str, int] = {}
    first_in_section: dict[int, int] = {}
    for index, paragraph in enumerate(paragraphs):
        if paragraph.chapter is not None:
            first_in_chapter.setdefault(paragraph.chapter, index)
        if paragraph.section_index is not None:
            first_in_section.setdefault(paragraph.section_index, index)
    # A chapter or section without paragraphs sits just before the next one that has some.
    items: list[tuple[float, int, int, str]] = []
    position = float(len(paragraphs))
    chapter_titles = {chapter.title for chapter in report.chapters}
    for index in range(len(report.sections) - 1, -1, -1):
        position = first_in_section.get(index, position)
        heading = report.sections[index].heading
        # An organization chapter is its own section: its title is placed once.
        if heading not in chapter_titles:
            items.append((position, 1, index, heading))
    position = float(len(paragraphs))
    for index in range(len(report.chapters) - 1, -1, -1):
        chapter = report.chapters[index]
        position = first_in_chapter.get(chapter.number, position)
        items.append((position, 0, index, f"{chapter.number} {chapter.title}"))
    items.extend((float(i), 2, i, p.text) for i, p in enumerate(paragraphs))
    return [text for *_, text in sorted(items)] + _part_texts(report)


def _part_texts(report: Report) -> list[str]:
    """The texts of the parts after the body (annexes, enclosures), each part in turn."""
    texts: list[str] = []
    for part in report.parts:
        texts.append(part.title)
        texts.extend(text for text in (part.heading,) if text)
        texts.extend(part.headings)
        texts.extend(part.texts)
        texts.extend(paragraph.text for paragraph in part.paragraphs)
    return texts


class _Words:
    """A word sequence read lazily from an iterator, holding only the words from `start` on:
    the alignment reads ahead a window and releases what it has passed."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = iter(words)
        self.start = 0
        self.buffer: list[str] = []
        self.done = False

    @property
    def end(self) -> int:
        """Index just after the last word read so far."""
        return self.start + len(self.buffer)

    def fill(self, end: int) -> None:
        """Read on until the word before `end` is held, or the words run out."""
        if not self.done and self.end < end:
            wanted = end - self.end
            got = list(islice(self._words, wanted))
            self.buffer.extend(got)
            self.done = len(got) < wanted

    def slice(self, i: int, j: int) -> list[str]:
        """Words i to j (absolute indexes, none released)."""
        return self.buffer[i - self.start : j - self.start]

    def release(self, index: int) -> None:
        """Forget the words before `index`."""
        del self.buffer[: index - self.start]
        self.start = index


@dataclass
class _Region:
    """Independent words the alignment left unmatched (from `start` on), the placed words
    that stand in their place, whether they are the cut-off rest of a dropped block, and
    which of them the parse lacks once split and moved words are recovered."""

    start: int
    words: list[str]
    nearby: set[str]
    excused: bool
    missing: list[bool] = field(default_factory=list)


@dataclass
class _Comparison:
    """The independent words the parse lacks, region by region, out of `total`."""

    regions: list[_Region]
    total: int
    excused: int

    def missing_count(self) -> int:
        """How many independent words the parse lacks."""
        return sum(sum(region.missing) for region in self.regions)

    def longest_gap(self) -> int:
        """The longest run of missing words: a run never crosses a matched word, so never
        leaves its region."""
        return max((_longest_run(region.missing) for region in self.regions), default=0)

    def missing_words(self) -> Iterator[str]:
        """The missing words in document order."""
        for region in self.regions:
            yield from (w for w, flag in zip(region.words, region.missing, strict=True) if flag)


def _compare(
    independent: Iterable[str], placed: Iterable[str], cut_spans: list[tuple[int, int]]
) -> _Comparison:
    """Align both word sequences as they are read, keeping only the unmatched regions, then
    find which of their words the parse lacks; memory follows the window and the
    disagreements, not the document's length."""
    a, b = _Words(independent), _Words(placed)
    regions: list[_Region] = []
    leftover: Counter[str] = Counter()
    i = j = 0
    for a_start, b_start, size in _aligned_blocks(a, b):
        between = b.slice(j, b_start)
        leftover.update(between)
        if i < a_start:
            regions.append(_region(a.slice(i, a_start), i, between, j, b_start, cut_spans))
        i, j = a_start + size, b_start + size
        a.release(i)
        b.release(j)
    a.fill(sys.maxsize)
    tail: set[str] = set()
    tail_start = j
    while True:  # the placed words after the last match, read a window at a time
        b.fill(b.end + WINDOW_WORDS)
        chunk = b.slice(j, b.end)
        leftover.update(chunk)
        tail.update(chunk)
        j = b.end
        b.release(j)
        if b.done:
            break
    if i < a.end:
        regions.append(_region(a.slice(i, a.end), i, tail, tail_start, j, cut_spans))
    known = set(leftover)
    excused = 0
    for region in regions:
        count = len(region.words)
        if region.excused:
            excused += count
            region.missing = [False] * count
            continue
        region.missing = [True] * count
        _recover_split_words(region.words, region.missing, region.nearby, known)
        _recover_moved_words(region.words, region.missing, 0, count, leftover)
    return _Comparison(regions=regions, total=a.end, excused=excused)


def _region(
    words: list[str],
    start: int,
    placed: Iterable[str],
    j1: int,
    j2: int,
    cut_spans: list[tuple[int, int]],
) -> _Region:
    return _Region(
        start=start,
        words=words,
        nearby=set(placed),
        excused=any(first < j1 <= last and j2 <= last for first, last in cut_spans),
    )


def _missing_flags(
    independent: list[str], placed: list[str], cut_spans: list[tuple[int, int]]
) -> tuple[list[bool], int]:
    """Which independent words the parse lacks, after aligning both word sequences; and how
    many were excused as the cut-off rest of a dropped block."""
    compared = _compare(independent, placed, cut_spans)
    missing = [False] * len(independent)
    for region in compared.regions:
        missing[region.start : region.start + len(region.words)] = region.missing
    return missing, compared.excused


def _matching_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """(start in a, start in b, length) of the runs a longest common subsequence of the two
    word sequences pairs up, in order (see `_aligned_blocks`)."""
    return list(_aligned_blocks(_Words(a), _Words(b)))


# Up to 20,000 x 20,000 words (some 50 MB) the alignment is exact: three times the longest
# edition so far. Beyond, windows of WINDOW_WORDS independent words against twice as many
# placed words (some 4 MB each), of which the first half is kept and the next window starts
# after the last run kept, so a window's edge never decides a match.
EXACT_CELLS = 20_000 * 20_000
WINDOW_WORDS = 4096


def _aligned_blocks(a: _Words, b: _Words) -> Iterator[tuple[int, int, int]]:
    """The runs a longest common subsequence of the two sequences pairs up, in order: exact
    (rapidfuzz, in C++) while the two fit in EXACT_CELLS, else window by window, reading
    each sequence only as far as the window, so memory stays bounded however long the
    document (the exact alignment keeps a bit matrix of len(a) x len(b): 5 GB at 750
    pages). The caller may release the words before each run it is given."""
    while not (a.done and b.done) and a.end * b.end <= EXACT_CELLS:
        a.fill(a.end + WINDOW_WORDS)
        b.fill(b.end + WINDOW_WORDS)
    if a.end * b.end <= EXACT_CELLS:
        yield from _exact_blocks(a.slice(0, a.end), b.slice(0, b.end), 0, 0)
        return
    i = j = 0
    while True:
        a.fill(i + WINDOW_WORDS)
        b.fill(j + 2 * WINDOW_WORDS)
        if i >= a.end:
            return
        a_end = min(i + WINDOW_WORDS, a.end)
        b_end = min(j + 2 * WINDOW_WORDS, b.end)
        found = _exact_blocks(a.slice(i, a_end), b.slice(j, b_end), i, j)
        if a.done and a_end == a.end:
            yield from found
            return
        kept = [block for block in found if block[0] < i + WINDOW_WORDS // 2]
        if not kept:
            i += WINDOW_WORDS // 2
            continue
        *before, (a_start, b_start, size) = kept
        half = i + WINDOW_WORDS // 2 - a_start
        last = (a_start, b_start, min(size, max(half, 1)))
        i, j = last[0] + last[2], last[1] + last[2]
        yield from [*before, last]


def _exact_blocks(
    a: list[str], b: list[str], a_offset: int, b_offset: int
) -> list[tuple[int, int, int]]:
    return [
        (a_offset + op.src_start, b_offset + op.dest_start, op.src_end - op.src_start)
        for op in LCSseq.opcodes(a, b)
        if op.tag == "equal"
    ]


def _unmatched_regions(
    blocks: list[tuple[int, int, int]], a_length: int, b_length: int
) -> list[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) of each stretch between matched runs: a[i1:i2] stands where the
    other sequence has b[j1:j2] (either may be empty)."""
    regions = []
    i = j = 0
    for a, b, size in [*blocks, (a_length, b_length, 0)]:
        if i < a or j < b:
            regions.append((i, a, j, b))
        i, j = a + size, b + size
    return regions


def _recover_moved_words(
    independent: list[str], missing: list[bool], i1: int, i2: int, leftover: Counter[str]
) -> None:
    """A block placed in another order than the independent text has it is found as a whole:
    the missing words of a region count as found when nearly all of them are among the words
    the alignment left unused, each occurrence used once. A lost block shares only a few
    common words with that pool, so it stays missing."""
    wanted = Counter(independent[k] for k in range(i1, i2) if missing[k])
    available = sum(min(count, leftover[word]) for word, count in wanted.items())
    if not wanted or available < MOVED_SHARE * sum(wanted.values()):
        return
    for k in range(i1, i2):
        if missing[k] and leftover[independent[k]] > 0:
            leftover[independent[k]] -= 1
            missing[k] = False


def _recover_split_words(
    words: list[str], missing: list[bool], nearby: set[str], known: set[str]
) -> None:
    """`pré sident` in one extraction is `président` in the other: a pair of adjacent missing
    words whose concatenation the parse has (nearby, or among the words left unmatched) is
    found."""
    for k in range(len(words) - 1):
        if missing[k] and missing[k + 1]:
            joined = words[k] + words[k + 1]
            if joined in nearby or joined in known:
                missing[k] = missing[k + 1] = False


def _longest_run(flags: list[bool]) -> int:
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


def run_gate(
    report: Report,
    data: bytes,
    *,
    name: str,
    threshold: float = DEFAULT_THRESHOLD,
    max_gap: int = DEFAULT_MAX_GAP,
) -> GateResult:
    """Compare `report` (parsed from `data`) with an independent extraction of `data` and
    check its ledger; passes when coverage >= threshold, no run of more than `max_gap`
    independent content words is missing, and the ledger balances."""
    pages, method = second_reading(data, name)
    independent = chain.from_iterable(content_words(page) for page in pages)
    placed, cut_spans = _placed_sequence(report)
    compared = _compare(independent, placed, cut_spans)
    total = compared.total
    coverage = 1.0 - compared.missing_count() / total if total else 0.0
    longest_gap = compared.longest_gap()
    ledger = check_ledger(report)
    reasons: list[str] = []
    if not total:
        reasons.append(f"{name}: the {method} extraction found no content words to compare")
    elif coverage < threshold:
        reasons.append(
            f"{name}: {coverage:.1%} of the {total} content words of the {method} "
            f"extraction are in the parse, below the {threshold:.0%} required"
        )
    if longest_gap > max_gap:
        reasons.append(
            f"{name}: {longest_gap} consecutive content words of the {method} extraction are "
            f"missing from the parse (at most {max_gap} allowed): a block was lost"
        )
    reasons.extend(f"{name}: {reason}" for reason in ledger.reasons)
    sample = Counter(compared.missing_words())
    return GateResult(
        passed=not reasons,
        coverage=round(coverage, 6),
        missing_words=tuple(word for word, _ in sample.most_common(MISSING_SAMPLE)),
        reasons=tuple(reasons),
        method=method,
        threshold=threshold,
        longest_gap=longest_gap,
        independent_words=total,
        excused=compared.excused,
        ledger=ledger,
    )


def missing_runs(report: Report, data: bytes, *, name: str, min_length: int = 3) -> list[str]:
    """The runs of missing content words (at least `min_length` long), as text: what a person
    reads to see which block the parse lost."""
    pages, _ = second_reading(data, name)
    independent = chain.from_iterable(content_words(page) for page in pages)
    placed, cut_spans = _placed_sequence(report)
    runs: list[str] = []
    for region in _compare(independent, placed, cut_spans).regions:
        start = None
        for index, (before, flag) in enumerate(pairwise([False, *region.missing, False])):
            if flag and not before:
                start = index
            elif before and not flag and start is not None:
                if index - start >= min_length:
                    runs.append(" ".join(region.words[start:index]))
                start = None
    return runs
