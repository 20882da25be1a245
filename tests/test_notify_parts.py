"""Parts of notify/ no other test imported: how a run's record ends from its account
(notify/run_record.py), the email's chart embedded and taken back out
(notify/digest_email.py), and which editions and organizations the chart shows
(notify/chart.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from common.errors import CoopWatchError
from notify.chart import edition_sort_key, recent_editions, select_organizations
from notify.digest_email import build_message, embed_chart, extract_chart
from notify.run_record import RunRecord
from warehouse.runs.run_account import RunSummary

PNG = b"\x89PNG\r\n\x1a\n-chart-"


def _record() -> RunRecord:
    return RunRecord(
        run_id="run-1",
        parameters={"source": "bundled"},
        started_at=datetime(2026, 12, 6, tzinfo=UTC),
        status="completed",
        error=None,
        outbox_dir=Path("outbox"),
        smtp_block=None,
    )


def test_a_run_record_ends_as_its_account_says() -> None:
    record = _record()
    assert record.source == "bundled"
    assert record.ended(RunSummary("run-1").with_count("parsed")).status == "completed"
    failed = record.ended(RunSummary("run-1").with_failure("A/77/277 (fr): a", "b"))
    assert (failed.status, failed.error) == ("failed", "A/77/277 (fr): a; b")
    stopped = record.failed_with(CoopWatchError("the warehouse is locked"))
    assert stopped.ended(RunSummary("run-1").with_failure("x")).error == "the warehouse is locked"
    assert record.failed_with(ValueError("bad")).error == "ValueError: bad"


def test_the_chart_is_embedded_for_the_outbox_and_attached_for_the_email() -> None:
    html = '<p>Changes</p><img src="cid:chart-1">'
    stored = embed_chart(html, "chart-1", PNG)
    assert "cid:" not in stored and "data:image/png;base64," in stored
    assert extract_chart(stored, "chart-1") == (html, PNG)
    assert embed_chart(html, "chart-1", None) == html
    message = build_message(
        subject="CoopWatch:  A/73/328 -> A/77/277",
        text="Changes",
        html=html,
        sender="coopwatch@example.org",
        recipients=["desk@example.org"],
        change_set_id="0123456789abcdef" * 3,
        chart_png=PNG,
        chart_cid="chart-1",
    )
    assert message["Subject"] == "CoopWatch: A/73/328 -> A/77/277"
    assert message["Message-ID"] == "<0123456789abcdef0123456789abcdef@coopwatch>"
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert [image.get_content() for image in images] == [PNG]


def test_the_chart_shows_the_newest_editions_and_the_changed_organizations_first() -> None:
    trajectory = {
        "AU": {"A/73/328": 10, "A/77/277": 28},
        "OECD": {"A/77/277": 5},
        "CPLP": {"A/71/160": 2, "A/73/328": 4},
    }
    assert sorted(["A/77/277", "A/71/160", "A/73/328"], key=edition_sort_key) == [
        "A/71/160",
        "A/73/328",
        "A/77/277",
    ]
    assert recent_editions(trajectory, limit=2) == ["A/73/328", "A/77/277"]
    assert select_organizations(trajectory, first=["CPLP"], limit=2) == ["AU", "CPLP"]
