"""Line classification shared by the text readers: headings, paragraph starts, furniture.

Report layout is the same whatever produced the text, so the patterns live here once.
"""

from __future__ import annotations

import re

CHAPTER_HEADING = re.compile(r"^([IVXL]{1,6})\.\s+(\S.*)$")
LETTERED_HEADING = re.compile(r"^([A-H])\.\s+(\S.*)$")
NUMBERED_START = re.compile(r"^(\d+)\.\s+(\S.*)$")
URL_LINE = re.compile(r"^https?://\S+$")
SYMBOL_LINE = re.compile(r"^[AES]/(?:RES/)?\d+/\d+(?:/[A-Za-z0-9.]+)*(?:\s*\*)?$")
# A job number as footers print it: `22-12374`, a reissue's `22-12374*`, a mark `(F)`.
_JOB = r"\d{2}-\d{5}\*?(?:\s*\([A-Z]{1,2}\))?"
JOB_AND_PAGE = re.compile(rf"^(?:({_JOB})\s+)?(\d{{1,4}})/(\d{{1,4}})(?:\s+({_JOB}))?$")
JOB_ONLY = re.compile(rf"^{_JOB}$")
_SYMBOL_FIRST = frozenset("AES")
TERMINAL = tuple(".;:!?»”…") + (".)", ".»")
HEADING_MAX_CHARS = 180


def furniture_reason(line: str) -> str | None:
    """Why a stripped line is page furniture (running header or footer), or None."""
    # Every body line is asked: look at the first characters before any pattern.
    first = line[:1]
    if first.isdecimal():
        if JOB_AND_PAGE.match(line):
            return "footer (job number and page)"
        if JOB_ONLY.match(line):
            return "footer (job number)"
    elif first in _SYMBOL_FIRST and line[1:2] == "/" and SYMBOL_LINE.match(line):
        return "running header (document symbol)"
    return None


def page_from_footer(line: str) -> int | None:
    """The page number printed in a footer such as `22-12374 4/25`, if any."""
    match = JOB_AND_PAGE.match(line)
    return int(match.group(2)) if match else None


def ends_sentence(text: str) -> bool:
    """True when `text` ends like a finished sentence or clause list."""
    return text.rstrip().endswith(TERMINAL)


def looks_like_chapter_heading(text: str) -> bool:
    """A roman-numbered line such as `III. Coopération … ; coopération …` (long titles allowed)."""
    text = text.strip()
    return bool(CHAPTER_HEADING.match(text)) and len(text) <= 400 and not text.endswith(".")


def looks_like_heading(text: str) -> bool:
    """A short line that starts with a capital and ends without sentence punctuation."""
    text = text.strip()
    if not text or len(text) > HEADING_MAX_CHARS:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() and CHAPTER_HEADING.match(text)):
        return False
    return not text.endswith((".", ";", ":", ",", "!", "?", "»", ")", "…")) or bool(
        re.search(r"\([A-Z][A-Za-z-]{1,12}\)$", text)
    )
