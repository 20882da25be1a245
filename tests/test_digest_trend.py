"""The email for a new edition carries a small trend panel: the organizations whose section
changed most in paragraphs, across every edition loaded, drawn under the bars and given as a
table; a reissue (same edition on both sides) has none. Built from test_notify_digest's diff:
OECD appeared with 4 paragraphs, CPLP vanished (3), AU grew 12 -> 15, IOM lost 2, LAS same."""

from __future__ import annotations

import io
from dataclasses import replace

from PIL import Image
from test_notify_digest import NAMES, NEW, OLD, sample_diff

from notify.digest import build_digest, trend_context

OLDEST = "A/71/160"
TRAJECTORY = {
    "AU": {OLDEST: 9, OLD: 12, NEW: 15},
    "LAS": {OLDEST: 6, OLD: 5, NEW: 5},
    "OECD": {NEW: 4},
    "CPLP": {OLDEST: 2, OLD: 3},
    "IOM": {OLD: 2},
}


def test_trend_ranks_the_organizations_that_changed_most_across_every_edition() -> None:
    trend = trend_context(sample_diff(), TRAJECTORY, NAMES)
    # |change|: OECD 4, AU 3, CPLP 3 (tie: by id), IOM 2; LAS is unchanged, so left out.
    assert trend["organizations"] == [
        "OECD",
        "AU",
        "CPLP",
        "IOM",
    ]
    assert trend["editions"] == [OLDEST, OLD, NEW]
    assert [row["counts"] for row in trend["rows"]] == [
        [0, 0, 4],
        [9, 12, 15],
        [2, 3, 0],
        [0, 2, 0],
    ]


def test_email_has_the_trend_table_and_a_taller_chart() -> None:
    with_trend = build_digest(sample_diff(), trajectory=TRAJECTORY, names=NAMES)
    text = with_trend.text.split("ORGANIZATIONS THAT CHANGED MOST, ACROSS EVERY EDITION")[1]
    lines = text.strip().split("\n\n")[0].splitlines()
    assert lines[0].split() == ["Organization", OLDEST, OLD, NEW]
    assert [line.split() for line in lines[2:]] == [
        ["OECD", "0", "0", "4"],
        ["AU", "9", "12", "15"],
        ["CPLP", "2", "3", "0"],
        ["IOM", "0", "2", "0"],
    ]
    assert '<table class="cw-trend-data"' in with_trend.html
    reissue = build_digest(replace(sample_diff(), old=NEW), trajectory=TRAJECTORY, names=NAMES)
    assert "CHANGED MOST" not in reissue.text and "cw-trend-data" not in reissue.html
    assert with_trend.chart_png is not None and reissue.chart_png is not None
    with (
        Image.open(io.BytesIO(with_trend.chart_png)) as tall,
        Image.open(io.BytesIO(reissue.chart_png)) as plain,
    ):
        # The trend panel adds 2.6 inches at 110 dpi under the same bars.
        assert tall.height - plain.height == round(2.6 * 110)
