"""Files written whole or not at all (common/atomic_write.py): reports, emails, the raw store
and the editions' user file all go through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.atomic_write import write_atomically


def test_text_and_bytes_are_written_whole_in_a_new_folder(tmp_path: Path) -> None:
    text = tmp_path / "reports" / "index.html"
    write_atomically(text, "Coopération — UA")
    write_atomically(tmp_path / "reports" / "chart.png", b"\x89PNG\r\n")
    assert text.read_text(encoding="utf-8") == "Coopération — UA"
    assert (tmp_path / "reports" / "chart.png").read_bytes() == b"\x89PNG\r\n"
    write_atomically(text, "again")
    assert text.read_text(encoding="utf-8") == "again"
    assert sorted(p.name for p in text.parent.iterdir()) == ["chart.png", "index.html"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomically(target, "cannot replace a folder")
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
