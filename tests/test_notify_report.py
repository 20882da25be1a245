"""The static report: file names from UN symbols, the same content as the email, the
chart beside it, and document text escaped in both HTML and Markdown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_notify_digest import (
    NAMES,
    NEW,
    OLD,
    ranked_diff,
    ranked_digest,
    sample_diff,
    sample_digest,
    sample_similarity,
)

from notify.digest import EMAIL_LIMITS, build_digest
from notify.static_report import (
    artifact_key,
    render_markdown,
    report_stem,
    safe_symbol,
    write_reports,
)


def test_file_names_are_safe_symbols() -> None:
    assert report_stem(OLD, NEW) == "A-73-328__A-77-277"
    assert safe_symbol("A/77/277-S/2022/606") == "A-77-277-S-2022-606"
    assert "/" not in safe_symbol("../../etc")
    assert artifact_key(OLD, NEW) == "coopwatch-a-73-328-vs-a-77-277"


def test_write_reports_writes_html_markdown_and_chart(tmp_path: Path) -> None:
    files = write_reports(sample_digest(), sample_diff(), tmp_path / "reports")
    assert files.html.name == "A-73-328__A-77-277.html"
    assert files.markdown.name == "A-73-328__A-77-277.md"
    assert files.chart.read_bytes().startswith(b"\x89PNG")
    html = files.html.read_text(encoding="utf-8")
    assert 'src="A-73-328__A-77-277.png"' in html and "cid:" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Organisation for Economic Co-operation and Development (OECD)" in html
    assert sorted(p.name for p in files.html.parent.iterdir()) == [
        "A-73-328__A-77-277.html",
        "A-73-328__A-77-277.md",
        "A-73-328__A-77-277.png",
    ]


def test_markdown_report_escapes_document_text(tmp_path: Path) -> None:
    files = write_reports(sample_digest(), sample_diff(), tmp_path)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith(f"# CoopWatch: {NEW} vs {OLD}")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "## What changed (3:" in markdown
    assert "## Sections that grew or shrank (1)" in markdown
    assert "![Bar chart of paragraph counts per organization](A-73-328__A-77-277.png)" in markdown
    assert "| OECD | 0 | 4 |" not in markdown
    assert "| Organisation for Economic Co-operation and Development (OECD) | 0 | 4 |" in markdown


def test_markdown_for_the_artifact_has_no_chart_link_by_default() -> None:
    digest = build_digest(sample_diff(), trajectory={}, names={})
    markdown = render_markdown(digest, sample_diff())
    assert "![" not in markdown and "1 new section (OECD)" in markdown


def test_report_lists_every_item_the_email_leaves_out(tmp_path: Path) -> None:
    from test_notify_digest import many_partnerships

    diff = sample_diff(extra=many_partnerships(14))
    digest = build_digest(diff, trajectory={}, names=NAMES)
    files = write_reports(digest, diff, tmp_path)
    html = files.html.read_text(encoding="utf-8")
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "more in the full report" not in html + markdown
    for text in (html, markdown):
        # Every partnership, material first by score, then the others.
        order = [text.index(f"with P{i:02d}") for i in (13, 2, 1, 0)]
        assert order == sorted(order) and "with European Union" in text
    email_markdown = render_markdown(digest, diff, limits=EMAIL_LIMITS)
    assert "[… and 12 more in the full report](reports/A-73-328__A-77-277.html)" in email_markdown


def test_report_orders_by_changed_words_and_leaves_the_overall_similarity_out(
    tmp_path: Path,
) -> None:
    files = write_reports(ranked_digest(sample_similarity()), ranked_diff(), tmp_path)
    html = files.html.read_text(encoding="utf-8")
    markdown = files.markdown.read_text(encoding="utf-8")
    assert "similar to" not in html + markdown
    assert "shrank<br>similarity 0.40, 900 content words changed, 1 paragraph moved |" in markdown
    for text in (html, markdown):
        # The EU lost a paragraph but changed 900 words; the AU gained three, 150 words.
        assert text.index("European Union (EU)") < text.index("African Union (AU)")


def test_report_without_similarity_keeps_paragraph_order(tmp_path: Path) -> None:
    files = write_reports(ranked_digest(), ranked_diff(), tmp_path)
    for text in (files.html.read_text(encoding="utf-8"), files.markdown.read_text("utf-8")):
        assert "similar to" not in text and "content words" not in text
        assert text.index("African Union (AU)") < text.index("European Union (EU)")


def test_report_of_a_digest_without_context_takes_the_similarity() -> None:
    digest = replace(ranked_digest(), context=None)
    markdown = render_markdown(digest, ranked_diff(), similarity=sample_similarity())
    # Rebuilt without the warehouse's names: the reference data's English names.
    assert markdown.index("| European Union (EU) | shrank") < markdown.index(
        "| African Union (AU) | grew"
    )
    plain = render_markdown(digest, ranked_diff())
    assert "similar to" not in plain
    assert plain.index("| African Union (AU) | grew") < plain.index(
        "| European Union (EU) | shrank"
    )
