"""Failures a user causes with a file are short lines that say what the file is: UTF-16 text
is named as such (not "binary data"), and a document that repeats its paragraph numbers is
refused naming a few of them, not all 968."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from common.errors import NotText, UnloadableDocument
from extractors.derive import derive_document
from extractors.readers.route import read_document
from flows.cli import app
from tests.conftest import EDITION_2018
from warehouse.load.report_rows import check_paragraph_numbers

runner = CliRunner()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_named_not_called_binary(encoding: str) -> None:
    data = EDITION_2018.read_text(encoding="utf-8").encode(encoding)
    with pytest.raises(NotText) as refused:
        read_document(data, name="A-73-328_fr.txt")
    assert "UTF-16 text" in str(refused.value)
    assert "binary" not in str(refused.value)


def test_utf16_text_given_to_parse_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "A-73-328_fr.txt"
    path.write_bytes(EDITION_2018.read_text(encoding="utf-8").encode("utf-16"))
    result = runner.invoke(app, ["parse", str(path), "--symbol", "A/73/328"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"coopwatch: error: {path}: UTF-16 text, which CoopWatch does not read: save it as "
        "UTF-8 (`iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.txt`)"
    ]


def test_a_document_pasted_twice_is_refused_in_a_short_line() -> None:
    text = EDITION_2018.read_text(encoding="utf-8")
    derived = derive_document(
        (text + "\n\n" + text).encode("utf-8"),
        name="twice.md",
        symbol="A/73/328",
        language="fr",
        kind="report",
        gate=False,
    )
    with pytest.raises(UnloadableDocument) as refused:
        check_paragraph_numbers(derived.report)
    message = str(refused.value)
    assert message.startswith("A/73/328 (fr): ")
    assert "paragraph number(s) repeated: 1, 2, 3, 4, 5, 6, 7, 8 and " in message
    assert len(message) < 120, message
