"""YAML data files, read with libyaml's safe loader where PyYAML has it, and kept ready-made
beside Python's bytecode: a command that starts often (`coopwatch parse` on one file) would
otherwise spend more on importing PyYAML and parsing its data files than on the document.

The ready-made copy is the file's data in `marshal` form, in the `__pycache__` folder Python
uses for the file's folder (or under PYTHONPYCACHEPREFIX), with the exact text it was made
from: it is used only while the file's text is the same, and written only where Python
would write bytecode (not under PYTHONDONTWRITEBYTECODE, not where the folder is read-only).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any

from common.errors import ReferenceDataError

_FORMAT = "coopwatch-yaml-1"


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
    """The data of a YAML file, from its ready-made copy while the file's text is unchanged
    (YAML errors and unreadable files raise as `load_yaml` and `read_text` do)."""
    text = path.read_text(encoding="utf-8")
    copy = ready_made_path(path)
    found = _read_copy(copy, text)
    if found is not None:
        return found[0]
    data = load_yaml(text)
    if not sys.dont_write_bytecode:
        _write_copy(copy, text, data)
    return data


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


def ready_made_path(path: Path) -> Path:
    """Where the ready-made copy of a data file lives: beside the bytecode Python would write
    for a module of the same name (`__pycache__/areas.yaml.cpython-311.marshal`)."""
    return Path(cache_from_source(f"{path}.py")).with_suffix(".marshal")


def _read_copy(copy: Path, text: str) -> tuple[Any] | None:
    """The copy's data in a 1-tuple when it was made from exactly `text`, else None."""
    try:
        made = marshal.loads(copy.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(made, tuple) and len(made) == 3 and made[:2] == (_FORMAT, text)):
        return None
    return (made[2],)


def _write_copy(copy: Path, text: str, data: Any) -> None:
    """Write the ready-made copy atomically; data marshal cannot hold (dates) or a folder that
    cannot be written leaves none, and the file is parsed each time."""
    try:
        content = marshal.dumps((_FORMAT, text, data))
    except ValueError:
        return
    if marshal.loads(content)[2] != data:
        return
    temporary = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content)
        os.replace(temporary, copy)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
