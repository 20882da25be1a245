"""How similar an edition is to the one before it: for the whole text and per organization
section, with paragraphs aligned by text similarity and moves detected.

Texts compare as sequences of content words (the gate's definition: lower-cased, stop words
and numbers out) with difflib, so paragraph renumbering and punctuation do not count as
change. Paragraphs align one-to-one, best pairs first; an aligned paragraph outside the
longest run kept in order has moved.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Literal

import duckdb

from extractors.gate import content_words
from extractors.model import Report
from warehouse.db import utc_now
from warehouse.snapshot import normalize_heading

# Two paragraphs sharing at least this share of their content words (Dice coefficient) are
# the same paragraph, edited; below it, one was removed and another added.
ALIGN_THRESHOLD = 0.5

Scope = Literal["edition", "section"]


@dataclass(frozen=True)
class AlignedParagraph:
    """A paragraph of the previous edition matched with one of the newer edition."""

    old: int
    new: int
    score: float
    moved: bool = False


@dataclass(frozen=True)
class SimilarityScore:
    """Similarity of two texts (a whole edition or one organization's section)."""

    scope: Scope
    organization: str | None
    similarity: float
    old_words: int
    new_words: int
    changed_words: int
    old_paragraphs: int
    new_paragraphs: int
    aligned: tuple[AlignedParagraph, ...] = ()
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()

    @property
    def moved(self) -> tuple[AlignedParagraph, ...]:
        """Aligned paragraphs whose place in the order changed."""
        return tuple(pair for pair in self.aligned if pair.moved)


@dataclass(frozen=True)
class EditionSimilarity:
    """An edition linked to the previous one: overall similarity and per organization."""

    old: str
    new: str
    language: str
    overall: SimilarityScore
    sections: tuple[SimilarityScore, ...]

    def by_change_size(self) -> tuple[SimilarityScore, ...]:
        """Organization sections, the most changed first (changed words, then id)."""
        return tuple(sorted(self.sections, key=lambda s: (-s.changed_words, s.organization or "")))


def text_similarity(old: Sequence[str], new: Sequence[str]) -> tuple[float, int]:
    """(ratio, changed words) of two word sequences: difflib's 2M/T, and T - 2M."""
    if not old and not new:
        return 1.0, 0
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return 2 * matched / (len(old) + len(new)), len(old) + len(new) - 2 * matched


def _dice(old: Counter[str], new: Counter[str]) -> float:
    total = sum(old.values()) + sum(new.values())
    return 2 * sum((old & new).values()) / total if total else 1.0


def align_paragraphs(
    old: Sequence[tuple[int, str]],
    new: Sequence[tuple[int, str]],
    threshold: float = ALIGN_THRESHOLD,
) -> tuple[tuple[AlignedParagraph, ...], tuple[int, ...], tuple[int, ...]]:
    """Align (number, text) paragraphs one-to-one by word overlap, best pairs first; returns
    (aligned in the newer order with moves marked, added numbers, removed numbers)."""
    old_words = [Counter(content_words(text)) for _, text in old]
    new_words = [Counter(content_words(text)) for _, text in new]
    candidates = sorted(
        (
            (score, -i, -j)
            for i, a in enumerate(old_words)
            for j, b in enumerate(new_words)
            if a.keys() & b.keys() and (score := _dice(a, b)) >= threshold
        ),
        reverse=True,
    )
    pairs: dict[int, tuple[int, float]] = {}
    used_old: set[int] = set()
    for score, neg_i, neg_j in candidates:
        i, j = -neg_i, -neg_j
        if i not in used_old and j not in pairs:
            pairs[j] = (i, score)
            used_old.add(i)
    order = sorted(pairs)
    kept = _longest_increasing([pairs[j][0] for j in order])
    aligned = tuple(
        AlignedParagraph(
            old=old[pairs[j][0]][0],
            new=new[j][0],
            score=round(pairs[j][1], 4),
            moved=position not in kept,
        )
        for position, j in enumerate(order)
    )
    added = tuple(number for j, (number, _) in enumerate(new) if j not in pairs)
    removed = tuple(number for i, (number, _) in enumerate(old) if i not in used_old)
    return aligned, added, removed


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence of `values` (patience sort)."""
    tails: list[int] = []
    tail_positions: list[int] = []
    previous: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_positions.append(position)
        else:
            tails[slot] = value
            tail_positions[slot] = position
        previous[position] = tail_positions[slot - 1] if slot else -1
    kept: set[int] = set()
    position = tail_positions[-1] if tail_positions else -1
    while position != -1:
        kept.add(position)
        position = previous[position]
    return kept


def _score(
    scope: Scope,
    organization: str | None,
    old: Sequence[tuple[int, str]],
    new: Sequence[tuple[int, str]],
) -> SimilarityScore:
    old_words = [w for _, text in old for w in content_words(text)]
    new_words = [w for _, text in new for w in content_words(text)]
    ratio, changed = text_similarity(old_words, new_words)
    aligned, added, removed = align_paragraphs(old, new)
    return SimilarityScore(
        scope=scope,
        organization=organization,
        similarity=round(ratio, 4),
        old_words=len(old_words),
        new_words=len(new_words),
        changed_words=changed,
        old_paragraphs=len(old),
        new_paragraphs=len(new),
        aligned=aligned,
        added=added,
        removed=removed,
    )


def _sections(report: Report) -> dict[str, list[tuple[int, str]]]:
    """Paragraphs per organization section; a section naming no known organization is keyed
    by its normalized heading, as the diff keys it."""
    keys = [
        section.organization or normalize_heading(section.heading) for section in report.sections
    ]
    grouped: dict[str, list[tuple[int, str]]] = {key: [] for key in keys}
    for paragraph in report.paragraphs:
        if paragraph.section_index is not None and paragraph.section_index < len(keys):
            grouped[keys[paragraph.section_index]].append((paragraph.number, paragraph.text))
    return grouped


def compare_editions(old: Report, new: Report) -> EditionSimilarity:
    """Similarity of `new` to the previous edition `old`: whole text and per organization."""
    overall = _score(
        "edition",
        None,
        [(p.number, p.text) for p in old.paragraphs],
        [(p.number, p.text) for p in new.paragraphs],
    )
    old_sections, new_sections = _sections(old), _sections(new)
    sections = tuple(
        _score("section", key, old_sections.get(key, []), new_sections.get(key, []))
        for key in sorted(set(old_sections) | set(new_sections))
    )
    return EditionSimilarity(old.symbol, new.symbol, new.language, overall, sections)


def store_similarity(
    con: duckdb.DuckDBPyConnection,
    similarity: EditionSimilarity,
    *,
    run_id: str,
    now: datetime | None = None,
) -> int:
    """Replace the rows of `edition_similarity` for the pair and language; returns how many
    rows were written (one for the edition, one per organization)."""
    stamp = now or utc_now()
    rows = [
        [
            similarity.old,
            similarity.new,
            similarity.language,
            score.scope,
            score.organization,
            score.similarity,
            score.old_words,
            score.new_words,
            score.changed_words,
            score.old_paragraphs,
            score.new_paragraphs,
            len(score.aligned),
            len(score.moved),
            len(score.added),
            len(score.removed),
            json.dumps(
                [
                    {"old": a.old, "new": a.new, "score": a.score, "moved": a.moved}
                    for a in score.aligned
                ]
            ),
            run_id,
            stamp,
        ]
        for score in (similarity.overall, *similarity.sections)
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "DELETE FROM edition_similarity WHERE old_symbol = ? AND new_symbol = ? "
            "AND language = ?",
            [similarity.old, similarity.new, similarity.language],
        )
        con.executemany(
            "INSERT INTO edition_similarity (old_symbol, new_symbol, language, scope, "
            "organization_id, similarity, old_words, new_words, changed_words, old_paragraphs, "
            "new_paragraphs, aligned_count, moved_count, added_count, removed_count, alignment, "
            "run_id, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, "
            "?, ?)",
            rows,
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def similarity_to_previous(
    con: duckdb.DuckDBPyConnection, language: str | None = None
) -> dict[tuple[str, str], float]:
    """Whole-text similarity stored per (previous, newer) edition pair, in `language` when
    given (else the first language stored for the pair)."""
    rows = con.execute(
        "SELECT old_symbol, new_symbol, first(similarity ORDER BY language) "
        "FROM edition_similarity WHERE scope = 'edition' AND (? IS NULL OR language = ?) "
        "GROUP BY old_symbol, new_symbol",
        [language, language],
    ).fetchall()
    return {(old, new): float(value) for old, new, value in rows}
