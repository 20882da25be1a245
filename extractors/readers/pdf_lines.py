"""The lines of a PDF page built from PDFium's characters, each with its type.

PDFium's own line breaks split a line at a superscript or a tab stop and join two lines at
a soft hyphen; UN pages need the type (size, weight, raised small figures) of every run to
tell footnotes, markers, captions and headings apart, so lines are rebuilt here from the
characters: same baseline, left to right, small raised runs kept apart as `raised`.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_BOLD_WEIGHT = 600
# A run this much smaller than its line and raised above its baseline is a superscript.
_SMALL = 0.8
_RAISED = 1.0
_SOFT_HYPHEN = "\ufffe"
# Across a line break of PDFium's text, glyphs this far apart (share of the size) are words.
_BROKEN_GAP = 0.2
_SKIP = frozenset("\r\n\x00\ufeff")
_MARKER_CHARS = frozenset("0123456789*,†‡")


@dataclass(frozen=True)
class Run:
    """Characters of one style on one line: text, left and right edge, size, bold, raised."""

    text: str
    left: float
    right: float
    size: float
    bold: bool
    raised: bool = False


@dataclass(frozen=True)
class StyledLine:
    """A line of a page: its runs left to right, baseline, and the style of most of it."""

    runs: tuple[Run, ...]
    baseline: float
    page: int
    # Printed turned a quarter on an upright page (a chart's axis label, a margin note).
    turned: bool = False

    @property
    def text(self) -> str:
        """The line's text, superscripts included where they sit."""
        return _join(self.runs)

    @property
    def plain(self) -> str:
        """The line's text without its raised small runs (footnote markers)."""
        return _join(run for run in self.runs if not run.raised)

    @property
    def left(self) -> float:
        """Where the line starts on the page."""
        return self.runs[0].left

    @property
    def right(self) -> float:
        """Where the line ends on the page."""
        return self.runs[-1].right

    @property
    def size(self) -> float:
        """The size most of the line's letters are set in."""
        sizes: Counter[float] = Counter()
        for run in self.runs:
            if not run.raised:
                sizes[run.size] += len(run.text.strip())
        return sizes.most_common(1)[0][0] if sizes else self.runs[0].size

    @property
    def bold(self) -> bool:
        """True when most of the line's letters are bold."""
        weight = Counter()
        for run in self.runs:
            if not run.raised:
                weight[run.bold] += len(run.text.strip())
        return weight[True] > weight[False]

    @property
    def first_bold(self) -> bool:
        """True when the line's first word is bold (a run-in heading or a bold lead)."""
        return next((run.bold for run in self.runs if run.text.strip()), False)


def _join(runs: object) -> str:
    out = ""
    for run in runs:  # type: ignore[attr-defined]
        out += run.text
    return " ".join(out.split())


@dataclass(frozen=True)
class PageLines:
    """One page: its number (1-based), size, rotation and lines top to bottom."""

    number: int
    width: float
    height: float
    rotation: int
    lines: tuple[StyledLine, ...]


def _unchecked(function: ctypes._CFuncPtr) -> ctypes._CFuncPtr:
    """The PDFium entry point without per-argument ctypes conversion (see `pdf.py`)."""
    return type(function)(ctypes.cast(function, ctypes.c_void_p).value)


_BOX, _ORIGIN, _WEIGHT = (
    _unchecked(function)
    for function in (
        pdfium_c.FPDFText_GetCharBox,
        pdfium_c.FPDFText_GetCharOrigin,
        pdfium_c.FPDFText_GetFontWeight,
    )
)
_SIZE = pdfium_c.FPDFText_GetFontSize
_ANGLE = pdfium_c.FPDFText_GetCharAngle
_QUARTER = math.pi / 2
_ANGLE_TOLERANCE = 0.1


def _bold_by_name(raw: object, index: int) -> bool:
    """Bold from the font's name, for fonts that state no weight (the standard 14)."""
    size = pdfium_c.FPDFText_GetFontInfo(raw, index, None, 0, None)
    if size <= 0:
        return False
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, size, None)
    font = buffer.value.decode("utf-8", "replace").lower()
    return "bold" in font or "black" in font or "heavy" in font


# Some producers set type at size 1 and scale it with the text matrix.
_SCALED_SIZE = 3.0


def _scaled_size(raw: object, index: int, size: float) -> float:
    """The size a character is printed at, its font size times its matrix's scale."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix)):
        return size
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return round(size * scale, 1) if scale > 0 else size


@dataclass
class _Char:
    text: str
    left: float
    right: float
    y: float
    size: float
    bold: bool
    # True after a space, None after a line break of PDFium's text, False otherwise.
    space_before: bool | None = False


def _end_with_hyphen_mark(char: str, chars: list[_Char]) -> None:
    """PDFium's mark for a compound's hyphen at a line end may have no glyph box: it ends the
    line of the character before it, kept as the mark so that the line join keeps the hyphen
    ("highest\ufffe" + "profile" is "highest-profile"); any other boxless character is
    left out."""
    if char == _SOFT_HYPHEN and chars:
        chars.append(replace(chars[-1], text=_SOFT_HYPHEN, space_before=False))


def styled_lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> PageLines:
    """The styled lines of a page, top to bottom."""
    raw = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = tuple(map(ctypes.byref, (left, right, bottom, top)))
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    width, height = page.get_width(), page.get_height()
    # Some text is printed turned a quarter: the side-set header and footer of a landscape
    # page (sometimes all its text), the axis labels of a chart. Such characters are turned
    # back and make lines of their own.
    chars: list[_Char] = []
    side: list[_Char] = []
    space: bool | None = False
    for index in range(min(count, len(text))):
        char = text[index]
        if char in _SKIP:
            # A line break in PDFium's text: a space only where the glyphs stand apart.
            space = space or None
            continue
        if char.isspace():
            space = True
            continue
        if not _BOX(raw, index, *refs):
            _end_with_hyphen_mark(char, chars)
            continue
        size = _SIZE(raw, index)
        if size < _SCALED_SIZE:
            size = _scaled_size(raw, index, size)
        has_origin = _ORIGIN(raw, index, x_ref, y_ref)
        weight = _WEIGHT(raw, index)
        bold = weight >= _BOLD_WEIGHT if weight > 0 else _bold_by_name(raw, index)
        angle = _ANGLE(raw, index)
        if abs(angle - _QUARTER) < _ANGLE_TOLERANCE:
            # Read top to bottom: the line runs down the page, its top to the right.
            baseline = x.value if has_origin else right.value
            side.append(
                _Char(char, height - top.value, height - bottom.value, baseline, size, bold, space)
            )
        elif abs(angle - 3 * _QUARTER) < _ANGLE_TOLERANCE:
            baseline = width - (x.value if has_origin else left.value)
            side.append(_Char(char, bottom.value, top.value, baseline, size, bold, space))
        else:
            baseline = y.value if has_origin else bottom.value
            chars.append(_Char(char, left.value, right.value, baseline, size, bold, space))
        space = False
    if width > height and len(side) > len(chars):
        # A landscape page printed mostly turned: its bands are its left and right edges.
        width, height = height, width
        lines = _group_lines(side + chars, number)
    else:
        lines = _group_lines(chars, number) + [
            replace(line, turned=True) for line in _group_lines(side, number)
        ]
    return PageLines(
        number=number,
        width=width,
        height=height,
        rotation=page.get_rotation(),
        lines=tuple(lines),
    )


def _group_lines(chars: list[_Char], number: int) -> list[StyledLine]:
    """Characters sharing a baseline make one line; raised small ones join the line below."""
    visible = [char for char in chars if char.text != " "]
    if not visible:
        return []
    sizes = Counter(round(char.size, 1) for char in visible)
    body_size = sizes.most_common(1)[0][0]
    rows: list[list[_Char]] = []
    keys: list[float] = []
    tolerance = max(1.5, body_size * 0.2)
    for char in chars:
        if char.text == " ":
            if rows:
                rows[-1].append(char)
            continue
        row = _row_for(char, rows, keys, tolerance)
        if row is None:
            rows.append([char])
            keys.append(char.y)
        else:
            rows[row].append(char)
    # Raised small characters alone on a row (a marker set above the line) join the row
    # just below them whose type is larger.
    merged = _attach_raised_rows(rows, keys)
    lines = [_line(row, key, number) for row, key in merged]
    lines = [line for line in lines if line.runs]
    lines.sort(key=lambda line: (-round(line.baseline, 0), line.left))
    return lines


def _row_for(
    char: _Char, rows: list[list[_Char]], keys: list[float], tolerance: float
) -> int | None:
    # The most recent rows first: characters come in reading order.
    for row in range(len(rows) - 1, max(-1, len(rows) - 6), -1):
        if abs(keys[row] - char.y) <= tolerance:
            return row
    return None


def _attach_raised_rows(
    rows: list[list[_Char]], keys: list[float]
) -> list[tuple[list[_Char], float]]:
    """Fold rows whose characters are all small and sit just above a row of larger type
    (a marker set above its line) into that row."""
    extents = [
        [max(c.size for c in row), min(c.left for c in row), max(c.right for c in row)]
        for row in rows
    ]
    kept: list[bool] = [True] * len(rows)
    for index, (row, key) in enumerate(zip(rows, keys, strict=True)):
        size, left, right = extents[index]
        for other, other_key in enumerate(keys):
            if other == index:
                continue
            other_size, other_left, other_right = extents[other]
            if (
                size < other_size * _SMALL
                and 0 < key - other_key <= other_size * 0.6
                and other_left - 20 <= left
                and right <= other_right + 20
            ):
                rows[other].extend(row)
                extents[other] = [
                    max(other_size, size),
                    min(other_left, left),
                    max(other_right, right),
                ]
                kept[index] = False
                break
    return [(row, key) for row, key, keep in zip(rows, keys, kept, strict=True) if keep]


def _line(row: list[_Char], key: float, number: int) -> StyledLine:
    letters = [char for char in row if char.text != " "]
    weights = Counter()
    for char in letters:
        weights[round(char.size, 1)] += 1
    main = weights.most_common(1)[0][0] if weights else 0.0
    baseline = Counter(round(c.y, 1) for c in letters if round(c.size, 1) == main).most_common(1)
    base = baseline[0][0] if baseline else key
    ordered = sorted(row, key=lambda char: char.left)
    runs: list[Run] = []
    text = ""
    style: tuple[float, bool, bool] | None = None
    start = end = 0.0
    last_right: float | None = None
    for char in ordered:
        raised = (
            char.size < main * _SMALL and char.y > base + _RAISED and char.text in _MARKER_CHARS
        )
        this = (round(char.size, 1), char.bold, raised)
        apart = char.left - last_right if last_right is not None else 0.0
        gap = last_right is not None and (
            char.space_before is True
            or (char.space_before is None and apart > char.size * _BROKEN_GAP)
            or apart > max(char.size * 0.6, 3.0)
        )
        if style is not None and this != style:
            runs.append(Run(text, start, end, style[0], style[1], style[2]))
            text, start = "", char.left
            if gap:
                text = " "
        elif style is None:
            start = char.left
        elif gap and not text.endswith(" "):
            text += " "
        text += char.text
        style, end, last_right = this, char.right, char.right
    if style is not None and text.strip():
        runs.append(Run(text, start, end, style[0], style[1], style[2]))
    return StyledLine(runs=tuple(r for r in runs if r.text.strip()), baseline=base, page=number)
