"""The report parser's version: the code's version joined with a hash of the data it parses
and enriches with (the reference files and the series file), so editing `areas.yaml` or an
alias list changes the version and the next run re-derives every loaded edition by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from extractors.enrich.reference_data import REFERENCE_DIR
from extractors.report.series import SERIES_FILE

# Raise when the parser's code changes what it derives; data changes need no hand bump.
CODE_VERSION = "report-2.1"
# The README explains the files; it changes no derived row.
NOT_DATA = frozenset({"README.md"})


def data_files(reference_dir: Path = REFERENCE_DIR, series_file: Path = SERIES_FILE) -> list[Path]:
    """The files a derivation depends on besides the code, in a fixed order."""
    files = [path for path in sorted(reference_dir.iterdir()) if path.is_file()]
    return [path for path in files if path.name not in NOT_DATA] + [series_file]


def data_digest(files: Iterable[Path]) -> str:
    """A short hash of the files' names and bytes (12 hex digits)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def parser_version(
    code_version: str = CODE_VERSION,
    reference_dir: Path = REFERENCE_DIR,
    series_file: Path = SERIES_FILE,
) -> str:
    """The version written on every derived row, e.g. 'report-1.1+data.3f2a9c0d1b7e'."""
    return f"{code_version}+data.{data_digest(data_files(reference_dir, series_file))}"
