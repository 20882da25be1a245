"""The JSON object and terminal table of `coopwatch diff`."""

from __future__ import annotations

import json

from tests.report_builder import P, S, build_report, words
from warehouse.diff.diff_text import diff_to_json, format_diff_table
from warehouse.diff.edition_diff import diff_editions


def _pair():
    old = build_report(
        "A/73/328",
        [
            S("Union africaine", "AU", [P(words(10), ("AU",), ("UNDP",), ("health",))] * 2),
            S("Communauté des pays de langue portugaise", "CPLP", [P(words(6), ("CPLP",))]),
        ],
        intro=[P(words(5), citations=("A/RES/58/316",))],
    )
    new = build_report(
        "A/77/277",
        [
            S("Union africaine", "AU", [P(words(10), ("AU",), ("UNDP",), ("health",))] * 3),
            S(
                "Organisation de coopération et de développement économiques",
                "OECD",
                [P(words(4), ("OECD",), ("WHO",))],
            ),
        ],
        intro=[P(words(5), citations=("A/RES/75/1",))],
    )
    return diff_editions(old, new, citation_titles={"A/RES/75/1": "Déclaration"})


def test_json_has_the_issue_shape() -> None:
    data = diff_to_json(_pair())
    json.dumps(data)  # plain data all the way down
    assert data["old"] == "A/73/328"
    assert data["new"] == "A/77/277"
    assert data["uncertain"] is False
    assert data["organizations"] == [
        {
            "id": "AU",
            "name": "Union africaine",
            "organizations": ["AU"],
            "change": "grew",
            "family": "grew",
            "change_detail": "grew",
            "old_paragraphs": 2,
            "new_paragraphs": 3,
            "evidence": {"old": [2, 3], "new": [2, 3, 4]},
            "uncertain": False,
            "old_words": 20,
            "new_words": 30,
        },
        {
            "id": "CPLP",
            "name": "Communauté des pays de langue portugaise",
            "organizations": ["CPLP"],
            "change": "vanished",
            "family": "vanished",
            "change_detail": "section vanished",
            "old_paragraphs": 1,
            "new_paragraphs": 0,
            "evidence": {"old": [4], "new": []},
            "uncertain": False,
            "old_words": 6,
            "new_words": 0,
        },
        {
            "id": "OECD",
            "name": "Organisation de coopération et de développement économiques",
            "organizations": ["OECD"],
            "change": "appeared",
            "family": "appeared",
            "change_detail": "new section",
            "old_paragraphs": 0,
            "new_paragraphs": 1,
            "evidence": {"old": [], "new": [5]},
            "uncertain": False,
            "old_words": 0,
            "new_words": 4,
        },
    ]
    # AU is named in 2 paragraphs, then 3 (its section): named in more paragraphs.
    assert [(m["id"], m["change"], m["family"]) for m in data["mentions"]] == [
        ("OECD", "first_named", "appeared"),
        ("CPLP", "no_longer_named", "vanished"),
        ("AU", "grew", "grew"),
    ]
    # Health went from 2 of 4 paragraphs to 3 of 5: its share of the edition moved from 50% to
    # 60%, under the 25% growth rule, so it is unchanged though its count grew.
    assert data["areas"] == [
        {
            "id": "health",
            "change": "unchanged",
            "family": "unchanged",
            "change_detail": "unchanged: more paragraphs, within the rule",
            "old_paragraphs": 2,
            "new_paragraphs": 3,
            "evidence": {"old": [2, 3], "new": [2, 3, 4]},
            "uncertain": False,
            "score": 0.3,
            "material": False,
            "old_share": 0.5,
            "new_share": 0.6,
            "old_word_share": 0.6452,  # 20 of 31 words
            "new_word_share": 0.7692,  # 30 of 39 words
            "old_words": 20,
            "new_words": 30,
            "detail": (
                "edition share 2/4 (50.0%) -> 3/5 (60.0%), x1.2; words 64.5% -> 76.9%; "
                "+0.5 paragraphs beyond the old share; z +0.30: not material (rule: share of "
                "the edition x1.5 or more, 3+ paragraphs beyond the old share, z 1.645+, "
                "words agree)"
            ),
            "level": "sub_area",
            "phrases": {"old": ["health"], "new": ["health"]},
        }
    ]
    assert [(a["organization"], a["area"], a["change"]) for a in data["organization_areas"]] == [
        ("AU", "health", "unchanged")
    ]
    assert [
        (p["organization"], p["un_entity"], p["change"], p["material"], p["score"])
        for p in data["partnerships"]
    ] == [("OECD", "WHO", "appeared", False, 0.95)]
    assert data["citations"] == {
        "added": [
            {
                "symbol": "A/RES/75/1",
                "title": "Déclaration",
                "family": "appeared",
                "change_detail": "cited for the first time",
                "evidence": {"old": [], "new": [1]},
            }
        ],
        "removed": [
            {
                "symbol": "A/RES/58/316",
                "title": None,
                "family": "vanished",
                "change_detail": "no longer cited",
                "evidence": {"old": [1], "new": []},
            }
        ],
    }
    assert [r["organization"] for r in data["redlines"]] == ["AU"]


def test_table_lists_sections_with_counts_and_folded_evidence() -> None:
    table = format_diff_table(_pair())
    lines = table.splitlines()
    assert lines[0] == "Changes from A/73/328 to A/77/277"
    au = next(line for line in lines if line.startswith("grew") and " AU " in line)
    assert "2 -> 3" in au
    assert "20 -> 30" in au
    assert "2-4" in au
    assert any(line.startswith("vanished") and "CPLP" in line for line in lines)
    assert any("A/RES/75/1 (Déclaration)" in line for line in lines)
    assert "UNCERTAIN" not in table


def test_table_of_an_edition_against_itself_says_no_changes() -> None:
    report = build_report("A/1/1", [S("Union africaine", "AU", [P(words(3), ("AU",))])])
    table = format_diff_table(diff_editions(report, report))
    assert table.splitlines()[-1] == "No changes."


def test_a_section_naming_no_organization_is_listed_as_a_section_by_its_heading() -> None:
    # "Economic situation" maps to no organization: it is a section, never an organization;
    # a joint chapter known by its heading still covers organizations and stays one.
    joint = S("Coopération avec l'OIAC et l'OTICE", "OPCW", [P(words(6))], ("OPCW", "CTBTO"))
    old = build_report(
        "A/1/1",
        [
            S("Economic situation", None, [P(words(5, "ec"))] * 2),
            S("Union africaine", "AU", [P(words(5), ("AU",))]),
            joint,
        ],
    )
    new = build_report(
        "A/2/2",
        [
            S(
                "Economic situation",
                None,
                [P(words(5, "ec"))] * 2 + [P(words(5, "ec"), areas=("health",))] * 2,
            ),
            S("Union africaine", "AU", [P(words(5), ("AU",))]),
            joint,
        ],
    )
    diff = diff_editions(old, new)
    data = diff_to_json(diff)
    assert [o["id"] for o in data["organizations"]] == [
        "AU",
        "heading:coopération avec l'oiac et l'otice",
    ]
    assert not any(
        o["id"].startswith("heading:") and not o["organizations"] for o in data["organizations"]
    )
    (section,) = data["sections"]
    assert (section["heading"], section["change"]) == ("Economic situation", "grew")
    assert (section["old_paragraphs"], section["new_paragraphs"]) == (2, 4)
    (area,) = data["section_areas"]
    assert (area["heading"], area["area"], area["change"]) == (
        "Economic situation",
        "health",
        "appeared",
    )
    assert not [a for a in data["organization_areas"] if a["organization"].startswith("heading:")]
    table = format_diff_table(diff)
    assert "Areas per section (changed)" in table
    assert "health (Economic situation)" in table
    organizations, sections = table.split("Sections (headings naming no organization)")
    assert "Economic situation" not in organizations and "OPCW + CTBTO" in organizations
    assert "heading:" not in sections
    assert "grew" in sections.splitlines()[3] and "Economic situation" in sections.splitlines()[3]
