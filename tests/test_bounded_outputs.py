"""Outputs stay bounded whatever a paragraph's length: the report (HTML and Markdown), the
Prefect artifact and the email quote at most a set length of any sentence, where one huge
paragraph made a 30 MB report and a 14 MB artifact; the warehouse keeps the text whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from test_notify_digest import sample_diff

from notify.digest import QUOTE_CHARS, build_digest
from notify.static_report import render_markdown, write_reports

HUGE = "coopération " * 200_000  # 2.4 MB without a full stop: one sentence


def _huge_diff():
    diff = sample_diff()
    (redline,) = diff.redlines
    return replace(diff, redlines=(replace(redline, added=(HUGE, *redline.added)),))


def test_a_huge_paragraph_is_quoted_in_part_by_every_output(tmp_path: Path) -> None:
    diff = _huge_diff()
    digest = build_digest(diff, trajectory={}, names={})
    files = write_reports(digest, diff, tmp_path)
    outputs = {
        "html report": files.html.read_text(encoding="utf-8"),
        "markdown report": files.markdown.read_text(encoding="utf-8"),
        "artifact": render_markdown(digest, diff),
        "email text": digest.text,
        "email html": digest.html,
    }
    for name, text in outputs.items():
        assert "coopération coopération" in text, name
        assert len(text) < 20 * QUOTE_CHARS, (name, len(text))
        assert "…" in text, name
