"""The structure `coopwatch` reads from a real UN PDF, in the shape of `tests/golden/*.json`.

Shared by the golden test (`tests/test_real_pdfs.py`) and `make real-corpus`, so both compare
the same figures: body paragraph numbers with their start pages, headings as printed, parts
with their own numbering, and footnote numbers per calling paragraph or heading.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from extractors.derive import DerivedReport, DerivedResolution, derive_document
from extractors.model import Footnote, Report

PROJECT_DIR = Path(__file__).resolve().parent.parent
REAL_PDFS = PROJECT_DIR.parent / "shared" / "corpus" / "real_pdfs"
GOLDEN_DIR = PROJECT_DIR / "tests" / "golden"
# Furniture and footnote tokens that must never appear in body or heading text.
COMPARED = ("paragraphs", "headings", "footnotes", "parts")

# Documents not yet read exactly, each with what is still wrong (strict: a fix must
# move the document out of this list). tests/test_real_pdfs.py marks them as strict xfails;
# `make real-corpus` prints them as known and fails when one of them becomes exact.
NOT_YET: dict[str, str] = {}


def golden_files() -> list[Path]:
    """Every golden expectation, one per real PDF."""
    return sorted(GOLDEN_DIR.glob("*.json"))


def load_golden(path: Path) -> dict[str, Any]:
    """A golden file as written by reading the document."""
    return json.loads(path.read_text(encoding="utf-8"))


def derive_real(
    golden: dict[str, Any], folder: Path = REAL_PDFS
) -> DerivedReport | DerivedResolution:
    """Derive the golden's PDF as every command does, with the kind it states (telling a
    report from a resolution without hints is checked apart)."""
    path = folder / golden["file"]
    return derive_document(path.read_bytes(), name=path.name, kind=golden["kind"], gate=False)


def _footnote_key(note: Footnote) -> str | None:
    if note.heading is not None:
        return f"heading:{note.heading}"
    if note.paragraph is not None:
        return str(note.paragraph)
    return None


def _number(marker: str) -> int | str:
    return int(marker) if marker.isdecimal() else marker


def _footnotes(report: Report, part: str | None) -> dict[str, list[int | str]]:
    found: dict[str, list[int | str]] = {}
    for note in report.footnotes:
        key = _footnote_key(note)
        if key is not None and note.part == part:
            found.setdefault(key, []).append(_number(note.number))
    return found


def report_shape(report: Report) -> dict[str, Any]:
    """A parsed report as the golden files describe one."""
    return {
        "paragraphs": [[p.number, p.page] for p in report.paragraphs],
        "headings": list(report.headings),
        "footnotes": _footnotes(report, None),
        "parts": [
            {
                "title": part.title,
                "heading": part.heading,
                "first_page": part.first_page,
                "paragraphs": [[p.number, p.page] for p in part.paragraphs],
                "footnotes": _footnotes(report, part.title),
            }
            for part in report.parts
        ],
    }


def golden_shape(golden: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of a golden file."""
    return {
        "paragraphs": golden["body"]["paragraphs"],
        "headings": golden["body"]["headings"],
        "footnotes": golden["body"]["footnotes"],
        "parts": [
            {
                key: part[key]
                for key in ("title", "heading", "first_page", "paragraphs", "footnotes")
            }
            for part in golden.get("parts", [])
        ],
    }


def differences(golden: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between the golden and what was read, one line per field."""
    expected = golden_shape(golden)
    lines = []
    for key in COMPARED:
        if expected[key] != found[key]:
            lines.append(f"{key}: expected {_short(expected[key])}, read {_short(found[key])}")
    return lines


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 300 else text[:300] + "…"


_JOB_NUMBER = re.compile(r"(?<![\d-])\d{2}-\d{5}(?![\d])")
_BARCODE = re.compile(r"\*\d{7,}\*")
_MIN_QUOTED = 25


def stray_tokens(texts: list[str], golden: dict[str, Any], report: Any) -> list[str]:
    """Furniture tokens (the running symbol, job number, barcode, `n/N`), footnote bodies and
    captions found in body or heading texts, one line each."""
    pages = golden.get("pages")
    symbols = set(golden.get("masthead_symbols") or [golden["symbol"]])
    symbol_patterns = [re.compile(rf"(?<![\w/]){re.escape(s)}(?![\w/])") for s in symbols]
    page_of = re.compile(rf"(?<![\d/])\d{{1,3}}/{pages}(?![\d/])") if pages else None
    notes = [n.text for n in report.footnotes if len(n.text) >= _MIN_QUOTED]
    captions = [
        d.text for d in report.dropped if d.reason == "caption" and len(d.text) >= _MIN_QUOTED
    ]
    found: list[str] = []
    for text in texts:
        head = text[:60]
        if any(pattern.search(text) for pattern in symbol_patterns):
            found.append(f"running symbol in text: {head}")
        if _JOB_NUMBER.search(text):
            found.append(f"job number in text: {head}")
        if _BARCODE.search(text):
            found.append(f"barcode in text: {head}")
        if page_of is not None and page_of.search(text):
            found.append(f"page number n/N in text: {head}")
        found += [f"footnote body in text: {head}" for note in notes if note in text]
        found += [f"caption in text: {head}" for caption in captions if caption in text]
    return found
