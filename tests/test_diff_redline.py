"""Sentence redlines: splitting, similarity alignment, moves, text and escaped HTML."""

from __future__ import annotations

from warehouse.diff.change_events import Redline
from warehouse.diff.redline import (
    align_sentences,
    alignment_to_html,
    redline_section,
    redline_to_html,
    redline_to_text,
    split_sentences,
)


def test_split_sentences_keeps_abbreviations_and_numbers_inside() -> None:
    text = (
        "En mai 2017, M. Guterres s’est rendu à Strasbourg. Il a rencontré "
        "le Secrétaire général (cf. par. 4).  La résolution 72/273 a été adoptée le 12 avril 2018."
    )
    assert split_sentences(text) == [
        "En mai 2017, M. Guterres s’est rendu à Strasbourg.",
        "Il a rencontré le Secrétaire général (cf. par. 4).",
        "La résolution 72/273 a été adoptée le 12 avril 2018.",
    ]


def test_alignment_ignores_typography_and_pairs_similar_sentences() -> None:
    old = [
        "L'ONU et l'OSCE ont tenu des consultations annuelles à Vienne en 2017.",
        "Le HCR a formé des agents de l'OSCE.",
    ]
    new = [
        "L ’ONU et l’OSCE ont tenu des consultations annuelles à Vienne en 2017.",
        "L'ONU et l'OSCE ont tenu des consultations annuelles à Genève en 2021.",
    ]
    ops = [(row.op, row.old, row.new) for row in align_sentences(old, new)]
    # A removed sentence sits after the row of the old sentence before it.
    assert ops == [
        ("same", old[0], new[0]),
        ("removed", old[1], None),
        ("added", None, new[1]),
    ]


def test_redline_section_reports_added_removed_and_moved() -> None:
    old = ["Premier fait établi. Deuxième fait établi. Troisième fait établi."]
    new = [
        "Troisième fait établi. Premier fait établi. Deuxième fait établi.",
        "Un fait tout à fait nouveau ici.",
    ]
    redline = redline_section("OSCE", old, new)
    assert redline == Redline(
        organization="OSCE",
        added=("Un fait tout à fait nouveau ici.",),
        removed=(),
        moved=("Troisième fait établi.",),
    )


def test_edited_sentence_is_neither_added_nor_removed() -> None:
    redline = redline_section(
        "AU",
        ["L'ONU et l'Union africaine ont signé le cadre commun en avril 2017."],
        ["L'ONU et l'Union africaine ont signé le cadre commun en avril 2018."],
    )
    assert (redline.added, redline.removed, redline.moved) == ((), (), ())


def test_identical_sections_give_an_empty_redline() -> None:
    text = ["Une phrase. Une autre phrase. Et une dernière."]
    assert redline_section("AU", text, text) == Redline(organization="AU")


def test_text_and_html_renderings_escape_and_mark_each_kind() -> None:
    redline = Redline(
        organization="LAS",
        added=("Un <script>alert(1)</script> & plus.",),
        removed=("Retiré.",),
        moved=("Déplacé.",),
    )
    assert (
        redline_to_text(redline)
        == "== LAS\n+ Un <script>alert(1)</script> & plus.\n- Retiré.\n~ Déplacé."
    )
    html = redline_to_html(redline)
    assert "<script>" not in html
    assert "<ins>Un &lt;script&gt;alert(1)&lt;/script&gt; &amp; plus.</ins>" in html
    assert "<del>Retiré.</del>" in html
    assert '<mark class="moved">Déplacé.</mark>' in html


def test_alignment_html_marks_word_edits_inside_an_edited_sentence() -> None:
    rows = align_sentences(
        ["Le Conseil a adopté la résolution 2457 (2019) sur le Sahel."],
        ["Le Conseil a adopté la résolution 2628 (2022) sur le Sahel."],
    )
    assert [row.op for row in rows] == ["edited"]
    html = alignment_to_html(rows)
    assert "<del>2457 (2019)</del>" in html
    assert "<ins>2628 (2022)</ins>" in html
