"""Helpers no other test imported: strict settings files (common/settings_files.py), what a
run fetches of the documents editions cite (extractors/fetch/cited_targets.py), companions
named in a digest (notify/companion_lines.py) and the run lock (warehouse/db/run_lock.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.errors import SettingsError
from common.settings_files import SettingsFile
from extractors.fetch.cited_targets import cited_targets, is_edition_symbol
from notify.companion_lines import with_companions
from notify.digest import Digest
from warehouse.db.run_lock import RunInProgress, run_lock


def test_settings_file_errors_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    parsed = SettingsFile(path, "grace_months: 3\nrhythm_months: 24\n")
    assert parsed.root is not None and parsed.root.value["rhythm_months"].line == 2
    with pytest.raises(SettingsError) as duplicate:
        SettingsFile(path, "grace_months: 3\ngrace_months: 4\n")
    assert (duplicate.value.line, str(path) in str(duplicate.value)) == (2, True)
    with pytest.raises(SettingsError, match="not valid YAML"):
        SettingsFile(path, "grace_months: [3\n")
    with pytest.raises(SettingsError, match="no such file"):
        SettingsFile(tmp_path / "missing.yaml")


def test_cited_targets_leave_out_editions_and_their_companions() -> None:
    citing = [
        ("A/77/277", "fr", ["A/RES/76/1", "A/75/345", "A/75/345/Corr.1", "A/RES/76/1"]),
        ("A/73/328", "en", ["A/RES/72/5"]),
    ]
    assert cited_targets(citing, ["A/75/345-S/2020/898"]) == [
        ("A/RES/76/1", "fr"),
        ("A/RES/72/5", "en"),
    ]
    assert is_edition_symbol("A/79/302-S/2024/600")
    assert not is_edition_symbol("A/79/302") and not is_edition_symbol("A/RES/79/1")


def test_companions_are_named_once_under_the_editions_links() -> None:
    digest = Digest(
        subject="s",
        text="Changes\nNew edition: A/77/277\nAU grew\n",
        html="<body><table><tr><td><h1>A/77/277</h1></td></tr><tr><td>AU</td></tr></table></body>",
        chart_png=None,
        change_set_id="c1",
    )
    sentence = "A/77/277 has a corrigendum (A/77/277/Corr.1)"
    named = with_companions(digest, [sentence, sentence])
    assert named.text == f"Changes\nNew edition: A/77/277\n\n{sentence}.\nAU grew\n"
    assert named.html.count(sentence) == 1
    assert named.html.index("<h1>") < named.html.index(sentence) < named.html.index("AU")
    assert with_companions(digest, []) is digest


def test_a_second_run_on_the_same_warehouse_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    refused = pytest.raises(RunInProgress, match="another CoopWatch run is in progress")
    with run_lock(db), refused, run_lock(db):
        pass
    with run_lock(db):  # released once the first run is done
        pass
