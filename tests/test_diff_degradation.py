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
