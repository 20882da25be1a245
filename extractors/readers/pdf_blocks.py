"""Blocks of a UN document from its body lines: front matter, body, annexes and their paragraphs.

A numbered paragraph opens where a line starts with the next number of its part in body type;
a bold numbered line out of sequence (or hanging left of the paragraph column) is a numbered
sub-heading; heading lines wrapped over several lines are one heading; an `Annex`, `Enclosure`
or `Map` title opens a part with its own numbering. The body starts at paragraph 1, or at the
numbered heading run just above it, so a covering note or letter and the title of the report
it transmits stay front matter and the report it carries is read as the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.model import Block
from extractors.readers.page_parts import BodyLine
from extractors.readers.page_words import alternatives, page_words

_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+(\S.*))?$")
_CHAPTER = alternatives("chapter")
_SECTION_NUMBER = re.compile(
    rf"^(?:[IVXLC]+\.|[A-Z]\.?\s|\d{{1,2}}\.\s|(?:{_CHAPTER})\s+[IVXLC]+\b|\([a-z]\)\s)"
)
_PART = re.compile(
    rf"^(?P<title>(?:{alternatives('part')}|{alternatives('parts_divider')})"
    r"(?:\s+(?:[IVXLC]+|\d+(?:\.\d+)?[A-Z]?))?)\s*(?:[.:]\s*(?P<heading>\S.*))?$"
)
_FRONT_TITLE = re.compile(rf"^(?:{alternatives('front_title')})")
_DIVIDERS = frozenset(page_words()["parts_divider"])
_MAPS = frozenset(page_words()["map"])
_SUB_ITEM = re.compile(r"^\([a-z]{1,4}\)\s")
_WRAPPED_SHARE = 0.6
# Type this much larger than the body's is a title's, not a sub-heading's.
_TITLE_SIZE = 2.5
_CENTRED_INDENT = 30.0
_CENTRED_TOLERANCE = 25.0
_CENTRED_MAX = 100
_CHAPTER_LABEL = re.compile(rf"^(?:{_CHAPTER})\s+[IVXLC]+$")
_HEADING_GAP = 1.9
_HANGING = 8.0
_PARAGRAPH_GAP = 1.6
_INDENT = 3.0
_ITALIC_HEADING_LINES = 3
# A boxed sidebar's text stands this far inside the column on both sides.
_BOX_INSET = 15.0
_BOX_LINES = 2


@dataclass
class _Draft:
    kind: str
    lines: list[BodyLine]
    number: int | None = None
    part: str | None = None
    markers: list[str] = field(default_factory=list)

    @property
    def last(self) -> BodyLine:
        return self.lines[-1]


@dataclass(frozen=True)
class _Column:
    """The body column's type and edges, and what the run of lines says of single lines
    (italic sub-headings, sidebar titles, bold-numbered titles need their neighbours)."""

    body_size: float
    body_left: float
    body_right: float
    centred_headings: bool
    italic_headings: frozenset[int]
    box_titles: frozenset[int]
    numbered_titles: frozenset[int]

    @property
    def middle(self) -> float:
        """The column's middle, where a centred heading is centred."""
        return (self.body_left + self.body_right) / 2

    @classmethod
    def of(
        cls, lines: tuple[BodyLine, ...], body_size: float, body_left: float, body_right: float
    ) -> _Column:
        """Read the column from all its lines."""
        return cls(
            body_size=body_size,
            body_left=body_left,
            body_right=body_right,
            # A layout in one type throughout (the typewriter era) centres its headings.
            centred_headings=not any(
                line.bold and abs(line.size - body_size) < 1 for line in lines
            ),
            italic_headings=_italic_heading_lines(lines, body_size, body_left),
            box_titles=_box_title_lines(lines, body_left, body_right),
            numbered_titles=_numbered_title_lines(lines, body_left, body_right),
        )

    def heading_type(self, index: int, line: BodyLine) -> bool:
        """Set as a heading is: bold or larger, an italic or bold-numbered sub-heading, or
        centred in a layout of one type; never a sidebar's title."""
        if index in self.box_titles:
            return False
        return (
            _heading_type(line, self.body_size)
            or index in self.italic_headings
            or index in self.numbered_titles
            or (self.centred_headings and _centred_heading(line, self.body_left, self.middle))
        )


def build_blocks(
    lines: tuple[BodyLine, ...], body_size: float, body_left: float, body_right: float
) -> list[Block]:
    """Blocks in reading order, each tagged with its region (front, body or a part)."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    part: str | None = None
    last_number = 0
    column = _Column.of(lines, body_size, body_left, body_right)
    for index, line in enumerate(lines):
        part_match = _PART.match(line.text) if _is_title_line(line, body_size) else None
        opened = _part_opened(line, part_match, drafts, current)
        if opened is not None:
            part, last_number = opened[0], 0
            current = _open_part(line, *opened, drafts)
            continue
        if part_match is not None and part_match.group("title") in _DIVIDERS:
            # "Annexes" only announces the parts: text, neither heading nor part.
            current = _Draft("text", [line], part=part)
            drafts.append(current)
            continue
        numbered = _NUMBERED.match(line.text)
        heading_type = column.heading_type(index, line)
        if (
            numbered is not None
            and int(numbered.group(1)) == last_number + 1
            and not _is_sub_heading(line, heading_type, body_left)
            and index not in column.numbered_titles
        ):
            last_number = int(numbered.group(1))
            current = _Draft(
                "numbered", [_retext(line, numbered.group(2) or "")], number=last_number, part=part
            )
            current.markers += line.markers
            drafts.append(current)
        elif heading_type:
            current = _add_heading_line(line, current, part, drafts, column)
        else:
            current = _add_text_line(line, current, part, drafts)
    return _regions(drafts, body_size)


def _add_heading_line(
    line: BodyLine, current: _Draft | None, part: str | None, drafts: list[_Draft], column: _Column
) -> _Draft:
    """Add a line set as a heading: the next line of the heading (or of a paragraph set in
    bold) it continues, a bold paragraph's "(a) …" item, or a new heading."""
    if _SUB_ITEM.match(line.text) and _in_bold_paragraph(current):
        # "(a) …" items of a paragraph set in bold are its text, not headings.
        current = _Draft("text", [line], part=part)
        drafts.append(current)
    elif current is not None and (
        _continues_heading(current, line, column.body_size, column.body_left, column.body_right)
        or _continues_bold_paragraph(current, line)
    ):
        current.lines.append(line)
    else:
        current = _Draft("heading", [line], part=part)
        drafts.append(current)
    current.markers += line.markers
    return current


def _part_opened(
    line: BodyLine,
    part_match: re.Match[str] | None,
    drafts: list[_Draft],
    current: _Draft | None,
) -> tuple[str, re.Match[str] | None] | None:
    """The title of the part `line` opens (`part_match`: its match as a part title, if it is
    set as a title) and that match, or None when it opens none."""
    if part_match or (line.text in _MAPS and _first_on_page(line, drafts, current)):
        title = part_match.group("title") if part_match else line.text
        if title not in _DIVIDERS:
            return title, part_match
    return None


def _open_part(
    line: BodyLine, part: str, part_match: re.Match[str] | None, drafts: list[_Draft]
) -> _Draft:
    """Append the part's title (and the heading set on its line) and return the last draft."""
    current = _Draft("part", [line], part=part)
    drafts.append(current)
    heading = part_match.group("heading") if part_match else None
    if heading:
        drafts.append(_Draft("heading", [_retext(line, heading)], part=part))
    return drafts[-1] if heading else current


def _add_text_line(
    line: BodyLine, current: _Draft | None, part: str | None, drafts: list[_Draft]
) -> _Draft:
    """Add a line of running text to the current block or open a new one; return the current."""
    if current is not None and current.kind == "numbered" and _bold_title(current):
        # A numbered line in bold standing alone above regular text, ending no
        # sentence, is a numbered sub-heading, whatever its number.
        current.kind = "heading"
        current.lines[0] = _retext(current.lines[0], f"{current.number}. {current.lines[0].text}")
        current.number = None
    if current is None or current.kind in ("heading", "part") or _starts_text(current, line):
        current = _Draft("text", [line], part=part)
        drafts.append(current)
    else:
        current.lines.append(line)
    current.markers += line.markers
    return current


def _retext(line: BodyLine, text: str) -> BodyLine:
    """The line with other text (its number taken off, or put back), its type and place kept."""
    return replace(line, text=text)


def _is_title_line(line: BodyLine, body_size: float) -> bool:
    return line.bold or line.size > body_size + 0.5 or len(line.text) < 40


def _first_on_page(line: BodyLine, drafts: list[_Draft], current: _Draft | None) -> bool:
    return current is None or current.last.page != line.page


def _heading_type(line: BodyLine, body_size: float) -> bool:
    """Bold or larger type than the body's: a heading line (or a bold paragraph's)."""
    if not line.text:
        return False
    return line.bold or line.size >= body_size + 1.5


def _numbered_title_lines(
    lines: tuple[BodyLine, ...], body_left: float, body_right: float
) -> frozenset[int]:
    """Numbered sub-headings whose number alone is bold ("**2.** Unaccompanied children"):
    a short line ending no sentence, a paragraph's space above and below it."""
    found = set()
    short = body_left + (body_right - body_left) * _WRAPPED_SHARE
    for index, line in enumerate(lines):
        if (
            line.first_bold
            and not line.bold
            and _NUMBERED.match(line.text)
            and line.right < short
            and not line.text.endswith((".", ";", ":", ","))
            and _stands_apart(lines, index, index, line.size)
        ):
            found.add(index)
    return frozenset(found)


def _box_title_lines(
    lines: tuple[BodyLine, ...], body_left: float, body_right: float
) -> frozenset[int]:
    """Bold titles of boxed sidebars: a bold line inset from the column's left edge, above at
    least two lines of text inset from both of its edges. A box's text is unnumbered text,
    and its title no heading of the report's structure."""
    found = set()
    for index, line in enumerate(lines[:-_BOX_LINES]):
        below = lines[index + 1 : index + 1 + _BOX_LINES]
        if (
            line.bold
            and line.left >= body_left + _BOX_INSET
            and all(
                other.page == line.page
                and not other.bold
                and other.left >= body_left + _BOX_INSET
                and other.right <= body_right - _BOX_INSET
                for other in below
            )
            and max(other.right for other in below) > line.right
        ):
            found.add(index)
    return frozenset(found)


def _italic_heading_lines(
    lines: tuple[BodyLine, ...], body_size: float, body_left: float
) -> frozenset[int]:
    """Lines of unnumbered sub-headings set in italic: a run of at most three italic lines at
    the column's left edge (or hanging left of it), in body type or larger, standing apart
    from the text above and below by a paragraph's space, ending no sentence. Italic words
    inside a paragraph (case names, titles) sit at line spacing and are not headings."""
    found: set[int] = set()
    index = 0
    while index < len(lines):
        end = _italic_run_end(lines, index, body_size, body_left)
        if end is None:
            index += 1
            continue
        if _stands_apart(lines, index, end, body_size):
            found.update(range(index, end + 1))
        index = end + 1
    return frozenset(found)


def _italic_run_end(
    lines: tuple[BodyLine, ...], start: int, body_size: float, body_left: float
) -> int | None:
    """The last line of the italic heading-like run starting at `start`, or None."""
    line = lines[start]
    if not (
        line.italic
        and line.size >= body_size - 0.5
        and line.left <= body_left + _INDENT
        and line.text
    ):
        return None
    end = start
    while (
        end + 1 < len(lines)
        and end - start < _ITALIC_HEADING_LINES - 1
        and lines[end + 1].italic
        and lines[end + 1].page == line.page
        and lines[end].baseline - lines[end + 1].baseline <= line.size * _PARAGRAPH_GAP
    ):
        end += 1
    return end


def _stands_apart(lines: tuple[BodyLine, ...], start: int, end: int, body_size: float) -> bool:
    """A paragraph's space above the run's first line (or a page top after a finished
    sentence) and below its last, which ends no sentence."""
    first, last = lines[start], lines[end]
    if last.text.endswith((".", ";", ":", ",")):
        return False
    gap = max(first.size, body_size) * _PARAGRAPH_GAP
    if start > 0:
        above = lines[start - 1]
        if above.page == first.page and above.baseline - first.baseline < gap:
            return False
        if above.page != first.page and not above.text.endswith((".", ":", ";")):
            return False
    if end + 1 < len(lines):
        below = lines[end + 1]
        if below.page == last.page and last.baseline - below.baseline < gap:
            return False
    return True


def _centred_heading(line: BodyLine, body_left: float, middle: float) -> bool:
    """A short line set in the middle of the column, not ending a sentence."""
    centre = (line.left + line.right) / 2
    return (
        line.left > body_left + _CENTRED_INDENT
        and abs(centre - middle) < _CENTRED_TOLERANCE
        and len(line.text) <= _CENTRED_MAX
        and not line.text.endswith((".", ";", ","))
    )


def _is_sub_heading(line: BodyLine, heading_type: bool, body_left: float) -> bool:
    """A numbered line set as a heading: bold, its number hanging left of the paragraphs."""
    return heading_type and (line.left < body_left - _HANGING or line.size > 11.5 * 1.0)


def _in_bold_paragraph(current: _Draft | None) -> bool:
    return current is not None and current.kind in ("numbered", "text") and current.last.bold


def _continues_heading(
    current: _Draft, line: BodyLine, body_size: float, body_left: float, body_right: float
) -> bool:
    """A heading wrapped over lines: same type, close below, not a new numbered heading,
    and the line above reached across most of the column."""
    if current.kind not in ("heading", "part") or current.kind == "part":
        return False
    last = current.last
    if abs(last.size - line.size) > 0.3 or last.bold != line.bold:
        return False
    if line.text[:1].islower():
        # A heading's words go on in lower case, across a page break too.
        return True
    # Across a page break the gap says nothing: a heading cut at a page's foot goes on at the
    # next page's top, and the rules below tell it from a new heading there.
    if (
        last.page == line.page
        and last.baseline - line.baseline > max(line.size, body_size) * _HEADING_GAP
    ):
        return False
    if _CHAPTER_LABEL.match(last.text):
        # "Chapter I" prints its title on the next line.
        return True
    if _SECTION_NUMBER.match(line.text):
        return False
    # Headings are set in a narrower measure than the body: a line that ended short of
    # most of the column did not wrap.
    return last.right >= body_left + (body_right - body_left) * _WRAPPED_SHARE


def _continues_bold_paragraph(current: _Draft, line: BodyLine) -> bool:
    """The next bold line of a paragraph set in bold (recommendations, key messages)."""
    if current.kind not in ("numbered", "text"):
        return False
    last = current.last
    return last.bold and abs(last.size - line.size) <= 0.3 and not _SECTION_NUMBER.match(line.text)


def _starts_text(current: _Draft, line: BodyLine) -> bool:
    """Unnumbered regular text starts a text block after a bold paragraph's end or after
    a paragraph's space."""
    last = current.last
    if last.bold and not line.bold:
        return True
    if len(current.lines) > 1 and line.left > last.left + _INDENT:
        return True
    return last.page == line.page and last.baseline - line.baseline > line.size * _PARAGRAPH_GAP


def _regions(drafts: list[_Draft], body_size: float) -> list[Block]:
    """Blocks with their region: front matter up to the body's start, then body and parts."""
    start = _body_start(drafts, body_size)
    blocks: list[Block] = []
    for index, draft in enumerate(drafts):
        region = (
            "front"
            if index < start and draft.part is None
            else ("part" if draft.part is not None else "body")
        )
        blocks.append(_block(draft, region))
    return blocks


def _body_start(drafts: list[_Draft], body_size: float) -> int:
    first = next((i for i, d in enumerate(drafts) if d.kind == "numbered" and d.part is None), None)
    if first is None:
        return next((i for i, d in enumerate(drafts) if d.part is not None), len(drafts))
    start = first
    index = first - 1
    joined = True
    while index >= 0 and drafts[index].kind == "heading" and drafts[index].part is None:
        draft = drafts[index]
        if _SECTION_NUMBER.match(_text(draft)):
            start, joined = index, False
        elif (
            joined
            and draft.lines[0].size <= body_size + _TITLE_SIZE
            and not _FRONT_TITLE.match(_text(draft))
        ):
            # An unnumbered sub-heading right above paragraph 1 opens the body; a title
            # (larger type: the report's, a covering note's) stays front matter.
            start = index
        else:
            joined = False
        index -= 1
    return start


def _text(draft: _Draft) -> str:
    return " ".join(" ".join(line.text for line in draft.lines).split())


def _block(draft: _Draft, region: str) -> Block:
    text = _join_lines([line.text for line in draft.lines])
    kind = draft.kind
    level = None
    number = draft.number
    if kind == "heading":
        level = 1 if re.match(rf"^(?:[IVXLC]+\.|(?:{_CHAPTER})\s)", text) else 2
    elif kind == "part":
        kind, level = "heading", 1
    return Block(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        number=number,
        level=level,
        page=draft.lines[0].page,
        region=region,  # type: ignore[arg-type]
        part=draft.part,
        footnotes=tuple(draft.markers),
    )


def _bold_title(draft: _Draft) -> bool:
    text = draft.lines[0].text
    return (
        len(draft.lines) == 1
        and draft.lines[0].bold
        and bool(text)
        and not text.endswith((".", ";", ":", ","))
    )


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if not line:
            continue
        if text.endswith("\ufffe"):
            # PDFium marks a compound's own hyphen at a line end: keep it (UN documents break
            # lines only at a compound's hyphen, extractors/normalize.py).
            text = text[:-1] + "-" + line
        elif text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        elif text:
            text += " " + line
        else:
            text = line
    return text
