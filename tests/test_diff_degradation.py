"""The false-alarm guard: degraded extractions make the diff and its vanishings uncertain."""

from __future__ import annotations

from tests.report_builder import P, S, build_report, words
from warehouse.diff.degradation import assess_degradation, numbering_gaps
from warehouse.diff.edition_diff import diff_editions


def _sections(lost_paragraphs: bool = False, short: bool = False) -> list[S]:
    size = 5 if short else 40
    return [
        S("Union africaine", "AU", [P(words(size, "au"), ("AU",))] * 3),
        S("Conseil de l'Europe", "COE", [] if lost_paragraphs else [P(words(size, "co"))] * 2),
        S("Communauté des pays de langue portugaise", "CPLP", [P(words(size, "cp"))] * 2),
    ]


def _old():
    return build_report("A/1/1", _sections())


def test_a_clean_pair_is_not_degraded() -> None:
    new = build_report("A/2/2", _sections()[:2])
    assert assess_degradation(_old(), new).reasons == ()
    diff = diff_editions(_old(), new)
    assert not diff.uncertain
    assert [(e.subject, e.change, e.uncertain) for e in diff.changed_events] == [
        ("CPLP", "vanished", False),
        ("CPLP", "no_longer_named", False),
    ]


def test_section_without_paragraphs_makes_every_event_uncertain() -> None:
    new = build_report("A/2/2", _sections(lost_paragraphs=True))
    diff = diff_editions(_old(), new)
    assert diff.uncertain
    assert diff.uncertain_reasons == ('A/2/2: section "Conseil de l\'Europe" has no paragraphs',)
    coe = next(e for e in diff.events if e.subject == "COE" and e.kind == "organization")
    assert (coe.change, coe.uncertain) == ("shrank", True)
    assert all(e.uncertain for e in diff.events)


def test_text_far_below_the_previous_edition_is_degraded() -> None:
    new = build_report("A/2/2", _sections(short=True))
    reasons = assess_degradation(_old(), new).reasons
    assert reasons == ("A/2/2: 35 words, under 50% of A/1/1's 280",)


def test_numbering_gaps_are_degradation() -> None:
    new = build_report("A/2/2", _sections()[:2], skip_numbers=[3, 4])
    assert numbering_gaps(new) == [3, 4]
    diff = diff_editions(_old(), new)
    assert diff.uncertain_reasons == ("A/2/2: paragraph numbers missing: 3, 4",)
    assert diff.uncertain
    cplp = next(e for e in diff.events if e.subject == "CPLP" and e.kind == "organization")
    assert (cplp.change, cplp.uncertain) == ("vanished", True)


def _cross_cutting(symbol: str, *, sub: str, held: bool) -> object:
    """An edition whose "E. Cross-cutting issues" has no paragraphs of its own, followed by
    `sub` (a numbered sub-heading or a sibling), with paragraphs when `held`."""
    return build_report(
        symbol,
        [
            S("D. Human rights", None, [P(words(40, "hr"))] * 2),
            S("E. Cross-cutting issues", None, []),
            S(sub, None, [P(words(40, "rl"))] * 2 if held else []),
            S("2. Women and peace and security", None, [P(words(40, "wp"))] * 2),
        ],
    )


def test_a_section_whose_sub_headings_hold_its_paragraphs_is_not_degraded() -> None:
    # The UN layout: "E. Cross-cutting issues" holds no paragraph; its numbered
    # sub-headings "1." and "2." hold them all (S/2025/504).
    old = _cross_cutting("A/1/1", sub="1. Rule of law and accountability", held=True)
    new = _cross_cutting("A/2/2", sub="1. Rule of law and accountability", held=True)
    assert assess_degradation(old, new).reasons == ()
    assert not any(e.uncertain for e in diff_editions(old, new).events)


def test_a_section_truly_empty_is_still_degraded() -> None:
    old = _cross_cutting("A/1/1", sub="1. Rule of law and accountability", held=True)
    # Followed by a sibling ("F.", same depth): nothing sits under "E.".
    sibling = _cross_cutting("A/2/2", sub="F. Rule of law and accountability", held=True)
    assert assess_degradation(old, sibling).reasons == (
        "A/2/2: section 'E. Cross-cutting issues' has no paragraphs",
    )
    # Its sub-heading is empty too; the next one, "2.", still holds paragraphs, so "E." is
    # fine but the empty "1." is not.
    empty_sub = _cross_cutting("A/2/2", sub="1. Rule of law and accountability", held=False)
    assert assess_degradation(old, empty_sub).reasons == (
        "A/2/2: section '1. Rule of law and accountability' has no paragraphs",
    )
    # A heading without a marker says nothing of its depth: its emptiness still counts.
    bare = build_report(
        "A/2/2",
        [S("Cross-cutting issues", None, []), S("1. Rule of law", None, [P(words(40))] * 4)],
    )
    assert "A/2/2: section 'Cross-cutting issues' has no paragraphs" in (
        assess_degradation(old, bare).reasons
    )
