"""Regular expressions kept compiled between runs: the large generated ones (the phrase
automata of the matchers, the masthead's word lists, the symbol grammar) cost more to
compile on each start of a short command than the command's own work.

`ready_compile` gives the same `re.Pattern` as `re.compile`. CPython compiles a pattern in
Python (parse, then the matcher's code as a list of integers) and hands that code to its C
engine; the code is kept here, per pattern and flags, in one `marshal` file beside Python's
bytecode for this module (or under PYTHONPYCACHEPREFIX), and handed to the engine directly
on the next start. The file is stamped with the Python version and the engine's magic
number, read only when both match, and written, at exit, only where Python writes bytecode.
Any other interpreter, or a missing internal, compiles with `re.compile`.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import re
import sys
from importlib.util import cache_from_source
from pathlib import Path
from typing import Any

from common.atomic_write import write_atomically

try:  # CPython's own engine and compiler; elsewhere every pattern goes through re.compile.
    import _sre
    from re import _compiler, _parser

    _STAMP: tuple[Any, ...] | None = (
        "coopwatch-patterns-1",
        sys.implementation.cache_tag,
        _sre.MAGIC,
        _sre.CODESIZE,
    )
except (ImportError, AttributeError):  # pragma: no cover (other interpreters)
    _STAMP = None

# Patterns kept at most: the store is rewritten with only this run's when it grows past it
# (a long-lived installation whose reference data changed many times).
MAX_KEPT = 4000
_Key = tuple[str, int]
_Compiled = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


class PatternStore:
    """The patterns' compiled code, read from the file at first use, written back at exit
    when this run compiled new ones."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[_Key, _Compiled] | None = None
        self.added: dict[_Key, _Compiled] = {}

    def get(self, key: _Key) -> _Compiled | None:
        """A pattern's kept code (the file is read at the first call), or None."""
        if self.known is None:
            self.known = self._read()
            if not sys.dont_write_bytecode:
                atexit.register(self.write)
        return self.known.get(key)

    def add(self, key: _Key, compiled: _Compiled) -> None:
        """Keep a pattern compiled in this run (written at exit)."""
        self.added[key] = compiled

    def forget(self, key: _Key) -> None:
        """Drop a kept pattern the engine refused (it is compiled again and kept anew)."""
        if self.known is not None:
            self.known.pop(key, None)

    def _read(self) -> dict[_Key, _Compiled]:
        try:
            stamp, patterns = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return patterns if stamp == _STAMP and isinstance(patterns, dict) else {}

    def write(self) -> None:
        """Write the known and the new patterns atomically (nothing when none is new)."""
        if not self.added or self.known is None:
            return
        kept = self.known if len(self.known) + len(self.added) <= MAX_KEPT else {}
        content = marshal.dumps((_STAMP, {**kept, **self.added}))
        with contextlib.suppress(OSError):  # a folder that cannot be written keeps none
            write_atomically(self.path, content)
        self.known.update(self.added)
        self.added = {}


def store_path() -> Path:
    """The file of kept patterns: beside this module's bytecode."""
    return Path(cache_from_source(__file__)).with_suffix(".patterns.marshal")


_STORE = PatternStore(store_path())


def ready_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from its kept code when an earlier run compiled it."""
    if _STAMP is None:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    kept = _STORE.get(key)
    if kept is not None:
        try:
            return _sre.compile(pattern, *kept)
        except (TypeError, ValueError, RuntimeError):
            _STORE.forget(key)
    compiled = compiled_code(pattern, int(flags))
    _STORE.add(key, compiled)
    return _sre.compile(pattern, *compiled)


def compiled_code(pattern: str, flags: int) -> _Compiled:
    """What CPython's `re._compiler.compile` hands its engine for `pattern`: the flags, the
    code, the group count and the group names both ways (plain ints, for `marshal`)."""
    if flags & re.DEBUG:
        raise ValueError("re.DEBUG prints while compiling; use re.compile")
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    names = dict(parsed.state.groupdict)
    index: list[str | None] = [None] * parsed.state.groups
    for name, number in names.items():
        index[number] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, names, tuple(index)
