"""Data built from files, kept ready-made beside Python's bytecode: a command that starts often
(`coopwatch parse` on one file) would otherwise spend more on importing PyYAML, reading and
checking its reference files than on the document it reads.

The ready-made copy is the built value pickled with the exact bytes of every file it was
built from (the data files and the module that builds it), in the `__pycache__` folder
Python uses for the first file's folder, or under PYTHONPYCACHEPREFIX. It is used only while
every one of those files is byte for byte the same, and written only where Python writes
bytecode (not under PYTHONDONTWRITEBYTECODE, not where the folder is read-only). It is as
trusted as the bytecode beside it, which Python runs.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
from collections.abc import Callable, Sequence
from importlib.util import cache_from_source
from pathlib import Path
from typing import TypeVar

from common.atomic_write import write_atomically

_Value = TypeVar("_Value")
_FORMAT = "coopwatch-ready-made-1"


def ready_made(name: str, sources: Sequence[Path], build: Callable[[], _Value]) -> _Value:
    """`build()`, or the value an earlier run built from the same bytes of `sources`.

    `name` names the copy (unique in the first source's folder). A source that cannot be read
    lets `build` run, which then raises its own error naming the file.
    """
    try:
        contents = [source.read_bytes() for source in sources]
    except OSError:
        return build()
    copy = ready_made_path(sources[0].parent / name)
    found = _read_copy(copy, contents)
    if found is not None:
        return found[0]
    value = build()
    if not sys.dont_write_bytecode:
        _write_copy(copy, contents, value)
    return value


def ready_made_path(stand_in: Path) -> Path:
    """Where the copy named by `stand_in` lives: beside the bytecode Python would write for a
    module of that name (`__pycache__/areas.yaml.cpython-311.pickle`)."""
    return Path(cache_from_source(f"{stand_in}.py")).with_suffix(".pickle")


def _read_copy(copy: Path, contents: list[bytes]) -> tuple[object] | None:
    """The copy's value in a 1-tuple when it was built from exactly `contents`, else None."""
    try:
        made = pickle.loads(copy.read_bytes())
    except Exception:  # a damaged copy, or one of classes since changed: built again
        return None
    if not (isinstance(made, tuple) and len(made) == 3 and made[:2] == (_FORMAT, contents)):
        return None
    return (made[2],)


def _write_copy(copy: Path, contents: list[bytes], value: object) -> None:
    """Write the copy atomically; a value pickle cannot hold or a folder that cannot be
    written leaves none, and the value is built each time."""
    try:
        content = pickle.dumps((_FORMAT, contents, value), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    with contextlib.suppress(OSError):
        write_atomically(copy, content)
