"""Tests for citation extraction from prose and links (extractors/enrich/citations.py)."""

from __future__ import annotations

import pytest

from extractors.enrich.citations import (
    citations_in_links,
    citations_in_text,
    resolve_reference,
    unknown_symbols_in_links,
    unknown_symbols_in_text,
)


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
        ("le document A/HRC/RES/47/1", ("A/HRC/RES/47/1",)),
        (
            "le projet A/C.3/78/L.49/Rev.1 (voir A/78/481/Add.2)",
            ("A/C.3/78/L.49/Rev.1", "A/78/481/Add.2"),
        ),
        ("adoptée à partir du projet A/79/L.9/Rev.1.", ("A/79/L.9/Rev.1",)),
        (
            "la résolution A/RES/ES\u201111/1 et le projet A/ES-10/L.1",
            ("A/RES/ES-11/1", "A/ES-10/L.1"),
        ),
        (
            "le rapport du Conseil (E/2024/1) et sa résolution E/RES/2023/5",
            ("E/2024/1", "E/RES/2023/5"),
        ),
        ("le rapport A/77/277/Corr.1 du Secrétaire général", ("A/77/277/Corr.1",)),
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
    ],
)
def test_non_citations_are_ignored(text: str) -> None:
    assert citations_in_text(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le document A/XYZ/12/3 et le rapport A/77/277", ("A/XYZ/12/3",)),
        ("la note AA/78/481/Add.2 est mal écrite", ()),
        ("A/C.9/78/L.1, A/RES/58 et S/RES/1809 cités", ("A/C.9/78/L.1", "A/RES/58", "S/RES/1809")),
        ("le rapport A/77/277 et le communiqué SC/14697", ()),
    ],
)
def test_unknown_symbols_are_kept_with_their_text(text: str, expected: tuple[str, ...]) -> None:
    assert unknown_symbols_in_text(text) == expected
    assert not set(expected) & set(citations_in_text(text))


def test_unknown_link_targets_are_kept() -> None:
    links = ["https://undocs.org/fr/A/XYZ/1", "https://undocs.org/fr/A/77/277", "#", "58/316"]
    assert unknown_symbols_in_links(links) == ("A/XYZ/1",)


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
