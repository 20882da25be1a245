"""Tests for citation extraction from prose and links (extractors/citations.py)."""

from __future__ import annotations

import pytest

from extractors.citations import citations_in_links, citations_in_text, resolve_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("résolution 1809 (2008) du Conseil de sécurité", ("S/RES/1809(2008)",)),
        (
            "En application des résolutions 2524 (2020) et 2579 (2021) du Conseil de sécurité,",
            ("S/RES/2524(2020)", "S/RES/2579(2021)"),
        ),
        ("adoptée par l'Assemblée générale dans sa résolution 75/1, les chefs", ("A/RES/75/1",)),
        ("l'annexe à la résolution 58/316 de l'Assemblée générale", ("A/RES/58/316",)),
        ("l'annexe à la résolution 58/316 de l’Assemblée générale", ("A/RES/58/316",)),
        ("la déclaration de sa présidente du 6 août 2013 (S/PRST/2013/12).", ("S/PRST/2013/12",)),
        ("le précédent rapport (A/75/345-S/2020/898).", ("A/75/345", "S/2020/898")),
        ("le précédent rapport (A/75/345 – S/2020/898).", ("A/75/345", "S/2020/898")),
        ("Security Council resolution 2628 (2022) established", ("S/RES/2628(2022)",)),
        ("General Assembly resolution 75/284 on HIV", ("A/RES/75/284",)),
        (
            "Security Council resolutions 2524 (2020), 2579 (2021) and 2628 (2022)",
            ("S/RES/2524(2020)", "S/RES/2579(2021)", "S/RES/2628(2022)"),
        ),
        (
            "rapports au Conseil de sécurité (S/2016/780, S/2017/744 et S/2018/678).",
            ("S/2016/780", "S/2017/744", "S/2018/678"),
        ),
        ("sa résolution [72/273](#), le 12 avril 2018", ("A/RES/72/273",)),
        ("sa résolution [1809 \\(2008\\)](#), le Conseil", ("S/RES/1809(2008)",)),
        ("la résolution 2538 (2020) et S/RES/2538 (2020)", ("S/RES/2538(2020)",)),
    ],
)
def test_citations_in_prose(text: str, expected: tuple[str, ...]) -> None:
    assert citations_in_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "conformément à la déclaration à la presse SC/14697 du Conseil de sécurité",
        "le système mondial de communication policière I-24/7 d'INTERPOL",
        "l'indicateur 10.7.2 relatif aux politiques migratoires pour 2017-2027",
        "la résolution des conflits en Afrique",
        "la résolution 47/1 du Conseil des droits de l'homme",
        "Human Rights Council resolution 47/1",
        "le document A/HRC/RES/47/1",
    ],
)
def test_non_citations_are_ignored(text: str) -> None:
    assert citations_in_text(text) == ()


def test_organ_from_the_sentence_vetoes_the_general_assembly_reading() -> None:
    assert resolve_reference("75/1", after=" de l'Assemblée générale") == "A/RES/75/1"
    assert resolve_reference("47/1", after=" du Conseil des droits de l'homme") is None
    assert resolve_reference("47/1", before="the Human Rights Council, in ") is None
    assert resolve_reference("1809 (2008)", after=" du Conseil de sécurité") == "S/RES/1809(2008)"
    assert resolve_reference("1540") is None


def test_citations_in_links_from_urls_and_bare_link_texts() -> None:
    text = "Dans sa résolution 1809 (2008), le Conseil ... la résolution 58/316 de l'Assemblée"
    links = ("https://undocs.org/fr/S/RES/2628(2022)", "1809 (2008)", "58/316", "#")
    assert citations_in_links(links, text) == (
        "S/RES/2628(2022)",
        "S/RES/1809(2008)",
        "A/RES/58/316",
    )
    assert citations_in_links(("A/71/160-S/2016/621",)) == ("A/71/160", "S/2016/621")
