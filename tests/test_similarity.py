"""Similarity of an edition to the previous one: whole text, per organization, aligned
paragraphs with moves; on the real editions and on edited copies of the 2022 edition."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from warehouse_editions import enriched_editions, load_editions

from extractors.gate import content_words
from extractors.model import Report
from warehouse.diff.similarity import (
    _longest_increasing,
    align_paragraphs,
    compare_editions,
    similarity_to_previous,
    store_similarity,
    text_similarity,
)


def with_texts(report: Report, texts: dict[int, str]) -> Report:
    """`report` with the texts of some paragraphs replaced (by number)."""
    return replace(
        report,
        paragraphs=tuple(replace(p, text=texts.get(p.number, p.text)) for p in report.paragraphs),
    )


def text_of(report: Report, number: int) -> str:
    return next(p.text for p in report.paragraphs if p.number == number)


def test_real_editions_are_rewritten_more_than_kept() -> None:
    old, new = enriched_editions()
    similarity = compare_editions(old, new)
    overall = similarity.overall
    assert (similarity.old, similarity.new, similarity.language) == ("A/73/328", "A/77/277", "fr")
    # Four years apart, the two texts share about a tenth of their wording in sequence.
    assert 0.05 < overall.similarity < 0.2
    assert (overall.old_paragraphs, overall.new_paragraphs) == (101, 128)
    assert len(overall.aligned) + len(overall.removed) == 101
    assert len(overall.aligned) + len(overall.added) == 128
    sections = {s.organization: s for s in similarity.sections}
    # CPLP, IOM and OPCW have sections in 2018 only, OECD in 2022 only (corpus/README.md).
    for gone in ("CPLP", "IOM", "OPCW"):
        assert sections[gone].similarity == 0.0 and sections[gone].new_paragraphs == 0
    assert sections["OECD"].old_paragraphs == 0 and sections["OECD"].new_paragraphs > 0
    assert sections["AU"].new_paragraphs == 28
    # The African Union's section changed most: it is the longest in both editions.
    assert similarity.by_change_size()[0].organization == "AU"


def test_an_edition_is_identical_to_itself() -> None:
    _, new = enriched_editions()
    similarity = compare_editions(new, new)
    assert similarity.overall.similarity == 1.0
    assert similarity.overall.changed_words == 0
    assert len(similarity.overall.aligned) == 128
    assert not similarity.overall.moved and not similarity.overall.added
    assert all(s.similarity == 1.0 for s in similarity.sections)


def test_swapped_paragraphs_are_aligned_and_moved() -> None:
    _, new = enriched_editions()
    swapped = with_texts(new, {10: text_of(new, 20), 20: text_of(new, 10)})
    similarity = compare_editions(new, swapped)
    aligned = {(a.old, a.new) for a in similarity.overall.aligned}
    assert {(10, 20), (20, 10)} <= aligned
    # Paragraphs 11-19 stay in order between them, so both swapped ones moved.
    assert {(a.old, a.new) for a in similarity.overall.moved} == {(10, 20), (20, 10)}
    assert 0.95 < similarity.overall.similarity < 1.0
    neighbours = with_texts(new, {10: text_of(new, 11), 11: text_of(new, 10)})
    moved = compare_editions(new, neighbours).overall.moved
    # Two neighbours swapped: one of them moved past the other.
    assert len(moved) == 1 and {moved[0].old, moved[0].new} == {10, 11}


def test_edited_paragraph_stays_aligned_and_rewritten_one_does_not() -> None:
    _, new = enriched_editions()
    text = text_of(new, 40)
    edited = with_texts(new, {40: text + " Une phrase nouvelle évoque la piraterie maritime."})
    pair = next(a for a in compare_editions(new, edited).overall.aligned if a.new == 40)
    assert pair.old == 40 and 0.9 < pair.score < 1.0
    rewritten = with_texts(new, {40: "Texte entièrement nouveau sans aucun rapport établi."})
    result = compare_editions(new, rewritten).overall
    assert result.added == (40,) and result.removed == (40,)


def test_alignment_is_one_to_one() -> None:
    old = [(1, "paix sécurité Afrique"), (2, "paix sécurité Afrique")]
    new = [(7, "paix sécurité Afrique")]
    aligned, added, removed = align_paragraphs(old, new)
    assert [(a.old, a.new) for a in aligned] == [(1, 7)]
    assert (added, removed) == ((), (2,))


@pytest.mark.parametrize(
    ("values", "kept"),
    [([], set()), ([3, 1, 2], {1, 2}), ([0, 1, 2], {0, 1, 2}), ([2, 1, 0], {2})],
)
def test_longest_increasing_run(values: list[int], kept: set[int]) -> None:
    assert _longest_increasing(values) == kept


def test_text_similarity_counts_changed_words() -> None:
    assert text_similarity(["a", "b", "c"], ["a", "b", "c"]) == (1.0, 0)
    assert text_similarity(["a", "b"], ["a", "c"]) == (0.5, 2)
    assert text_similarity([], []) == (1.0, 0)


def test_changed_words_are_the_fewest_insertions_and_deletions() -> None:
    # Longest common subsequence "paix sécurité union" (3 of 5 + 5 words): 4 words changed,
    # although no run of two words is shared.
    old = ["paix", "climat", "sécurité", "santé", "union"]
    new = ["paix", "sécurité", "migrations", "union", "femmes"]
    assert text_similarity(old, new) == (0.6, 4)


def greedy_alignment(
    old: list[tuple[int, str]], new: list[tuple[int, str]], threshold: float = 0.5
) -> set[tuple[int, int]]:
    """The alignment's definition, unoptimized: score every pair, take the best free ones."""
    old_bags = [Counter(content_words(text)) for _, text in old]
    new_bags = [Counter(content_words(text)) for _, text in new]
    scored = []
    for i, a in enumerate(old_bags):
        for j, b in enumerate(new_bags):
            total = a.total() + b.total()
            score = 2 * (a & b).total() / total if total else 1.0
            if a.keys() & b.keys() and score >= threshold:
                scored.append((score, -i, -j))
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = set()
    for _, neg_i, neg_j in sorted(scored, reverse=True):
        if -neg_i not in taken_old and -neg_j not in taken_new:
            taken_old.add(-neg_i)
            taken_new.add(-neg_j)
            pairs.add((old[-neg_i][0], new[-neg_j][0]))
    return pairs


WORDS = st.sampled_from(["paix", "sécurité", "santé", "climat", "union", "africaine", "femmes"])
PARAGRAPHS = st.lists(st.lists(WORDS, max_size=6).map(" ".join), max_size=12).map(
    lambda texts: list(enumerate(texts, start=1))
)


@given(PARAGRAPHS, PARAGRAPHS)
def test_alignment_shortcuts_keep_the_greedy_result(old, new) -> None:
    aligned, added, removed = align_paragraphs(old, new)
    assert {(a.old, a.new) for a in aligned} == greedy_alignment(old, new)
    assert set(added) == {n for n, _ in new} - {a.new for a in aligned}
    assert set(removed) == {n for n, _ in old} - {a.old for a in aligned}


def test_similarity_is_stored_and_replaced(tmp_path) -> None:
    con = load_editions(tmp_path / "w.duckdb")
    similarity = compare_editions(*enriched_editions())
    written = store_similarity(con, similarity, run_id="run-1")
    assert written == 1 + len(similarity.sections)
    assert store_similarity(con, similarity, run_id="run-2") == written
    rows = con.execute(
        "SELECT scope, count(*), min(run_id) FROM edition_similarity GROUP BY scope ORDER BY 1"
    ).fetchall()
    assert rows == [("edition", 1, "run-2"), ("section", len(similarity.sections), "run-2")]
    assert similarity_to_previous(con) == {("A/73/328", "A/77/277"): similarity.overall.similarity}
    au = con.execute(
        "SELECT new_paragraphs, aligned_count + added_count, json_array_length(alignment) "
        "FROM edition_similarity WHERE organization_id = 'AU'"
    ).fetchall()
    assert au[0][0] == au[0][1] == 28
