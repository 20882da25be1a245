"""YAML data files, read with libyaml's safe loader where PyYAML has it, and kept ready-made
(`common.ready_made`): once a file's copy is made, a command reads it without importing
PyYAML or parsing the file again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from common.errors import ReferenceDataError
from common.ready_made import ready_made


def safe_loader() -> Any:
    """PyYAML's safe loader, libyaml's where built (several times faster than the pure-Python
    one); PyYAML is imported on first use, when some file's text must be parsed."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data of one YAML document, safely (no Python objects), as `yaml.safe_load` does."""
    import yaml

    return yaml.load(text, Loader=safe_loader())


def load_yaml_file(path: Path) -> Any:
    """The data of a YAML file, from its ready-made copy while the file is unchanged (YAML
    errors and unreadable files raise as `load_yaml` and `read_text` do)."""
    return ready_made(path.name, [path], lambda: load_yaml(path.read_text(encoding="utf-8")))


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """A data file's top-level mapping (empty for an empty file); a file that is not YAML,
    or whose top level is not a mapping, is a `ReferenceDataError` naming it and the cause."""
    try:
        data = load_yaml_file(path) or {}
    except Exception as error:
        if not is_yaml_error(error):
            raise
        raise ReferenceDataError(str(path), None, f"invalid YAML ({error})") from error
    if not isinstance(data, dict):
        raise ReferenceDataError(str(path), None, "expected a mapping at the top level")
    return data


def is_yaml_error(error: BaseException) -> bool:
    """True for PyYAML's errors (PyYAML is imported only when a file is parsed, so only then
    can one be raised)."""
    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(error, yaml.YAMLError)
