"""Typed change events from two small built editions, with exact expected events."""

from __future__ import annotations

from tests.report_builder import P, S, build_report, words
from warehouse.diff.change_events import ChangeEvent
from warehouse.diff.edition_diff import diff_editions, is_material_rename
from warehouse.diff.growth import GrowthRules
from warehouse.diff.snapshot import normalize_heading, snapshot


def _old():
    return build_report(
        "A/1/1",
        [
            S("Union africaine", "AU", [P(words(10, "au"), ("AU",), ("UNDP",), ("health",))] * 4),
            S("Communauté des Caraïbes", "CARICOM", [P(words(8, "ca"), ("CARICOM",))] * 4),
            S(
                "Organisation internationale pour les migrations",
                "IOM",
                [P(words(5, "om"), ("IOM",), ("UNHCR",), ("migration",))] * 2,
            ),
            S("Communauté des pays de langue portugaise", "CPLP", [P(words(6, "cp"), ("CPLP",))]),
            S(
                "Organisation pour la démocratie et le développement économique-GUAM",
                "GUAM",
                [P(words(7, "gu"), ("GUAM",))],
            ),
            S("Conseil de l'Europe", "COE", [P(words(9, "co"), ("COE",))] * 2),
        ],
        intro=[P(words(12, "in"), citations=("A/RES/58/316",))],
    )


def _new():
    return build_report(
        "A/2/2",
        [
            S(
                "Union africaine",
                "AU",
                [P(words(10, "au"), ("AU",), ("UNDP",), ("health",))] * 4
                + [P(words(10, "av"), ("AU",), ("WHO",), ("health",))] * 2,
            ),
            S("Communauté des Caraïbes", "CARICOM", [P(words(8, "ca"), ("CARICOM",))] * 3),
            S(
                "Organisation pour la démocratie et le développement économique – GUAM",
                "GUAM",
                [P(words(7, "gu"), ("GUAM",))],
            ),
            S(
                "Conseil de l’Europe et sa Commission de Venise",
                "COE",
                [P(words(9, "co"), ("COE",))] * 2,
            ),
            S(
                "Organisation de coopération et de développement économiques",
                "OECD",
                [P(words(11, "oe"), ("OECD",))] * 2,
            ),
        ],
        intro=[P(words(12, "in"), ("IOM",), citations=("A/RES/75/1",))],
    )


def _changed(events: tuple[ChangeEvent, ...], kind: str) -> dict[str, str]:
    return {e.subject: e.change for e in events if e.kind == kind and e.change != "unchanged"}


def test_organization_events_label_every_section_change() -> None:
    diff = diff_editions(_old(), _new())
    assert _changed(diff.events, "organization") == {
        "AU": "grew",
        "CARICOM": "shrank",
        "IOM": "section_vanished_still_mentioned",
        "CPLP": "vanished",
        "COE": "renamed",
        "OECD": "appeared",
    }
    unchanged = {
        e.subject for e in diff.events if e.kind == "organization" and e.change == "unchanged"
    }
    assert unchanged == {"GUAM"}


def test_organization_events_carry_counts_words_and_evidence() -> None:
    events = {
        e.subject: e for e in diff_editions(_old(), _new()).events if e.kind == "organization"
    }
    au = events["AU"]
    assert (au.old_count, au.new_count, au.old_words, au.new_words) == (4, 6, 40, 60)
    assert au.evidence_old == (2, 3, 4, 5)
    assert au.evidence_new == (2, 3, 4, 5, 6, 7)
    iom = events["IOM"]
    assert iom.evidence_old == (10, 11)
    assert iom.evidence_new == (1,)  # named in the new introduction
    assert events["CPLP"].evidence_new == ()
    assert events["OECD"].evidence_new == (14, 15)
    coe = events["COE"]
    assert coe.old_name == "Conseil de l'Europe"
    assert coe.name == "Conseil de l’Europe et sa Commission de Venise"


def test_renamed_section_that_also_grew_reports_both() -> None:
    old = build_report("A/1/1", [S("Conseil de l'Europe", "COE", [P(words(5))] * 2)])
    new = build_report("A/2/2", [S("Conseil de l'Europe (CdE)", "COE", [P(words(5))] * 4)])
    changes = [e.change for e in diff_editions(old, new).events if e.kind == "organization"]
    assert changes == ["renamed", "grew"]


def test_punctuation_dashes_apostrophes_and_spaces_are_not_a_rename() -> None:
    assert not is_material_rename(
        "Organisation pour la démocratie et le développement économique-GUAM",
        "Organisation pour la démocratie et le développement économique – GUAM",
    )
    assert not is_material_rename("Conseil de l'Europe", "Conseil de l ’Europe")
    assert not is_material_rename("Ligue des États arabes", "Ligue des\u00a0États arabes.")
    assert is_material_rename("Conseil de l'Europe", "Conseil de l'Europe (CdE)")


def test_mention_events_say_first_and_no_longer_named_and_grew_or_shrank() -> None:
    diff = diff_editions(_old(), _new())
    # AU named in 4 then 6 paragraphs, CARICOM in 4 then 3, IOM in 2 (its section) then 1.
    assert _changed(diff.events, "mention") == {
        "OECD": "first_named",
        "CPLP": "no_longer_named",
        "AU": "grew",
        "CARICOM": "shrank",
        "IOM": "shrank",
    }
    iom = next(e for e in diff.events if (e.kind, e.subject) == ("mention", "IOM"))
    assert (iom.old_count, iom.new_count, iom.evidence_old, iom.evidence_new) == (
        2,
        1,
        (10, 11),
        (1,),
    )
    assert {e.family for e in diff.events if e.kind == "mention"} == {
        "appeared",
        "vanished",
        "grew",
        "shrank",
    }


def test_unregistered_sections_are_compared_by_normalized_heading() -> None:
    old = build_report("A/1/1", [S("Groupe d’amis – Sahel", None, [P(words(4))] * 2)])
    same = build_report("A/2/2", [S("Groupe d'amis-Sahel", None, [P(words(4))] * 2)])
    other = build_report("A/2/2", [S("Alliance du Sahel", None, [P(words(4))] * 2)])
    assert snapshot(old)["sections"].keys() == {"heading:groupe d'amis-sahel"}
    assert diff_editions(old, same).changed_events == ()
    assert _changed(diff_editions(old, other).events, "organization") == {
        "heading:groupe d'amis-sahel": "vanished",
        "heading:alliance du sahel": "appeared",
    }


def test_a_section_about_two_organizations_is_one_section_linked_to_each() -> None:
    chapter = S(
        "Coopération avec l'OIAC et l'OTICE",
        "OPCW",
        [P(words(6))] * 2,
        organizations=("OPCW", "CTBTO"),
    )
    old = build_report("A/1/1", [chapter, S("Union africaine", "AU", [P(words(3))])])
    new = build_report("A/2/2", [S("Union africaine", "AU", [P(words(3), ("AU", "CTBTO"))])])
    events = [e for e in diff_editions(old, new).events if e.kind == "organization"]
    joint = "heading:" + normalize_heading("Coopération avec l'OIAC et l'OTICE")
    assert _changed(tuple(events), "organization") == {joint: "section_vanished_still_mentioned"}
    chapter_event = next(e for e in events if e.subject == joint)
    assert chapter_event.organizations == ("OPCW", "CTBTO")
    assert chapter_event.name == "Coopération avec l'OIAC et l'OTICE"
    assert (chapter_event.old_count, chapter_event.evidence_new) == (2, (1,))  # CTBTO named


def test_area_events_overall_and_per_organization() -> None:
    diff = diff_editions(_old(), _new())
    assert _changed(diff.events, "area") == {"health": "grew", "migration": "vanished"}
    health = next(e for e in diff.events if e.kind == "area" and e.subject == "health")
    assert (health.old_count, health.new_count) == (4, 6)
    # Per organization only for sections in both editions: IOM's vanished section already
    # says so for its areas. AU's section grew from 4 to 6 paragraphs, all on health: health's
    # share of the section stayed 100%, so it did not grow there.
    assert _changed(diff.events, "organization_area") == {}
    au_health = next(e for e in diff.events if e.subject == "AU|health")
    assert (au_health.old_count, au_health.new_count, au_health.change) == (4, 6, "unchanged")
    assert (au_health.old_share, au_health.new_share, au_health.material) == (1.0, 1.0, False)


def test_partnership_and_citation_events_with_titles() -> None:
    diff = diff_editions(_old(), _new(), citation_titles={"A/RES/75/1": "Déclaration"})
    assert _changed(diff.events, "partnership") == {
        "AU|WHO": "appeared",
        "IOM|UNHCR": "vanished",
    }
    citations = {e.subject: (e.change, e.name) for e in diff.events if e.kind == "citation"}
    assert citations == {
        "A/RES/75/1": ("added", "Déclaration"),
        "A/RES/58/316": ("removed", None),
    }


def test_growth_rules_are_configurable() -> None:
    strict = GrowthRules(min_ratio=0.6)  # AU +50% and CARICOM -25% no longer count
    organizations = _changed(diff_editions(_old(), _new(), rules=strict).events, "organization")
    assert "AU" not in organizations
    assert "CARICOM" not in organizations
    loose = GrowthRules(min_ratio=0.0, min_paragraphs=1)
    assert _changed(diff_editions(_old(), _new(), rules=loose).events, "organization")["AU"] == (
        "grew"
    )
