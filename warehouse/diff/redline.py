"""Section-aligned redline: which sentences of one organization's section were added,
removed or moved between two editions, aligned by similarity, rendered as text and HTML.

Sentences are compared after normalization (NFKC, dashes, apostrophes, spaces) so that a
PDF's stray spaces or typographic apostrophes never show up as edits.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from warehouse.diff.change_events import Redline

SIMILARITY = 0.6
AlignOp = Literal["same", "edited", "moved", "added", "removed"]

# A sentence ends at . ! ? or … followed by a space and a capital, digit, quote or bracket;
# abbreviations common in the report (M., art., par., p. ex., cf.) are protected below.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(\[0-9A-ZÀ-ÖØ-Þ])")
_ABBREVIATIONS = re.compile(r"\b(?:M|Mme|MM|art|p|par|para|chap|ex|cf|al|vol|St|Dr)\.$")
_PUNCT = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‑": "-", "\u00a0": " "})


@dataclass(frozen=True)
class AlignedSentence:
    """One row of an aligned redline: an old sentence, a new one, or both with their op."""

    op: AlignOp
    old: str | None
    new: str | None
    similarity: float


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph, keeping abbreviations such as `M.` inside their sentence."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATIONS.search(candidate):
            continue
        sentences.append(candidate)
        start = match.end()
    sentences.append(text[start:])
    return [s for s in sentences if s]


def _comparable(sentence: str) -> str:
    """Casefolded words with one kind of dash and apostrophe, which are split off as words
    so that `l ’ONU` and `l’ONU` compare equal."""
    text = unicodedata.normalize("NFKC", sentence).translate(_PUNCT).casefold()
    return " ".join(re.findall(r"[\w]+|[^\w\s]", text))


def align_sentences(
    old: Sequence[str], new: Sequence[str], threshold: float = SIMILARITY
) -> tuple[AlignedSentence, ...]:
    """Pair old and new sentences by similarity (best pairs first, ratio >= `threshold`).

    Similarity is difflib's ratio over words. Identical pairs are `same`, similar ones `edited`, pairs out of order with the rest are
    `moved`; unpaired sentences are `removed` (old) or `added` (new). Rows follow the new
    edition's order, with removed sentences placed after the row of their old predecessor.
    """
    old_keys = [_comparable(s) for s in old]
    new_keys = [_comparable(s) for s in new]
    pairs = _pair_by_similarity(old_keys, new_keys, threshold)
    in_order = _longest_increasing(sorted(pairs, key=lambda p: p[1]))

    rows_by_new: dict[int, AlignedSentence] = {}
    for i, j, ratio in pairs:
        if (i, j) not in in_order:
            op: AlignOp = "moved"
        elif old_keys[i] == new_keys[j]:
            op = "same"
        else:
            op = "edited"
        rows_by_new[j] = AlignedSentence(op, old[i], new[j], ratio)
    paired_old = {i: j for i, j, _ in pairs}

    rows: list[AlignedSentence] = []
    removed_after: dict[int, list[AlignedSentence]] = {}
    anchor = -1
    for i, sentence in enumerate(old):
        if i in paired_old and (i, paired_old[i]) in in_order:
            anchor = paired_old[i]
        elif i not in paired_old:
            removed_after.setdefault(anchor, []).append(
                AlignedSentence("removed", sentence, None, 0.0)
            )
    rows.extend(removed_after.get(-1, []))
    for j, sentence in enumerate(new):
        rows.append(rows_by_new.get(j) or AlignedSentence("added", None, sentence, 0.0))
        rows.extend(removed_after.get(j, []))
    return tuple(rows)


def _pair_by_similarity(
    old: Sequence[str], new: Sequence[str], threshold: float
) -> list[tuple[int, int, float]]:
    """Identical sentences pair first (in order); the rest pair best-ratio-first on words."""
    pairs: list[tuple[int, int, float]] = []
    waiting: dict[str, list[int]] = {}
    for j, key in enumerate(new):
        waiting.setdefault(key, []).append(j)
    unpaired_old: list[int] = []
    for i, key in enumerate(old):
        if waiting.get(key):
            pairs.append((i, waiting[key].pop(0), 1.0))
        else:
            unpaired_old.append(i)
    unpaired_new = [j for js in waiting.values() for j in js]
    old_words = {i: old[i].split() for i in unpaired_old}
    new_words = {j: new[j].split() for j in unpaired_new}
    candidates: list[tuple[float, int, int]] = []
    for i in unpaired_old:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(old_words[i])
        for j in unpaired_new:
            matcher.set_seq1(new_words[j])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for ratio, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, round(ratio, 3)))
    return pairs


def _longest_increasing(pairs_by_new: list[tuple[int, int, float]]) -> set[tuple[int, int]]:
    """Pairs (old, new) forming the longest run where old order matches new order."""
    best: list[int] = [1] * len(pairs_by_new)
    previous: list[int] = [-1] * len(pairs_by_new)
    for b in range(len(pairs_by_new)):
        for a in range(b):
            if pairs_by_new[a][0] < pairs_by_new[b][0] and best[a] + 1 > best[b]:
                best[b], previous[b] = best[a] + 1, a
    if not pairs_by_new:
        return set()
    index = max(range(len(best)), key=lambda k: best[k])
    chain: set[tuple[int, int]] = set()
    while index != -1:
        chain.add((pairs_by_new[index][0], pairs_by_new[index][1]))
        index = previous[index]
    return chain


def redline_section(
    organization: str,
    old_paragraphs: Iterable[str],
    new_paragraphs: Iterable[str],
    threshold: float = SIMILARITY,
) -> Redline:
    """The added, removed and moved sentences of one organization's section (none, without
    aligning anything, when its paragraphs read the same)."""
    old_paragraphs, new_paragraphs = list(old_paragraphs), list(new_paragraphs)
    if old_paragraphs == new_paragraphs:
        return Redline(organization=organization, added=(), removed=(), moved=())
    old = [s for text in old_paragraphs for s in split_sentences(text)]
    new = [s for text in new_paragraphs for s in split_sentences(text)]
    rows = align_sentences(old, new, threshold)
    return Redline(
        organization=organization,
        added=tuple(r.new for r in rows if r.op == "added" and r.new),
        removed=tuple(r.old for r in rows if r.op == "removed" and r.old),
        moved=tuple(r.new for r in rows if r.op == "moved" and r.new),
    )


def redline_to_text(redline: Redline) -> str:
    """A plain-text redline: `+` added, `-` removed, `~` moved, one sentence a line."""
    lines = [f"== {redline.organization}"]
    for mark, sentences in (("+", redline.added), ("-", redline.removed), ("~", redline.moved)):
        lines.extend(f"{mark} {sentence}" for sentence in sentences)
    return "\n".join(lines)


def redline_to_html(redline: Redline) -> str:
    """An HTML redline: `<ins>` added, `<del>` removed, `<mark>` moved; all text escaped."""
    parts = [f'<section class="redline"><h3>{html.escape(redline.organization)}</h3><ul>']
    for tag, sentences in (("ins", redline.added), ("del", redline.removed)):
        parts.extend(f"<li><{tag}>{html.escape(s)}</{tag}></li>" for s in sentences)
    parts.extend(f'<li><mark class="moved">{html.escape(s)}</mark></li>' for s in redline.moved)
    parts.append("</ul></section>")
    return "".join(parts)


def alignment_to_html(rows: Sequence[AlignedSentence]) -> str:
    """A side-by-side aligned redline as an HTML table, word edits marked inside sentences."""
    body = []
    for row in rows:
        old = html.escape(row.old or "")
        new = html.escape(row.new or "")
        if row.op == "edited" and row.old and row.new:
            old, new = _word_marks(row.old, row.new)
        body.append(f'<tr class="{row.op}"><td>{old}</td><td>{new}</td><td>{row.op}</td></tr>')
    return (
        '<table class="redline"><thead><tr><th>old</th><th>new</th><th></th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _word_marks(old: str, new: str) -> tuple[str, str]:
    a, b = old.split(), new.split()
    old_out: list[str] = []
    new_out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left = html.escape(" ".join(a[i1:i2]))
        right = html.escape(" ".join(b[j1:j2]))
        if op == "equal":
            old_out.append(left)
            new_out.append(right)
            continue
        if left:
            old_out.append(f"<del>{left}</del>")
        if right:
            new_out.append(f"<ins>{right}</ins>")
    return " ".join(old_out), " ".join(new_out)
