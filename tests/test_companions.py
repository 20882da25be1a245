"""How an edition's corrigenda and addenda are named, and which refs a run fetches for them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from common.errors import NotASymbol
from extractors.fetch.sources import DocumentRef
from flows.cli import app
from pipeline.edition_planning import companion_refs
from warehouse.load.companion_rows import StoredCompanion, companion_kind, companion_sentences

runner = CliRunner()


def _stored(symbol: str, edition: str) -> StoredCompanion:
    return StoredCompanion(symbol, (symbol,), edition, companion_kind(symbol), ("fr",), "run-1")


def test_sentences_name_each_edition_and_kind_once() -> None:
    companions = [
        _stored("A/77/277/Corr.1", "A/77/277"),
        _stored("A/77/277/Corr.2", "A/77/277"),
        _stored("A/79/302/Add.1", "A/79/302"),
        _stored("A/79/302/Rev.1", "A/79/302"),
    ]
    assert companion_sentences(companions) == [
        "A/77/277 has 2 corrigenda (A/77/277/Corr.1, A/77/277/Corr.2)",
        "A/79/302 has an addendum (A/79/302/Add.1)",
        "A/79/302 has a revision (A/79/302/Rev.1)",
    ]
    assert companion_sentences(companions[:1] * 2) == [
        "A/77/277 has a corrigendum (A/77/277/Corr.1)"
    ]


def test_companions_are_fetched_in_their_editions_languages_only() -> None:
    editions = [
        DocumentRef(("A/77/277", "S/2022/606"), "fr"),
        DocumentRef(("A/77/277", "S/2022/606"), "en"),
        DocumentRef(("A/73/328", "S/2018/592"), "fr"),
    ]
    refs = companion_refs(
        ["A/77/277/Corr.1-S/2022/606/Corr.1", "A/81/150/Add.1", "not a symbol", "A/77/277/Corr.1"],
        editions,
    )
    assert [(ref.symbols, ref.language) for ref in refs] == [
        (("A/77/277/Corr.1", "S/2022/606/Corr.1"), "fr"),
        (("A/77/277/Corr.1", "S/2022/606/Corr.1"), "en"),
    ]


def test_editions_add_and_list_keep_a_corrigendum_apart(tmp_path) -> None:
    added = runner.invoke(
        app, ["editions", "add", "A/77/277/Corr.1-S/2022/606/Corr.1", "--data-dir", str(tmp_path)]
    )
    assert added.exit_code == 0, added.output
    assert "companion of A/77/277" in added.output
    listed = runner.invoke(app, ["editions", "list", "--data-dir", str(tmp_path)])
    lines = listed.output.splitlines()
    assert lines[-1] == "A/77/277/Corr.1-S/2022/606/Corr.1\t-\tcompanion of A/77/277"
    assert [line for line in lines if "Corr" in line] == lines[-1:]


def test_a_plain_symbol_is_no_companion() -> None:
    with pytest.raises(NotASymbol, match="not a companion"):
        companion_kind("A/77/277-S/2022/606")
