"""The lines of a PDF page built from PDFium's characters, each with its type.

PDFium's own line breaks split a line at a superscript or a tab stop and join two lines at
a soft hyphen; UN pages need the type (size, weight, raised small figures) of every run to
tell footnotes, markers, captions and headings apart, so lines are rebuilt here from the
characters: same baseline, left to right, small raised runs kept apart as `raised`.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

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
# A word of PDFium's text: what stands between spaces and line breaks.
_WORD = re.compile("[^\\s\x00\ufeff]+")
# A stretch of words with no line break of PDFium's text inside: first letter to last.
_STRETCH = re.compile("[^\\s\x00\ufeff](?:[^\r\n\x00\ufeff]*[^\\s\x00\ufeff])?")
_MARKER_CHARS = frozenset("0123456789*,†‡")


_Value = TypeVar("_Value")


class _computed_once(Generic[_Value]):  # noqa: N801 (used as a decorator, like property)
    """A property computed on first use and kept in the instance (functools.cached_property
    without the lock Python 3.11 takes on every first use, which cost more than the value)."""

    def __init__(self, compute: Any) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: object, owner: type | None = None) -> _Value:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class Run:
    """Characters of one style on one line: text, left and right edge, size, bold, raised,
    italic."""

    text: str
    left: float
    right: float
    size: float
    bold: bool
    raised: bool = False
    italic: bool = False


@dataclass(frozen=True)
class StyledLine:
    """A line of a page: its runs left to right, baseline, and the style of most of it."""

    runs: tuple[Run, ...]
    baseline: float
    page: int
    # Printed turned a quarter on an upright page (a chart's axis label, a margin note).
    turned: bool = False

    @_computed_once
    def text(self) -> str:
        """The line's text, superscripts included where they sit."""
        return _join(self.runs)

    @_computed_once
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

    @_computed_once
    def size(self) -> float:
        """The size most of the line's letters are set in."""
        return self._type()[0]

    @_computed_once
    def bold(self) -> bool:
        """True when most of the line's letters are bold."""
        return self._type()[1]

    @_computed_once
    def italic(self) -> bool:
        """True when most of the line's letters are italic."""
        return self._type()[2]

    def _type(self) -> tuple[float, bool, bool]:
        """Size, bold and italic of most of the line's letters (its raised markers aside),
        counted in one pass and kept as all three values at once."""
        sizes: dict[float, int] = {}
        bold = upright = italic = roman = 0
        for run in self.runs:
            if not run.raised:
                letters = len(run.text.strip())
                sizes[run.size] = sizes.get(run.size, 0) + letters
                if run.bold:
                    bold += letters
                else:
                    upright += letters
                if run.italic:
                    italic += letters
                else:
                    roman += letters
        size = _heaviest(sizes) if sizes else self.runs[0].size
        found = size, bold > upright, italic > roman
        # Kept as `_computed_once` keeps a value: the other two are not counted again.
        self.__dict__.update(zip(("size", "bold", "italic"), found, strict=True))
        return found

    @_computed_once
    def first_bold(self) -> bool:
        """True when the line's first word is bold (a run-in heading or a bold lead)."""
        return next((run.bold for run in self.runs if run.text.strip()), False)


def _heaviest(weights: dict[Any, int]) -> Any:
    """The key of the largest weight, the first one on a tie (as Counter.most_common)."""
    return max(weights, key=weights.__getitem__)


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
    # No text at all but an image: a scanned page, whose content is not read.
    image_only: bool = False


def _unchecked(function: ctypes._CFuncPtr) -> ctypes._CFuncPtr:
    """The same PDFium entry point without per-argument ctypes conversion: converting the
    arguments costs more than PDFium's work for these per-object calls; callers pass the
    declared C types (handle, int, pointers to double), and the result is a C int unless
    the caller sets `restype`."""
    return type(function)(ctypes.cast(function, ctypes.c_void_p).value)


def _returning_number(function: ctypes._CFuncPtr) -> ctypes._CFuncPtr:
    """A PDFium entry point that returns a float or double, unchecked (see `_unchecked`)."""
    unchecked = _unchecked(function)
    unchecked.restype = function.restype
    return unchecked


_BOX, _ORIGIN, _WEIGHT = (
    _unchecked(function)
    for function in (
        pdfium_c.FPDFText_GetCharBox,
        pdfium_c.FPDFText_GetCharOrigin,
        pdfium_c.FPDFText_GetFontWeight,
    )
)
_SIZE, _ANGLE = (
    _returning_number(function)
    for function in (pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetCharAngle)
)
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


# PDF font descriptor flag 7: the font is italic.
_ITALIC_FLAG = 1 << 6


def _font_is_italic(address: ctypes.c_void_p) -> bool:
    """Italic by the font's flags, its slant or its name (fonts that state neither)."""
    font = ctypes.cast(address, pdfium_c.FPDF_FONT)
    if pdfium_c.FPDFFont_GetFlags(font) & _ITALIC_FLAG:
        return True
    angle = ctypes.c_int()
    if pdfium_c.FPDFFont_GetItalicAngle(font, ctypes.byref(angle)) and angle.value != 0:
        return True
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    name = buffer.value.decode("utf-8", "replace").lower()
    return "italic" in name or "oblique" in name


# Some producers set type at size 1 and scale it with the text matrix.
_SCALED_SIZE = 3.0


def _scaled_size(raw: object, index: int, size: float) -> float:
    """The size a character is printed at, its font size times its matrix's scale."""
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix)):
        return size
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return round(size * scale, 1) if scale > 0 else size


class _Char(NamedTuple):
    """Characters of one PDF text object on a line (or one character outside any object)."""

    text: str
    left: float
    right: float
    y: float
    size: float
    bold: bool
    # True after a space, None after a line break of PDFium's text, False otherwise.
    space_before: bool | None
    italic: bool
    # How many printed characters the piece holds, and its size to a tenth (kept once here:
    # lines are grouped and styled by them).
    letters: int
    rounded: float


# Builds a _Char from a tuple in C, without the Python-level __new__ of a NamedTuple.
_new_char = partial(tuple.__new__, _Char)


def _end_with_hyphen_mark(char: str, chars: list[_Char]) -> None:
    """PDFium's mark for a compound's hyphen at a line end may have no glyph box: it ends the
    line of the character before it, kept as the mark so that the line join keeps the hyphen
    ("highest\ufffe" + "profile" is "highest-profile"); any other boxless character is
    left out."""
    if char == _SOFT_HYPHEN and chars:
        chars.append(chars[-1]._replace(text=_SOFT_HYPHEN, space_before=False, letters=1))


def _returning_address(function: ctypes._CFuncPtr) -> ctypes._CFuncPtr:
    """A PDFium entry point that returns a handle, as a plain address (equal for one
    object; 0 for none)."""
    unchecked = _unchecked(function)
    unchecked.restype = ctypes.c_void_p
    return unchecked


_TEXT_OBJECT = _returning_address(pdfium_c.FPDFText_GetTextObject)
_FONT_OF = _returning_address(pdfium_c.FPDFTextObj_GetFont)
# Its one argument, an object's address, converted by ctypes: cheaper than wrapping it.
_FONT_OF.argtypes = (ctypes.c_void_p,)


_Box = tuple[float, float, float, float]


# A piece's type: size, bold, angle, italic, size to a tenth.
_Style = tuple[float, bool, float, bool, float]


@lru_cache(maxsize=1024)
def _gap_kind(gap: str) -> tuple[bool, bool]:
    """Whether a gap between words holds a line break of PDFium's text, and whether it
    holds a space; kept per gap, as a page has only a few kinds of gap."""
    return any(char in _SKIP for char in gap), any(
        char.isspace() and char not in _SKIP for char in gap
    )


class _PageReader:
    """Reads a page's characters a text object at a time: the characters of one PDF text
    object share font, size and baseline, so PDFium is asked for type and place once per
    object and for each character only which object it belongs to."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> None:
        self.raw = textpage.raw
        self.width, self.height = page.get_width(), page.get_height()
        self.box = tuple(ctypes.c_double() for _ in range(4))
        self.box_refs = tuple(map(ctypes.byref, self.box))
        self.origin = (ctypes.c_double(), ctypes.c_double())
        self.origin_refs = tuple(map(ctypes.byref, self.origin))
        self.styles: dict[int, _Style] = {}
        self.fonts: dict[int, tuple[bool, bool]] = {}
        self.chars: list[_Char] = []
        self.side: list[_Char] = []

    def read(self, text: str) -> None:
        """Cut the page's text into pieces of one text object each and place them.

        Words are the unit: a word whose first and last letters belong to one object is in
        it whole (an object is one show operator, so nothing else sits inside); a word of
        several objects (a superscript marker glued to it) is read a character at a time.
        The same holds for a stretch of words between PDFium's line breaks (an object's
        letters come one after another in PDFium's text), so a stretch is asked at its two
        ends first and halved only where they differ.
        """
        self.text = text
        self.start = self.last = -1
        self.handle = 0
        self.before = self.space = False
        end = 0
        for stretch in _STRETCH.finditer(text):
            first, after = stretch.span()
            if first > end:
                gap = text[end:first]
                if gap == " ":
                    self.space = True
                else:
                    self._separator(gap)
            end = after
            if not self._whole(first, after):
                spans = [word.span() for word in _WORD.finditer(text, first, after)]
                if len(spans) == 1:
                    self._letters(first, after)
                else:
                    self._halves(spans, 0, len(spans) - 1)
        self._close()

    def _whole(self, first: int, after: int) -> bool:
        """Extend the open piece with the words in first..after when one object holds them
        all (a compound's hyphen mark that ends the last word aside); False otherwise."""
        text = self.text
        if text[first] == _SOFT_HYPHEN:
            return False
        tail = after - 1
        if text[tail] == _SOFT_HYPHEN and tail > first and not text[tail - 1].isspace():
            tail -= 1
        owner = _TEXT_OBJECT(self.raw, first)
        if not owner or (tail != first and _TEXT_OBJECT(self.raw, tail) != owner):
            return False
        # `_extend` inlined: this runs once for nearly every line of a page.
        if self.start >= 0 and owner == self.handle:
            self.last = after - 1
        else:
            self._close()
            self.start, self.last, self.handle, self.before = first, after - 1, owner, self.space
        self.space = False
        return True

    def _halves(self, spans: list[tuple[int, int]], low: int, high: int) -> None:
        """Words low..high of a stretch (not all of one object), read half by half."""
        middle = (low + high) // 2
        self._words(spans, low, middle)
        self.space = True
        self._words(spans, middle + 1, high)

    def _words(self, spans: list[tuple[int, int]], low: int, high: int) -> None:
        """Words low..high of a stretch: whole when one object holds them, else halved."""
        if self._whole(spans[low][0], spans[high][1]):
            return
        if low == high:
            self._letters(*spans[low])
        else:
            self._halves(spans, low, high)

    def _letters(self, first: int, after: int) -> None:
        """A word of several objects: its letters by object, the change points found by
        halving; PDFium's hyphen marks in it are read one by one."""
        raw, text, position = self.raw, self.text, first
        while position < after:
            mark = text.find(_SOFT_HYPHEN, position, after)
            end = after if mark < 0 else mark
            if end > position:
                last = end - 1
                self._objects(position, last, _TEXT_OBJECT(raw, position), _TEXT_OBJECT(raw, last))
            if mark < 0:
                return
            self._read_char(mark)
            position = mark + 1

    def _objects(self, low: int, high: int, low_owner: int, high_owner: int) -> None:
        """Letters low..high, given the objects of the two ends."""
        if low_owner and low_owner == high_owner:
            self._extend(low, high, low_owner)
        elif high - low <= 1:
            self._extend(low, low, low_owner)
            if high > low:
                self._extend(high, high, high_owner)
        else:
            middle = (low + high) // 2
            self._objects(low, middle, low_owner, _TEXT_OBJECT(self.raw, middle))
            self._objects(middle + 1, high, _TEXT_OBJECT(self.raw, middle + 1), high_owner)

    def _separator(self, gap: str) -> None:
        """Spaces between words; PDFium's line breaks among them end the piece."""
        breaks, spaced = _gap_kind(gap)
        if breaks:
            self._close()
        if spaced:
            self.space = True
        elif self.space is False:
            self.space = None

    def _read_char(self, index: int) -> None:
        """One character of a word that spans objects (or PDFium's mark for a hyphen)."""
        char = self.text[index]
        if char == _SOFT_HYPHEN and (self.start >= 0 or self.chars):
            if self.start >= 0:
                self.last = index
            else:
                _end_with_hyphen_mark(char, self.chars)
            return
        self._extend(index, index, _TEXT_OBJECT(self.raw, index))

    def _extend(self, first: int, last: int, owner: int) -> None:
        """Add letters first..last of one object to the open piece, or open a new one."""
        if self.start >= 0 and owner and owner == self.handle:
            self.last = last
        else:
            self._close()
            self.start, self.last, self.handle, self.before = first, last, owner, self.space
        self.space = False

    def _close(self) -> None:
        """Place the open piece: one piece of its object, or its letters one by one."""
        start = self.start
        if start >= 0:
            self.start = -1
            last, handle = self.last, self.handle
            if handle:
                piece = " ".join(self.text[start : last + 1].split())
                self._place_piece(piece, start, last, handle, self.before)
            else:
                self._place_loose(start, last, self.before)

    def _place_loose(self, start: int, last: int, before: bool | None) -> None:
        """Characters outside any text object, each a piece of its own."""
        text = self.text
        for index in range(start, last + 1):
            if not text[index].isspace():
                self._place_piece(text[index], index, index, 0, before)
                before = False

    def _boxes(self, piece: str, start: int, last: int) -> tuple[_Box, _Box] | None:
        """The boxes of a piece's first and last characters (left, right, bottom, top); None
        for a piece with none (PDFium's hyphen mark is kept on the line before it)."""
        raw = self.raw
        left, right, bottom, top = self.box
        if _BOX(raw, start, *self.box_refs):
            first = end = (left.value, right.value, bottom.value, top.value)
        elif piece == _SOFT_HYPHEN:
            _end_with_hyphen_mark(_SOFT_HYPHEN, self.chars)
            return None
        elif _ORIGIN(raw, start, *self.origin_refs):
            # Type of no size has no glyph box: placed at its origin, so it is read
            # (as untyped text) rather than lost.
            x, y = self.origin[0].value, self.origin[1].value
            first = end = (x, x, y, y)
        else:
            return None
        for index in range(last, start, -1):
            # The last character with a box (a compound's hyphen mark may have none).
            if _BOX(raw, index, *self.box_refs):
                end = (left.value, right.value, bottom.value, top.value)
                break
        return first, end

    def _place_piece(
        self, piece: str, start: int, last: int, handle: int, before: bool | None
    ) -> None:
        boxes = self._boxes(piece, start, last)
        if boxes is None:
            return
        first, end = boxes
        style = self.styles.get(handle) if handle else None
        if style is None:
            style = self._style(start, handle)
            if handle:
                self.styles[handle] = style
        size, bold, angle, italic, rounded = style
        has_origin = _ORIGIN(self.raw, start, *self.origin_refs)
        x, y = self.origin[0].value, self.origin[1].value
        letters = len(piece) - piece.count(" ")
        if angle == 0.0:
            # Upright type, nearly every piece: no quarter turn to test for.
            baseline = y if has_origin else first[2]
            char = (piece, first[0], end[1], baseline, size, bold, before, italic, letters, rounded)
            self.chars.append(_new_char(char))
        elif abs(angle - _QUARTER) < _ANGLE_TOLERANCE:
            baseline = x if has_origin else first[1]
            left, right = self.height - first[3], self.height - end[2]
            char = (piece, left, right, baseline, size, bold, before, italic, letters, rounded)
            self.side.append(_new_char(char))
        elif abs(angle - 3 * _QUARTER) < _ANGLE_TOLERANCE:
            baseline = self.width - (x if has_origin else first[0])
            char = (piece, first[2], end[3], baseline, size, bold, before, italic, letters, rounded)
            self.side.append(_new_char(char))
        else:
            baseline = y if has_origin else first[2]
            char = (piece, first[0], end[1], baseline, size, bold, before, italic, letters, rounded)
            self.chars.append(_new_char(char))

    def _style(self, index: int, handle: int) -> _Style:
        """Size, bold, angle, italic and size to a tenth of a character's type."""
        raw = self.raw
        size = _SIZE(raw, index)
        if size < _SCALED_SIZE:
            size = _scaled_size(raw, index, size)
        key = _FONT_OF(handle) if handle else None
        font = self.fonts.get(key) if key else None
        if font is None:
            font = self._font(index, key)
        return (size, font[0], _ANGLE(raw, index), font[1], round(size, 1))

    def _font(self, index: int, key: int | None) -> tuple[bool, bool]:
        """Bold and italic: the font's weight (or name) and its italic flag, slant or name;
        kept per font (PDFium reads both from the font of the character's object)."""
        weight = _WEIGHT(self.raw, index)
        bold = weight >= _BOLD_WEIGHT if weight > 0 else _bold_by_name(self.raw, index)
        if not key:
            flags = ctypes.c_int()
            pdfium_c.FPDFText_GetFontInfo(self.raw, index, None, 0, ctypes.byref(flags))
            return bold, bool(flags.value & _ITALIC_FLAG)
        found = self.fonts[key] = (bold, _font_is_italic(ctypes.c_void_p(key)))
        return found


def styled_lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> PageLines:
    """The styled lines of a page, top to bottom."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    reader = _PageReader(page, textpage)
    reader.read(text[:count])
    chars, side = reader.chars, reader.side
    width, height = reader.width, reader.height
    # Some text is printed turned a quarter: the side-set header and footer of a landscape
    # page (sometimes all its text), the axis labels of a chart. Such characters are turned
    # back and make lines of their own.
    if width > height and _letters(side) > _letters(chars):
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
        image_only=not count and _has_image(page),
    )


def _has_image(page: pdfium.PdfPage) -> bool:
    """True when the page holds an image (asked only of pages without text)."""
    images = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2)
    return next(images, None) is not None


def _letters(pieces: list[_Char]) -> int:
    """How many printed characters the pieces hold."""
    return sum(piece.letters for piece in pieces)


def _group_lines(chars: list[_Char], number: int) -> list[StyledLine]:
    """Characters sharing a baseline make one line; raised small ones join the line below."""
    sizes: dict[float, int] = {}
    for char in chars:
        sizes[char.rounded] = sizes.get(char.rounded, 0) + char.letters
    if not sizes:
        return []
    rows, keys, extents = _rows(chars, max(1.5, _heaviest(sizes) * 0.2))
    # Raised small characters alone on a row (a marker set above the line) join the row
    # just below them whose type is larger.
    merged = _attach_raised_rows(rows, keys, extents)
    lines = [_line(row, key, number) for row, key in merged]
    lines = [line for line in lines if line.runs]
    lines.sort(key=lambda line: (-round(line.baseline, 0), line.runs[0].left))
    return lines


def _rows(
    chars: list[_Char], tolerance: float
) -> tuple[list[list[_Char]], list[float], list[list[float]]]:
    """Characters by baseline: the rows, their keys, and each row's largest size, left and
    right edge (kept as the rows grow, for `_attach_raised_rows`)."""
    rows: list[list[_Char]] = []
    keys: list[float] = []
    extents: list[list[float]] = []
    for char in chars:
        _, left, right, y, size = char[:5]  # one slice: cheaper than five field reads
        if keys and abs(keys[-1] - y) <= tolerance:
            row = len(keys) - 1  # most characters: on the row just begun
        else:
            row = _earlier_row(y, keys, tolerance)
        if row < 0:
            rows.append([char])
            keys.append(y)
            extents.append([size, left, right])
            continue
        rows[row].append(char)
        extent = extents[row]
        if size > extent[0]:
            extent[0] = size
        if left < extent[1]:
            extent[1] = left
        if right > extent[2]:
            extent[2] = right
    return rows, keys, extents


def _earlier_row(y: float, keys: list[float], tolerance: float) -> int:
    """The row of a baseline among the four before the latest (characters come in reading
    order), the most recent first; -1 for a new row."""
    count = len(keys)
    for row in range(count - 2, max(-1, count - 6), -1):
        if abs(keys[row] - y) <= tolerance:
            return row
    return -1


def _attach_raised_rows(
    rows: list[list[_Char]], keys: list[float], extents: list[list[float]]
) -> list[tuple[list[_Char], float]]:
    """Fold rows whose characters are all small and sit just above a row of larger type
    (a marker set above its line) into that row."""
    kept: list[bool] = [True] * len(rows)
    largest = max((extent[0] for extent in extents), default=0.0)
    reach = largest * 0.6
    for index, (row, key) in enumerate(zip(rows, keys, strict=True)):
        size, left, right = extents[index]
        if size >= largest * _SMALL:
            continue  # no row's type is large enough for this one to be its marker
        for other, other_key in enumerate(keys):
            # A cheap screen first: no row's size ever exceeds `largest`.
            if other == index or not 0 < key - other_key <= reach:
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
    weights: dict[float, int] = {}
    for char in row:
        weights[char.rounded] = weights.get(char.rounded, 0) + char.letters
    main = _heaviest(weights)
    baselines: dict[float, int] = {}
    for char in row:
        if char.rounded == main:
            y = round(char.y, 1)
            baselines[y] = baselines.get(y, 0) + char.letters
    base = _heaviest(baselines) if baselines else key
    runs = _runs(sorted(row, key=_LEFT_EDGE), main * _SMALL, base + _RAISED)
    return StyledLine(runs=runs, baseline=base, page=number)


_LEFT_EDGE = itemgetter(1)


def _runs(ordered: list[_Char], small: float, raised_above: float) -> tuple[Run, ...]:
    """A line's pieces, left to right, joined into runs of one style; a run's small figures
    above the baseline are `raised`; blank runs are left out."""
    runs: list[Run] = []
    text = ""
    style: tuple[float, bool, bool, bool] | None = None
    start = end = 0.0
    # Unpacked at once: cheaper than reading the fields one by one in this per-piece loop.
    for piece, left, right, y, size, bold, before, italic, _, rounded in ordered:
        raised = (
            size < small and y > raised_above and _MARKER_CHARS.issuperset(piece.replace(" ", ""))
        )
        this = (rounded, bold, raised, italic)
        if style is None:
            start = left
        else:
            apart = left - end
            gap = (
                before is True
                or (before is None and apart > size * _BROKEN_GAP)
                or (apart > 3.0 and apart > size * 0.6)
            )
            if this != style:
                if text.strip():
                    runs.append(Run(text, start, end, *style))
                text, start = (" " if gap else ""), left
            elif gap and not text.endswith(" "):
                text += " "
        text += piece
        style, end = this, right
    if style is not None and text.strip():
        runs.append(Run(text, start, end, *style))
    return tuple(runs)
