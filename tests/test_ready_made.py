"""Values kept ready-made: built once, then read while every source is byte for byte the
same; built again when any source changes or the copy is damaged; never written where
bytecode is not; the bundled reference data and matchers ready-made equal those built anew."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.ready_made import ready_made, ready_made_path
from extractors.enrich.matchers import Matcher, matcher_for
from extractors.enrich.reference_data import REFERENCE_DIR, _load, _load_bundled, load_reference
from extractors.report.report_parser import parse_report_bytes
from tests.bytecode_cache import keep_bytecode_under
from tests.conftest import EDITION_2018, EDITION_2022


class Builder:
    """Counts its builds; builds the sources' joined text."""

    def __init__(self, sources: list[Path]) -> None:
        self.sources = sources
        self.builds = 0

    def __call__(self) -> str:
        self.builds += 1
        return "+".join(source.read_text(encoding="utf-8") for source in self.sources)


def test_built_once_then_read_until_a_source_changes(
    tmp_path: Path, writes_ready_made: Path
) -> None:
    data, module = tmp_path / "names.csv", tmp_path / "loader.py"
    data.write_text("AU,African Union\n", encoding="utf-8")
    module.write_text("VERSION = 1\n", encoding="utf-8")
    build = Builder([data, module])
    for _ in range(3):
        assert ready_made("names", [data, module], build) == "AU,African Union\n+VERSION = 1\n"
    assert build.builds == 1
    assert ready_made_path(tmp_path / "names").is_relative_to(writes_ready_made)

    module.write_text("VERSION = 2\n", encoding="utf-8")  # the code that builds it changed
    assert ready_made("names", [data, module], build).endswith("VERSION = 2\n")
    data.write_text("AU,Union africaine\n", encoding="utf-8")  # same length, other bytes
    assert ready_made("names", [data, module], build).startswith("AU,Union africaine")
    assert build.builds == 3


def test_a_damaged_copy_is_built_again(tmp_path: Path, writes_ready_made: Path) -> None:
    data = tmp_path / "names.csv"
    data.write_text("AU\n", encoding="utf-8")
    build = Builder([data])
    ready_made("names", [data], build)
    for damaged in (b"", b"\x80\x05garbage", b"not a pickle"):
        ready_made_path(tmp_path / "names").write_bytes(damaged)
        assert ready_made("names", [data], build) == "AU\n"
    assert build.builds == 4


def test_nothing_is_written_where_bytecode_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_bytecode_under(monkeypatch, tmp_path / "cache", written=False)
    data = tmp_path / "names.csv"
    data.write_text("AU\n", encoding="utf-8")
    build = Builder([data])
    ready_made("names", [data], build)
    ready_made("names", [data], build)
    assert build.builds == 2
    assert not (tmp_path / "cache").exists()


def test_a_value_pickle_cannot_hold_is_built_each_time(
    tmp_path: Path, writes_ready_made: Path
) -> None:
    data = tmp_path / "names.csv"
    data.write_text("AU\n", encoding="utf-8")
    assert ready_made("names", [data], lambda: lambda: "AU")() == "AU"
    assert not ready_made_path(tmp_path / "names").exists()


def test_a_missing_source_lets_the_builder_say_so(tmp_path: Path, writes_ready_made: Path) -> None:
    missing = tmp_path / "names.csv"
    with pytest.raises(FileNotFoundError, match="names.csv"):
        ready_made("names", [missing], lambda: missing.read_text(encoding="utf-8"))


def test_the_bundled_reference_data_ready_made_is_what_its_files_give(
    writes_ready_made: Path,
) -> None:
    _load_bundled.cache_clear()
    try:
        made = _load_bundled()  # built and kept
        _load_bundled.cache_clear()
        assert _load_bundled() == made == _load(REFERENCE_DIR)  # read from the copy
        assert ready_made_path(REFERENCE_DIR / "reference_data").is_file()
    finally:
        _load_bundled.cache_clear()


ENGLISH = [
    "The African Union Mission in Somalia (AMISOM) and UNSOS worked with IGAD on peace and "
    "security, health and climate change.",
    "The Commission of the African Union and the European Union's EULEX met the OSCE.",
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_ready_made_matcher_finds_what_a_new_one_finds(
    language: str, writes_ready_made: Path
) -> None:
    reference = load_reference()
    matcher_for.cache_clear()
    try:
        matcher_for(reference, language)  # built and kept
        matcher_for.cache_clear()
        kept = matcher_for(reference, language)  # read from the copy
        assert ready_made_path(REFERENCE_DIR / f"matcher_{language}").is_file()
    finally:
        matcher_for.cache_clear()
    fresh = Matcher(reference, language)
    texts = ENGLISH + [
        paragraph.text
        for edition in (EDITION_2018, EDITION_2022)
        for paragraph in parse_report_bytes(edition.read_bytes(), name=edition.name).paragraphs
    ]
    for text in texts:
        assert kept.mentions(text) == fresh.mentions(text)
        assert kept.areas(text) == fresh.areas(text)
        assert kept.heading_organizations(text[:80]) == fresh.heading_organizations(text[:80])
