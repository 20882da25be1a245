"""The editions shipped in `corpus/`, described by `corpus/manifest.yaml`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from common.errors import CoopWatchError
from common.settings import read_path
from common.yaml_data import load_yaml
from extractors.fetch.local_file import read_local_file

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"


@dataclass(frozen=True)
class BundledEdition:
    """One shipped edition: its symbols, language, year and file."""

    symbols: tuple[str, ...]
    language: str
    year: int
    path: Path
    text_format: str

    @property
    def symbol(self) -> str:
        """The edition's first (main) symbol."""
        return self.symbols[0]

    def read(self) -> tuple[bytes, str]:
        """The file's bytes and their sha256."""
        data = read_local_file(self.path)
        return data, hashlib.sha256(data).hexdigest()


def corpus_dir_in_use() -> Path:
    """The corpus folder: `$COOPWATCH_CORPUS` (a mirror or a generated corpus) or `corpus/`."""
    return read_path("COOPWATCH_CORPUS", CORPUS_DIR)


def bundled_editions(corpus_dir: Path | None = None) -> list[BundledEdition]:
    """The editions listed in the manifest, oldest first."""
    corpus_dir = corpus_dir or corpus_dir_in_use()
    manifest = corpus_dir / "manifest.yaml"
    try:
        entries = load_yaml(manifest.read_text(encoding="utf-8"))["editions"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        raise CoopWatchError(f"{manifest}: cannot read the bundled editions ({error})") from None
    editions = [
        BundledEdition(
            symbols=tuple(entry["symbols"]),
            language=entry["language"],
            year=int(entry["year"]),
            path=corpus_dir / entry["file"],
            text_format=entry["format"],
        )
        for entry in entries
    ]
    return sorted(editions, key=lambda e: e.year)
