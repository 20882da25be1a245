"""Tests for organization, UN entity, heading and area matching (extractors/enrich/matchers.py)."""

from __future__ import annotations

import pytest

from extractors.enrich.matchers import Matcher, matcher_for
from extractors.enrich.reference_data import load_reference


@pytest.fixture(scope="module")
def french() -> Matcher:
    return matcher_for(load_reference(), "fr")


@pytest.fixture(scope="module")
def english() -> Matcher:
    return matcher_for(load_reference(), "en")


@pytest.mark.parametrize(
    "text",
    [
        "L'ONU et l'Union africaine ont coopéré.",
        "L’ONU et l’Union africaine ont coopéré.",
        "Mission de l ’Union africaine en Somalie",
        "Union\u00a0africaine",
        "Le Cadre ONU-Union africaine",
        "avec l'UA et l'ONU",
    ],
)
def test_african_union_matches_with_apostrophe_and_space_variants(
    french: Matcher, text: str
) -> None:
    assert french.organizations_in(text) == ("AU",)


def test_cei_is_cis_in_french_and_central_european_initiative_in_english(
    french: Matcher, english: Matcher
) -> None:
    assert french.organizations_in("le Secrétaire exécutif de la CEI") == ("CIS",)
    assert english.organizations_in("the Secretary-General of the CEI") == ("CEI",)


def test_cee_is_the_economic_commission_for_europe_in_french(french: Matcher) -> None:
    assert french.un_entities_in("Sous l'égide de la CEE, l'ONU a poursuivi") == ("ECE",)
    assert french.organizations_in("Sous l'égide de la CEE") == ()


def test_acronyms_are_case_sensitive_and_whole_words(french: Matcher) -> None:
    assert french.organizations_in("les pays de l'UAE et la Guam") == ()
    assert french.organizations_in("l'Ua et l'oea") == ()
    assert french.organizations_in("ASEAN-ONU et OTSC.") == ("ASEAN", "CSTO")


def test_longest_name_wins(french: Matcher) -> None:
    text = "l'Organisation de coopération économique de la mer Noire (OCEMN)"
    assert french.organizations_in(text) == ("BSEC",)
    assert french.organizations_in("l'Organisation de coopération économique (OCE)") == ("ECO",)
    office = "Le Bureau des Nations Unies auprès de l'Union africaine a facilité"
    assert french.organizations_in(office) == ()
    assert french.un_entities_in(office) == ("UNOAU",)


def test_names_of_un_entities_and_acronyms(french: Matcher) -> None:
    text = (
        "Le Programme des Nations Unies pour le développement (PNUD), ONU-Femmes, "
        "l'ONUDC et le Département des affaires politiques et de la consolidation de la paix"
    )
    assert french.un_entities_in(text) == ("DPPA", "UN-Women", "UNDP", "UNODC")
    assert french.un_entities_in("le Département des affaires politiques") == ("DPA",)


def test_guam_name_with_either_dash(french: Matcher) -> None:
    for dash in ("–", "-", " – ", "—"):
        text = f"l'Organisation pour la démocratie et le développement économique{dash}GUAM"
        assert french.organizations_in(text) == ("GUAM",)


def test_short_form_resolves_to_the_section_organization(french: Matcher) -> None:
    text = "Le Secrétariat de l'ONU et la Commission ont mené des consultations."
    assert french.organizations_in(text, ("AU",)) == ("AU",)
    assert french.organizations_in(text) == ()
    assert french.organizations_in("le secrétariat du Forum a collaboré", ("PIF",)) == ("PIF",)
    assert french.organizations_in("auprès du Conseil dans le domaine", ("COE",)) == ("COE",)


def test_short_form_with_a_complement_is_another_body(french: Matcher) -> None:
    text = "La Commission de consolidation de la paix et le Conseil de sécurité"
    mentions = french.mentions(text, ("AU", "COE"))
    assert [(m.owner_id, m.via) for m in mentions] == [("PBC", "name")]
    assert french.organizations_in("la Commission africaine des droits de l'homme", ("AU",)) == ()
    assert french.organizations_in("l'Initiative Spotlight", ("CEI",)) == ()


def test_mentions_keep_phrase_offset_and_kind(french: Matcher) -> None:
    text = "En 2021, l'OMS et la CARICOM ont coopéré."
    mentions = french.mentions(text)
    assert [(m.owner_id, m.owner_kind, m.phrase, m.offset, m.via) for m in mentions] == [
        ("WHO", "un_entity", "OMS", text.index("OMS"), "acronym"),
        ("CARICOM", "organization", "CARICOM", text.index("CARICOM"), "acronym"),
    ]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Union africaine", ("AU",)),
        ("Organisation juridique consultative pour les pays d’Asie et d’Afrique", ("AALCO",)),
        ("Organisation pour la démocratie et le développement économique – GUAM", ("GUAM",)),
        ("Organisation pour la démocratie et le développement économique-GUAM", ("GUAM",)),
        ("Organisation internationale de police criminelle (INTERPOL)", ("INTERPOL",)),
        ("A. Communauté des Caraïbes", ("CARICOM",)),
        (
            "Coopération entre l'Organisation des Nations Unies et l'Organisation pour "
            "l'interdiction des armes chimiques ; coopération entre l'Organisation des Nations "
            "Unies et la Commission préparatoire de l'Organisation du Traité d'interdiction "
            "complète des essais nucléaires",
            ("OPCW", "CTBTO"),
        ),
        ("Organisation des États de la Caraïbe orientale", ()),
        ("Banque de développement de l'Organisation de coopération économique", ()),
        ("Coopération entre l'Organisation des Nations Unies et les organisations régionales", ()),
    ],
)
def test_heading_maps_only_when_fully_accounted_for(
    french: Matcher, heading: str, expected: tuple[str, ...]
) -> None:
    assert french.heading_organizations(heading) == expected


def test_english_headings(english: Matcher) -> None:
    assert english.heading_organizations("African Union") == ("AU",)
    assert english.heading_organizations("Central European Initiative") == ("CEI",)
    assert english.heading_organizations("Commonwealth of Independent States") == ("CIS",)


def test_area_tags_explain_themselves(french: Matcher) -> None:
    text = "Les deux entités ont collaboré sur la sécurité alimentaire et la lutte contre le terrorisme."
    tags = french.areas(text)
    # Each sub-area brings its broad area, explained by the same phrase.
    assert [tag.id for tag in tags] == [
        "food_agriculture",
        "sustainable_development",
        "counter_terrorism",
        "peace_security",
    ]
    for tag in tags:
        assert text[tag.offset : tag.offset + len(tag.phrase)] == tag.phrase
    assert tags[0].phrase == tags[1].phrase == "sécurité alimentaire"


def test_area_triggers_inside_entity_names_do_not_count(french: Matcher) -> None:
    text = "Le Département des affaires politiques et l'Organisation mondiale de la Santé se sont réunis."
    assert french.areas(text) == ()


def test_area_triggers_inside_a_name_that_is_its_topic_count(french: Matcher) -> None:
    # topic_names.csv: the Office of Counter-Terrorism is named for what it does.
    text = "Le Bureau de lutte contre le terrorisme et l'Organisation mondiale de la Santé se sont réunis."
    assert {tag.id for tag in french.areas(text)} == {"counter_terrorism", "peace_security"}


def test_area_excludes_block_a_trigger(french: Matcher) -> None:
    assert french.areas("un atelier sur le Traité sur le commerce des armes")[0].id == "disarmament"
    assert "trade_economic_integration" not in {
        tag.id for tag in french.areas("le Traité sur le commerce des armes")
    }
    assert french.areas("en République démocratique du Congo") == ()


def test_area_wildcard_trigger(french: Matcher) -> None:
    tags = french.areas("une assistance électorale et des processus électoraux")
    assert [(tag.id, tag.phrase) for tag in tags] == [
        ("electoral_assistance", "électorale"),
        ("peace_security", "électorale"),
    ]


def test_a_broad_area_is_explained_by_its_earliest_trigger(french: Matcher) -> None:
    text = "la paix au Mali et une assistance électorale"
    tags = {tag.id: tag for tag in french.areas(text)}
    assert (tags["peace_security"].phrase, tags["peace_security"].offset) == ("paix", 3)
    assert tags["electoral_assistance"].phrase == "électorale"


def test_organization_bodies_do_not_tag_an_area_by_their_name(french: Matcher) -> None:
    # The AU Peace and Security Council and the ASEAN Institute for Peace and Reconciliation
    # (organization_bodies.csv): their names say nothing of what a paragraph is about.
    assert french.areas("une réunion du Conseil de paix et de sécurité à Addis-Abeba") == ()
    text = "avec l'Institut de l'ASEAN pour la paix et la réconciliation, à Jakarta"
    assert french.areas(text) == ()
    tags = french.areas("le Conseil de paix et de sécurité a examiné la médiation au Soudan")
    assert {tag.id for tag in tags} == {"mediation_prevention", "peace_security"}


def test_english_areas(english: Matcher) -> None:
    text = "UNDP supported the African Union on climate change and women's empowerment."
    assert [tag.id for tag in english.areas(text)] == [
        "climate_environment",
        "sustainable_development",
        "peace_security",
        "women_gender",
    ]


def test_english_mentions_and_short_forms(english: Matcher) -> None:
    text = "The Commission and UNDP worked with the Economic Commission for Europe and the AU."
    assert english.organizations_in(text, ("AU",)) == ("AU",)
    assert english.un_entities_in(text) == ("ECE", "UNDP")
    assert english.organizations_in("the Commission on the Status of Women", ("AU",)) == ()
