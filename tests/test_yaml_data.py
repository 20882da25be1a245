"""The one YAML loader: the same data as PyYAML's safe loader on every bundled data file,
and no Python objects from a hostile file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from common.errors import ReferenceDataError
from common.yaml_data import load_yaml, load_yaml_mapping

PROJECT = Path(__file__).resolve().parent.parent
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
