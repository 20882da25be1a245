"""Which language a command works on when none is asked for: the one the warehouse holds,
and a note saying which when it holds several, so no command assumes French."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from warehouse.db.schema import connect
from warehouse.load.read_back import loaded_languages

# Where both are loaded, English first: most readers of the report read it in English.
PREFERRED = ("en", "fr")


@dataclass(frozen=True)
class LanguageChoice:
    """The language chosen, the languages it was chosen among, and a note for the user
    when there was a choice to make (None otherwise)."""

    language: str
    loaded: tuple[str, ...]
    note: str | None = None


def choose_language(
    db_path: Path, requested: str | None, symbols: Sequence[str] = ()
) -> LanguageChoice:
    """`requested` if given; else the language in which `symbols` (or any report) are
    loaded, the preferred one with a note when there are several."""
    loaded = tuple(_loaded(db_path, tuple(symbols)))
    if requested:
        return LanguageChoice(requested, loaded)
    if not loaded:
        # Nothing loaded: the command's own error names what is missing; French was the
        # only language before, so its messages stay as they were.
        return LanguageChoice(PREFERRED[-1], loaded)
    if len(loaded) == 1:
        return LanguageChoice(loaded[0], loaded)
    chosen = next((language for language in PREFERRED if language in loaded), loaded[0])
    others = ", ".join(f"--lang {language}" for language in loaded if language != chosen)
    what = " and ".join(symbols) if symbols else "editions"
    note = f"{what} loaded in {', '.join(loaded)}: showing {chosen} ({others} for the other)"
    return LanguageChoice(chosen, loaded, note)


def _loaded(db_path: Path, symbols: tuple[str, ...]) -> list[str]:
    """Languages holding every one of `symbols` (if none holds them all, any report)."""
    if not Path(db_path).exists():
        return []
    con = connect(db_path, read_only=True)
    try:
        return loaded_languages(con, symbols) or loaded_languages(con)
    finally:
        con.close()
