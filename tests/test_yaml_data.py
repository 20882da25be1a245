"""The one YAML loader: the same data as PyYAML's safe loader on every bundled data file,
ready-made or parsed, never a stale ready-made copy, and no Python objects from a hostile
file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from common.errors import ReferenceDataError
from common.ready_made import ready_made_path
from common.yaml_data import load_yaml, load_yaml_file, load_yaml_mapping
from tests.bytecode_cache import PROJECT, fresh_starts, keep_bytecode_under

DATA_FILES = sorted(
    path
    for folder in ("extractors", "data", "flows")
    if (PROJECT / folder).is_dir()
    for path in (PROJECT / folder).rglob("*.yaml")
)


def test_there_are_data_files_to_compare() -> None:
    assert len(DATA_FILES) >= 5


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_load_yaml_reads_each_data_file_as_the_safe_loader_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)


def test_load_yaml_refuses_python_objects() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")


def test_a_data_file_that_is_not_a_mapping_or_not_yaml_names_itself(tmp_path: Path) -> None:
    listed = tmp_path / "listed.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="listed.yaml.*mapping at the top level"):
        load_yaml_mapping(listed)
    with pytest.raises(ReferenceDataError, match="broken.yaml.*invalid YAML"):
        load_yaml_mapping(broken)
    assert load_yaml_mapping(empty) == {}


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_each_data_file_reads_the_same_ready_made(path: Path, writes_ready_made: Path) -> None:
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert load_yaml_file(path) == expected  # parsed, and the copy written
    copy = ready_made_path(path)
    assert copy.is_relative_to(writes_ready_made) and copy.is_file()
    assert load_yaml_file(path) == expected  # from the copy


def test_a_changed_file_is_read_again_not_from_its_copy(
    tmp_path: Path, writes_ready_made: Path
) -> None:
    data = tmp_path / "words.yaml"
    data.write_text("en: [annex]\n", encoding="utf-8")
    assert load_yaml_file(data) == {"en": ["annex"]}
    assert ready_made_path(data).is_file()
    data.write_text("en: [annexe]\n", encoding="utf-8")  # same length, other text
    assert load_yaml_file(data) == {"en": ["annexe"]}
    data.write_text("en: [annex, enclosure]\n", encoding="utf-8")
    assert load_yaml_file(data) == {"en": ["annex", "enclosure"]}


def test_a_damaged_or_foreign_copy_is_ignored(tmp_path: Path, writes_ready_made: Path) -> None:
    data = tmp_path / "words.yaml"
    data.write_text("en: [annex]\n", encoding="utf-8")
    copy = ready_made_path(data)
    copy.parent.mkdir(parents=True)
    for content in (b"", b"\x00garbage", b"\xe3\x00\x00\x00"):
        copy.write_bytes(content)
        assert load_yaml_file(data) == {"en": ["annex"]}


def test_dates_are_kept_ready_made_too(tmp_path: Path, writes_ready_made: Path) -> None:
    data = tmp_path / "dated.yaml"
    data.write_text("issued: 2024-08-02\n", encoding="utf-8")
    assert str(load_yaml_file(data)["issued"]) == "2024-08-02"
    assert ready_made_path(data).is_file()
    assert str(load_yaml_file(data)["issued"]) == "2024-08-02"


def test_no_copy_is_written_where_bytecode_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_bytecode_under(monkeypatch, tmp_path / "cache", written=False)
    data = tmp_path / "words.yaml"
    data.write_text("en: [annex]\n", encoding="utf-8")
    assert load_yaml_file(data) == {"en": ["annex"]}
    assert not (tmp_path / "cache").exists()


def test_a_read_only_cache_folder_still_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would be", encoding="utf-8")
    keep_bytecode_under(monkeypatch, blocker)
    data = tmp_path / "words.yaml"
    data.write_text("en: [annex]\n", encoding="utf-8")
    assert load_yaml_file(data) == {"en": ["annex"]}


def test_a_parse_with_ready_made_data_imports_no_yaml(tmp_path: Path) -> None:
    """The second start of a command reads the data files without PyYAML (what the copies
    are for)."""
    script = (
        "import sys\n"
        "from extractors.readers.page_words import page_words\n"
        "from extractors.masthead import words\n"
        "page_words(); words()\n"
        "print('yaml' in sys.modules)\n"
    )
    runs = [printed.strip() for printed in fresh_starts(script, tmp_path)]
    assert runs == ["True", "False"]
