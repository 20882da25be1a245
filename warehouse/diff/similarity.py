"""How similar an edition is to the one before it: for the whole text and per organization
section, with paragraphs aligned by text similarity and moves detected.

Texts compare as sequences of content words (the gate's definition: lower-cased, stop words
and numbers out), so paragraph renumbering and punctuation do not count as change; the
words changed are the fewest insertions and deletions that turn one sequence into the other
(an exact longest common subsequence, computed by rapidfuzz). Paragraphs align one-to-one, best pairs first; an aligned paragraph outside the
longest run kept in order has moved.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Literal

import duckdb
from rapidfuzz.distance import Indel

from extractors.gate import content_words
from extractors.model import Report
from warehouse.db.columns import Column, Transaction, insert_columns
from warehouse.db.schema import utc_now
from warehouse.diff.snapshot import normalize_heading

# Two paragraphs sharing at least this share of their content words (Dice coefficient) are
# the same paragraph, edited; below it, one was removed and another added.
ALIGN_THRESHOLD = 0.5

Scope = Literal["edition", "section"]
# A paragraph reduced to what the similarity compares: its number and its content words.
Worded = tuple[int, tuple[str, ...]]


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
    """(ratio, changed words) of two word sequences: 2M/T and T - 2M, where M is the length
    of their longest common subsequence and T their total length."""
    if not old and not new:
        return 1.0, 0
    changed = Indel.distance(old, new)
    return 1 - changed / (len(old) + len(new)), changed


def _overlap(old: Counter[str], new: Counter[str]) -> int:
    """How many words two bags share, counting repeats (the size of their intersection)."""
    if len(old) > len(new):
        old, new = new, old
    return sum(min(count, new[word]) for word, count in old.items() if word in new)


def _pair_identical(
    old_words: Sequence[Counter[str]], new_words: Sequence[Counter[str]]
) -> dict[int, tuple[int, float]]:
    """Pair paragraphs with exactly the same words (score 1), in the order the greedy
    alignment would: each old paragraph, first to last, takes the first free identical one."""
    free: dict[frozenset[tuple[str, int]], deque[int]] = defaultdict(deque)
    for j, words in enumerate(new_words):
        if words:
            free[frozenset(words.items())].append(j)
    pairs: dict[int, tuple[int, float]] = {}
    for i, words in enumerate(old_words):
        waiting = free.get(frozenset(words.items())) if words else None
        if waiting:
            pairs[waiting.popleft()] = (i, 1.0)
    return pairs


def align_paragraphs(
    old: Sequence[tuple[int, str]],
    new: Sequence[tuple[int, str]],
    threshold: float = ALIGN_THRESHOLD,
) -> tuple[tuple[AlignedParagraph, ...], tuple[int, ...], tuple[int, ...]]:
    """Align (number, text) paragraphs one-to-one by word overlap (Dice), best pairs first;
    returns (aligned in the newer order with moves marked, added numbers, removed numbers)."""
    return _align(_worded(old), _worded(new), threshold)


def _worded(paragraphs: Iterable[tuple[int, str]]) -> list[Worded]:
    return [(number, _content_words(text)) for number, text in paragraphs]


@lru_cache(maxsize=1 << 15)
def _content_words(text: str) -> tuple[str, ...]:
    """`content_words`, remembered: a backfill compares each edition twice (as the newer,
    then as the older), and paragraphs kept from one edition to the next read the same."""
    return tuple(content_words(text))


def _align(
    old: Sequence[Worded], new: Sequence[Worded], threshold: float
) -> tuple[tuple[AlignedParagraph, ...], tuple[int, ...], tuple[int, ...]]:
    """`align_paragraphs` on paragraphs already reduced to their content words.

    Identical paragraphs pair first, without scoring; the rest are scored pairwise, skipping
    pairs whose lengths alone keep them under the threshold (Dice <= 2 min / (sum)).
    """
    old_words = [Counter(words) for _, words in old]
    new_words = [Counter(words) for _, words in new]
    pairs = _pair_identical(old_words, new_words)
    used_old = {i for i, _ in pairs.values()}
    old_left = [(i, a, a.total()) for i, a in enumerate(old_words) if i not in used_old and a]
    new_left = [(j, b, b.total()) for j, b in enumerate(new_words) if j not in pairs and b]
    candidates = sorted(
        (
            (score, -i, -j)
            for i, a, a_size in old_left
            for j, b, b_size in new_left
            if 2 * min(a_size, b_size) >= threshold * (a_size + b_size)
            and (shared := _overlap(a, b))
            and (score := 2 * shared / (a_size + b_size)) >= threshold
        ),
        reverse=True,
    )
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
    scope: Scope, organization: str | None, old: Sequence[Worded], new: Sequence[Worded]
) -> SimilarityScore:
    old_words = [word for _, words in old for word in words]
    new_words = [word for _, words in new for word in words]
    ratio, changed = text_similarity(old_words, new_words)
    aligned, added, removed = _align(old, new, ALIGN_THRESHOLD)
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


def _sections(report: Report, worded: Sequence[Worded]) -> dict[str, list[Worded]]:
    """Paragraphs per organization section; a section naming no known organization is keyed
    by its normalized heading, as the diff keys it."""
    keys = [
        section.organization or normalize_heading(section.heading) for section in report.sections
    ]
    grouped: dict[str, list[Worded]] = {key: [] for key in keys}
    for paragraph, words in zip(report.paragraphs, worded, strict=True):
        if paragraph.section_index is not None and paragraph.section_index < len(keys):
            grouped[keys[paragraph.section_index]].append(words)
    return grouped


def compare_editions(old: Report, new: Report) -> EditionSimilarity:
    """Similarity of `new` to the previous edition `old`: whole text and per organization.

    Each paragraph is reduced to its content words once, for the edition and its section.
    """
    old_worded = _worded((p.number, p.text) for p in old.paragraphs)
    new_worded = _worded((p.number, p.text) for p in new.paragraphs)
    overall = _score("edition", None, old_worded, new_worded)
    old_sections, new_sections = _sections(old, old_worded), _sections(new, new_worded)
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
    return store_similarities(con, [similarity], run_id=run_id, now=now)


def store_similarities(
    con: duckdb.DuckDBPyConnection,
    similarities: Sequence[EditionSimilarity],
    *,
    run_id: str,
    now: datetime | None = None,
) -> int:
    """`store_similarity` for many pairs in one transaction and one INSERT; of two entries
    for one pair and language, the later is kept. Returns the rows written."""
    latest = list({(s.old, s.new, s.language): s for s in similarities}.values())
    if not latest:
        return 0
    rows = [(pair, score) for pair in latest for score in (pair.overall, *pair.sections)]
    scores = [score for _, score in rows]
    with Transaction(con):
        con.execute(
            "DELETE FROM edition_similarity USING (SELECT unnest($1::VARCHAR[]) AS old_symbol, "
            "unnest($2::VARCHAR[]) AS new_symbol, unnest($3::VARCHAR[]) AS language) AS pair "
            "WHERE edition_similarity.old_symbol = pair.old_symbol "
            "AND edition_similarity.new_symbol = pair.new_symbol "
            "AND edition_similarity.language = pair.language",
            [[p.old for p in latest], [p.new for p in latest], [p.language for p in latest]],
        )
        insert_columns(
            con,
            "edition_similarity",
            {
                "old_symbol": Column("VARCHAR", [pair.old for pair, _ in rows]),
                "new_symbol": Column("VARCHAR", [pair.new for pair, _ in rows]),
                "language": Column("VARCHAR", [pair.language for pair, _ in rows]),
                "scope": Column("VARCHAR", [s.scope for s in scores]),
                "organization_id": Column("VARCHAR", [s.organization for s in scores]),
                "similarity": Column("DOUBLE", [s.similarity for s in scores]),
                "old_words": Column("INTEGER", [s.old_words for s in scores]),
                "new_words": Column("INTEGER", [s.new_words for s in scores]),
                "changed_words": Column("INTEGER", [s.changed_words for s in scores]),
                "old_paragraphs": Column("INTEGER", [s.old_paragraphs for s in scores]),
                "new_paragraphs": Column("INTEGER", [s.new_paragraphs for s in scores]),
                "aligned_count": Column("INTEGER", [len(s.aligned) for s in scores]),
                "moved_count": Column("INTEGER", [len(s.moved) for s in scores]),
                "added_count": Column("INTEGER", [len(s.added) for s in scores]),
                "removed_count": Column("INTEGER", [len(s.removed) for s in scores]),
                "alignment": Column("JSON", [_alignment_json(s) for s in scores]),
            },
            {"run_id": run_id, "computed_at": now or utc_now()},
        )
    return len(rows)


def _alignment_json(score: SimilarityScore) -> str:
    return json.dumps(
        [{"old": a.old, "new": a.new, "score": a.score, "moved": a.moved} for a in score.aligned]
    )


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
