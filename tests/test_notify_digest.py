"""The change digest built from a hand-made EditionDiff: subject, plain part, HTML, chart
and change set id. (The flow-level test on the real editions lives with the nightly flow.)"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from notify.digest import (
    build_digest,
    change_set_id,
    paragraph_ranges,
    percent,
    render,
    score_text,
)
from warehouse.diff.change_events import ChangeEvent, EditionDiff, Redline
from warehouse.diff.similarity import AlignedParagraph, EditionSimilarity, SimilarityScore

OLD, NEW = "A/73/328", "A/77/277"
SCRIPT = "<script>alert('x')</script>"
NAMES = {
    "OECD": "Organisation de coopération et de développement économiques",
    "CPLP": "Communauté des pays de langue portugaise",
    "IOM": "Organisation internationale pour les migrations",
    "AU": "Union africaine",
    "EU": "Union européenne",
    "LAS": "Ligue des États arabes",
}
TRAJECTORY = {
    "OECD": {NEW: 4},
    "CPLP": {OLD: 3},
    "IOM": {OLD: 2},
    "AU": {OLD: 12, NEW: 15},
    "LAS": {OLD: 5, NEW: 5},
}


def sample_diff(*, extra: tuple[ChangeEvent, ...] = ()) -> EditionDiff:
    """OECD new, CPLP and IOM sections gone, AU grown, plus an area, a partnership, a
    citation and a redline sentence carrying a <script> tag."""
    events = (
        ChangeEvent(
            "organization",
            "OECD",
            "appeared",
            new_count=4,
            new_words=610,
            evidence_new=(88, 89, 90, 91),
        ),
        ChangeEvent(
            "organization",
            "CPLP",
            "vanished",
            old_count=3,
            old_words=420,
            evidence_old=(40, 41, 42),
        ),
        ChangeEvent(
            "organization",
            "IOM",
            "section_vanished_still_mentioned",
            old_count=2,
            new_count=0,
            evidence_old=(60, 61),
            evidence_new=(12,),
        ),
        ChangeEvent(
            "organization",
            "AU",
            "grew",
            old_count=12,
            new_count=15,
            old_words=2000,
            new_words=2600,
            evidence_old=tuple(range(10, 22)),
            evidence_new=tuple(range(8, 23)),
        ),
        ChangeEvent("organization", "LAS", "unchanged", old_count=5, new_count=5),
        ChangeEvent(
            "area",
            "peace_security",
            "grew",
            old_count=30,
            new_count=34,
            name=f"Paix et sécurité {SCRIPT}",
        ),
        ChangeEvent("partnership", "AU|EU", "added", new_count=2, evidence_new=(15,)),
        ChangeEvent(
            "citation", "A/RES/76/1", "added", new_count=1, evidence_new=(3,), uncertain=True
        ),
        *extra,
    )
    redline = Redline(
        "AU",
        added=(f"Le Conseil {SCRIPT} a salué la coopération.",),
        removed=("Une phrase retirée.",),
    )
    return EditionDiff(old=OLD, new=NEW, events=events, redlines=(redline,))


def sample_digest(**kwargs):
    return build_digest(sample_diff(**kwargs), trajectory=TRAJECTORY, names=NAMES)


def test_subject_names_editions_new_and_vanished() -> None:
    subject = sample_digest().subject
    assert subject.startswith(f"CoopWatch: {NEW} vs {OLD} — ")
    assert "1 new section (OECD)" in subject
    assert "2 sections vanished (CPLP, IOM)" in subject
    assert "\n" not in subject


def test_plain_part_leads_with_the_news_then_groups_with_evidence_and_links() -> None:
    text = sample_digest().text
    order = [
        "WHAT CHANGED (3",
        "SECTIONS THAT GREW OR SHRANK (1)",
        "CITATIONS (1)",
        "SECTIONS WHOSE PARAGRAPH COUNT MOVED",
    ]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    news = text[positions[0] : positions[1]]
    # Labels in English (reference data), sections that appeared before those that vanished.
    oecd = "Organisation for Economic Co-operation and Development (OECD): appeared (new section)"
    cplp = "Community of Portuguese-speaking Countries (CPLP): vanished (section vanished)"
    assert news.index(oecd) < news.index(cplp)
    assert f"{NEW}: 4 paragraphs, 610 words; evidence {NEW} ¶ 88–91" in news
    assert f"{OLD}: 3 paragraphs, 420 words" in news
    assert f"evidence {OLD} ¶ 60–61; {NEW} ¶ 12" in news
    assert "(IOM): vanished (section vanished, still named)" in news
    assert f"https://undocs.org/fr/{OLD}" in text and f"https://undocs.org/fr/{NEW}" in text
    assert "A/RES/76/1 <https://undocs.org/fr/A/RES/76/1>: appeared (cited for the first time)" in (
        text
    )
    assert "(uncertain)" in text.split("CITATIONS (1)")[1]
    # The area and the partnership are not material: the email leaves their groups out.
    assert "COOPERATION AREAS" not in text and "PARTNERSHIPS" not in text
    assert "; full report: reports/A-73-328__A-77-277.html" in text


def test_plain_part_lists_the_sections_whose_count_moved_with_the_change_word() -> None:
    table = sample_digest().text.split("SECTIONS WHOSE PARAGRAPH COUNT MOVED")[1]
    lines = table.strip().split("\n\n")[0].splitlines()[1:]
    assert lines[0].split() == ["Section", OLD, NEW, "change"]
    # The largest move first; LAS (5 -> 5) did not move.
    assert [line.split()[:4] for line in lines[2:]] == [
        ["OECD", "0", "4", "appeared"],
        ["AU", "12", "15", "grew"],
        ["CPLP", "3", "0", "vanished"],
        ["IOM", "2", "0", "vanished"],
    ]


def test_chart_and_its_table_show_the_newest_editions_only() -> None:
    sessions = range(60, 77)
    trajectory = {"AU": {f"A/{n}/100": n for n in sessions}, "OECD": {NEW: 4}}
    digest = build_digest(sample_diff(), trajectory=trajectory, names=NAMES)
    table = digest.html.split('class="cw-chart-data"')[1].split("</tr>")[0]
    header = re.findall(r">([^<>]+)</th>", table)
    assert header == ["Organization", *(f"A/{n}/100" for n in range(71, 77))] + [NEW]
    assert digest.chart_png is not None


def test_html_escapes_document_text_and_points_at_the_chart() -> None:
    digest = sample_digest()
    assert "<script>" not in digest.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in digest.html
    assert f'src="cid:{digest.chart_cid}"' in digest.html
    assert digest.chart_png is not None and digest.chart_png.startswith(b"\x89PNG")
    assert 'name="color-scheme" content="light dark"' in digest.html
    assert re.search(r'<a class="cw-link" href="https://undocs.org/fr/A/77/277"', digest.html)


def test_stored_html_embeds_the_chart_as_data_uri() -> None:
    digest = sample_digest()
    assert "cid:" not in digest.stored_html
    assert 'src="data:image/png;base64,' in digest.stored_html


def test_change_set_id_ignores_order_and_unchanged_events() -> None:
    diff = sample_diff()
    shuffled = replace(diff, events=tuple(reversed(diff.events)))
    more_unchanged = sample_diff(extra=(ChangeEvent("organization", "OAS", "unchanged"),))
    one_more_change = sample_diff(extra=(ChangeEvent("organization", "OAS", "shrank"),))
    assert change_set_id(diff) == change_set_id(shuffled) == change_set_id(more_unchanged)
    assert change_set_id(diff) != change_set_id(one_more_change)
    assert change_set_id(diff) != change_set_id(replace(diff, old="A/71/160"))
    assert re.fullmatch(r"[0-9a-f]{64}", change_set_id(diff))


def test_digest_without_trajectory_has_no_chart() -> None:
    digest = build_digest(sample_diff(), trajectory={}, names={})
    assert digest.chart_png is None
    assert "cid:" not in digest.html and "<img" not in digest.html
    assert "Paragraphs per organization across editions" not in digest.html
    assert "1 new section (OECD)" in digest.subject


def test_subject_caps_names_and_phrases() -> None:
    gone = tuple(ChangeEvent("organization", f"ORG{i}", "vanished", old_count=1) for i in range(5))
    diff = EditionDiff(old=OLD, new=NEW, events=gone)
    subject = build_digest(diff, trajectory={}, names={}).subject
    assert subject.endswith("5 sections vanished (ORG0, ORG1, ORG2, +2 more)")


def test_paragraph_ranges_compacts_runs() -> None:
    assert paragraph_ranges((14, 12, 13, 20, 22, 23)) == "12–14, 20, 22–23"
    assert paragraph_ranges(()) == ""


def many_partnerships(count: int) -> tuple[ChangeEvent, ...]:
    """Partnerships P00.. with scores 1, 2, ...; all but the first two material."""
    return tuple(
        ChangeEvent(
            "partnership",
            f"AU|P{i:02d}",
            "appeared",
            new_count=i + 1,
            evidence_new=(i + 1,),
            score=float(i + 1),
            material=i >= 2,
        )
        for i in range(count)
    )


def test_email_shows_the_most_material_items_and_links_the_rest() -> None:
    digest = sample_digest(extra=many_partnerships(14))
    title = "PARTNERSHIPS (15; 12 material, shown first by score)"
    assert title in digest.text
    part = digest.text.split(title)[1].split("CITATIONS")[0]
    shown = [f"with P{i:02d}: appeared, material" for i in range(13, 10, -1)]
    assert [part.index(line) for line in shown] == sorted(part.index(line) for line in shown)
    assert "with P10" not in part and "with European Union" not in part
    assert f"evidence {NEW} ¶ 14" in part
    assert "- … and 12 more: reports/A-73-328__A-77-277.html" in part
    assert (
        '<a class="cw-link cw-more" href="reports/A-73-328__A-77-277.html" '
        'style="color:#0b57d0;">… and 12 more in the full report</a>'
    ) in digest.html
    assert "12 material partnership changes" in digest.text.splitlines()[1]


def test_more_links_point_at_the_published_report_when_its_address_is_set(monkeypatch) -> None:
    monkeypatch.setenv("COOPWATCH_REPORT_URL", "https://reports.example.org/coopwatch/")
    digest = sample_digest(extra=many_partnerships(14))
    link = "https://reports.example.org/coopwatch/A-73-328__A-77-277.html"
    assert f"- … and 12 more: {link}" in digest.text
    assert f'href="{link}"' in digest.html


def test_section_and_mention_events_of_one_organization_make_one_line() -> None:
    first_named = ChangeEvent("mention", "OECD", "first_named", old_count=0, new_count=5)
    digest = sample_digest(extra=(first_named,))
    oecd = "Organisation for Economic Co-operation and Development (OECD)"
    assert f"{oecd}: appeared (new section; named for the first time)" in digest.text
    assert digest.text.count(f"{oecd}:") == 1
    assert "named for the first time" not in digest.subject


def section_score(
    organization: str, changed: int, old_paragraphs: int, new_paragraphs: int, moved: int = 0
) -> SimilarityScore:
    """A hand-made section score: only the fields the digest reads matter."""
    aligned = tuple(AlignedParagraph(old=i, new=i, score=0.6, moved=True) for i in range(moved))
    return SimilarityScore(
        "section", organization, 0.4, 500, 500, changed, old_paragraphs, new_paragraphs, aligned
    )


def sample_similarity(old: str = OLD, new: str = NEW) -> EditionSimilarity:
    """Similarity whose changed words order organizations unlike their paragraph counts:
    IOM (2 paragraphs) changed more words than CPLP (3), the EU (-1 paragraph) more than
    the AU (+3)."""
    aligned = tuple(
        AlignedParagraph(old=i, new=i + (2 if i == 3 else 0), score=0.7, moved=i == 3)
        for i in range(1, 7)
    )
    overall = SimilarityScore(
        "edition",
        None,
        0.4236,
        1000,
        1200,
        1268,
        10,
        12,
        aligned,
        added=(7, 8, 9, 10, 11, 12),
        removed=(7, 8, 9, 10),
    )
    sections = (
        section_score("AU", 150, 12, 15),
        section_score("CPLP", 300, 3, 0),
        section_score("EU", 900, 6, 5, moved=1),
        section_score("IOM", 500, 2, 0),
        section_score("OECD", 600, 0, 4),
    )
    return EditionSimilarity(old, new, "fr", overall, sections)


EU_SHRANK = ChangeEvent("organization", "EU", "shrank", old_count=6, new_count=5)


def ranked_diff() -> EditionDiff:
    """The sample diff plus an EU section that shrank by one paragraph and an EU redline
    shorter than the AU's."""
    diff = sample_diff(extra=(EU_SHRANK,))
    return replace(diff, redlines=(*diff.redlines, Redline("EU", added=("Une phrase ajoutée.",))))


def ranked_digest(similarity: EditionSimilarity | None = None):
    return build_digest(ranked_diff(), trajectory={}, names=NAMES, similarity=similarity)


def positions(text: str, *needles: str) -> list[int]:
    return [text.index(needle) for needle in needles]


def test_digest_leaves_the_overall_similarity_out() -> None:
    # Every edition is rewritten: "16% similar" tells a reader nothing (issue 30).
    digest = ranked_digest(sample_similarity())
    for part in (digest.text, digest.html):
        assert "similar to" not in part and "Similarity compares" not in part


def test_organizations_sort_by_changed_words_when_similarity_is_given() -> None:
    digest = ranked_digest(sample_similarity())
    eu, au = "European Union (EU)", "African Union (AU)"
    groups = digest.text.split("WHAT THE TEXT SAYS")[0]
    html_groups = digest.html.split("What the text says")[0]
    for part in (groups, html_groups):
        # EU: one paragraph fewer but 900 words; AU: three more, 150 words.
        assert part.index(eu) < part.index(au)
    redlines = render("report.md.j2", digest.context).split("What the text says")[1]
    assert redlines.index(eu) < redlines.index(au)


def test_without_similarity_organizations_sort_by_paragraph_change() -> None:
    digest = ranked_digest()
    eu, au = "European Union (EU)", "African Union (AU)"
    groups = digest.text.split("WHAT THE TEXT SAYS")[0]
    html_groups = digest.html.split("What the text says")[0]
    for part in (groups, html_groups):
        assert part.index(au) < part.index(eu)
    redlines = render("report.md.j2", digest.context).split("What the text says")[1]
    # The AU's redline has two sentences, the EU's one.
    assert redlines.index(au) < redlines.index(eu)


def test_sections_in_both_editions_say_how_much_of_their_text_changed_in_the_report() -> None:
    report = render("report.md.j2", ranked_digest(sample_similarity()).context)
    eu = report.split("European Union (EU)")[1].split("\n")[0]
    assert "similarity 0.40, 900 content words changed, 1 paragraph moved" in eu
    au = report.split("African Union (AU)")[1].split("\n")[0]
    assert "similarity 0.40, 150 content words changed" in au


def test_similarity_of_other_editions_is_refused() -> None:
    with pytest.raises(ValueError, match="A/71/160 -> A/77/277"):
        ranked_digest(sample_similarity(old="A/71/160"))


def test_scores_never_round_a_difference_away() -> None:
    assert [percent(v) for v in (0.0, 0.004, 0.0949, 0.996, 1.0)] == [
        "0%",
        "under 1%",
        "9%",
        "over 99%",
        "100%",
    ]
    assert [score_text(v) for v in (0.0, 0.003, 0.4236, 0.997, 1.0)] == [
        "0.00",
        "0.01",
        "0.42",
        "0.99",
        "1.00",
    ]


def test_email_leaves_out_a_broad_area_that_only_repeats_its_sub_area() -> None:
    def org_area(subject: str, level: str, score: float) -> ChangeEvent:
        return ChangeEvent(
            "organization_area",
            subject,
            "shrank",
            old_count=4,
            new_count=1,
            evidence_old=(40, 41, 42, 43),
            evidence_new=(68,),
            level=level,
            score=score,
            material=True,
        )

    extra = (
        org_area("AU|humanitarian_disaster", "area", 1.9),
        org_area("AU|migration_refugees", "sub_area", 1.9),
    )
    digest = sample_digest(extra=extra)
    part = digest.text.split("AREAS PER ORGANIZATION (2;")[1].split("CITATIONS")[0]
    assert "Migration, refugees and displacement [sub-area]: shrank, material" in part
    assert "Humanitarian action, disasters and displacement" not in part
    assert "- … and 1 more: reports/A-73-328__A-77-277.html" in part
    markdown = render("report.md.j2", digest.context, chart_src=None)
    assert "Humanitarian action, disasters and displacement" in markdown
