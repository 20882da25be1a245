"""YAML data files read with libyaml's safe loader where PyYAML has it (several times faster
than the pure-Python one, which start-up pays for every data file); one loader for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from common.errors import ReferenceDataError

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document, safely (no Python objects), as `yaml.safe_load` does."""
    return yaml.load(text, Loader=SAFE_LOADER)


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """A data file's top-level mapping (empty for an empty file); a file that is not YAML,
    or whose top level is not a mapping, is a `ReferenceDataError` naming it and the cause."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ReferenceDataError(str(path), None, f"invalid YAML ({error})") from error
    if not isinstance(data, dict):
        raise ReferenceDataError(str(path), None, "expected a mapping at the top level")
    return data
