"""What `coopwatch parse FILE --json` prints, for the Typer command and the plain entry alike."""

from __future__ import annotations

import json
from pathlib import Path


def parse_as_json(file: Path, symbol: str | None, lang: str | None) -> str:
    """What `coopwatch parse FILE --json` prints: the file's derivation as indented JSON
    (no gate: it prints no verdict and stores nothing)."""
    from extractors.documents import derive_file, derived_as_dict

    derived = derive_file(file, symbol=symbol, language=lang, gate=False)
    return json.dumps(derived_as_dict(derived), ensure_ascii=False, indent=2)
