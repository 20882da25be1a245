"""What `coopwatch parse FILE` prints, for the Typer command and the plain entry alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def parsed_data(file: Path, symbol: str | None, lang: str | None) -> dict[str, Any]:
    """The file's derivation as `parse` prints it (no gate: `parse` prints no verdict and
    stores nothing)."""
    from extractors.documents import derive_file, derived_as_dict

    return derived_as_dict(derive_file(file, symbol=symbol, language=lang, gate=False))


def parse_as_json(file: Path, symbol: str | None, lang: str | None) -> str:
    """What `coopwatch parse FILE --json` prints: the derivation as indented JSON."""
    return json.dumps(parsed_data(file, symbol, lang), ensure_ascii=False, indent=2)
