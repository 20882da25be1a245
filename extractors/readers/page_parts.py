"""The parts of a UN page told apart by what they are: furniture, footnotes, figures, body.

Each styled line of a page (`pdf_lines`) is either running furniture (`furniture.py`), a
line of the footnote block (small type under the rule at the foot), a caption or the text
of a figure, table or map (small type above the rule, a `Figure I`/`Map 2` label and the
bold title under it), a line of a contents page, or body text. Body lines lose their
superscript footnote markers to a list; nothing is dropped without a reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractors.model import DroppedBlock
from extractors.readers.furniture import BandLine, find_furniture, is_furniture_shaped
from extractors.readers.page_words import alternatives, page_words
from extractors.readers.pdf_lines import PageLines, StyledLine

_FURNITURE_BAND = 0.15
_RULE = re.compile(r"^_{5,}$")
_MARKER = re.compile(r"^\s*(\d{1,3}|\*{1,3})\s*$")
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|\*{1,3})\s+\S")
_CAPTION_LABEL = re.compile(
    rf"^(?:{alternatives('caption')})"
    r"(?:\s+(?:[IVXLC]+|\d+)(?:\.\d+)?)?(?:\s*\([a-z]\))?\.?$"
)
_PART_TITLE = re.compile(rf"^(?:{alternatives('part')})(?:\s+[IVXLC\d.]+[A-Z]?)?$")
# A part's title with its heading run in: "Annex 2: Attacks against …".
_PART_OPENING = re.compile(rf"^(?:{alternatives('part')})(?:\s+[IVXLC\d.]+[A-Z]?)?(?:[.:]\s|$)")
_MAPS = frozenset(page_words()["map"])
_STAR_MARKER = re.compile(r"(?<=[\w.).,;:”’])(\*{1,3})(?=\s|$)")
_CONTENTS = re.compile(rf"^(?:{alternatives('contents')})$")
# Below this share of the body size, type above the footnote rule is chart or table text.
_SMALL_TYPE = 0.9

_MARKER_SEPARATORS = re.compile(r"[,\s]+")


@dataclass(frozen=True)
class BodyLine:
    """A body line: text without footnote markers, position, type, and the markers it had."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    bold: bool
    page: int
    markers: tuple[str, ...] = ()
    italic: bool = False
    # The first word in bold (a sub-heading's number set bold before a title in body type).
    first_bold: bool = False


@dataclass(frozen=True)
class FootnoteText:
    """A footnote as printed at a page foot: its marker, text and page."""

    number: str
    text: str
    page: int


@dataclass(frozen=True)
class PageParts:
    """What the reader found on every page: body lines, footnotes, dropped lines, warnings."""

    body: tuple[BodyLine, ...]
    footnotes: tuple[FootnoteText, ...]
    dropped: tuple[DroppedBlock, ...]
    body_size: float
    body_left: float
    body_right: float
    unclear_furniture_pages: tuple[int, ...]
    untyped_pages: tuple[int, ...]


def split_pages(pages: list[PageLines]) -> PageParts:
    """Tell every line of a document's pages apart (see the module docstring)."""
    body_size = _body_size(pages)
    rules = {page.number: _rule_index(page.lines, body_size) for page in pages}
    found = find_furniture(_band_lines(pages, rules), len(pages))
    dropped: list[DroppedBlock] = []
    kept: list[list[StyledLine]] = []
    for page in pages:
        lines: list[StyledLine] = []
        for index, line in enumerate(page.lines):
            reason = found.reason(page.number, index)
            if reason is None:
                lines.append(line)
            else:
                dropped.append(DroppedBlock(text=line.text, reason=reason, page=page.number))
        kept.append(lines)
    footnotes: list[FootnoteText] = []
    above: list[list[StyledLine]] = []
    for page, lines in zip(pages, kept, strict=True):
        top, notes, rule_dropped = _footnote_block(lines, page.number, body_size)
        footnotes += notes
        dropped += rule_dropped
        above.append(top)
    known = {note.number for note in footnotes}
    starred = {note.page for note in footnotes if note.number.startswith("*")}
    body: list[BodyLine] = []
    untyped: list[int] = []
    for page, lines in zip(pages, above, strict=True):
        if lines and all(line.size <= 0 for line in lines):
            untyped.append(page.number)
        body += _page_body(lines, page, body_size, known, dropped, page.number in starred)
    lefts = Counter(round(line.left) for line in body if abs(line.size - body_size) < 0.6)
    body_left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
    rights = sorted(line.right for line in body if abs(line.size - body_size) < 0.6)
    body_right = rights[int(len(rights) * 0.9)] if rights else 0.0
    return PageParts(
        body=tuple(body),
        footnotes=tuple(footnotes),
        dropped=tuple(dropped),
        body_size=body_size,
        body_left=body_left,
        body_right=body_right,
        unclear_furniture_pages=found.unclear_pages,
        untyped_pages=tuple(untyped),
    )


def _body_size(pages: list[PageLines]) -> float:
    sizes: dict[float, int] = {}
    for page in pages:
        for line in page.lines:
            size = round(line.size, 1)
            sizes[size] = sizes.get(size, 0) + len(line.text)
    # The first of the largest on a tie, as Counter.most_common.
    return max(sizes, key=sizes.__getitem__) if sizes else 0.0


def _band_lines(pages: list[PageLines], rules: dict[int, int | None]) -> list[BandLine]:
    """The lines in the outer bands of each page; the footnote rule and the footnotes under
    it are never furniture, however often a short footnote (`Ibid.`) repeats."""
    found: list[BandLine] = []
    for page in pages:
        top, bottom = page.height * (1 - _FURNITURE_BAND), page.height * _FURNITURE_BAND
        rule = rules.get(page.number)
        for index, line in enumerate(page.lines):
            if (
                rule is not None
                and index >= rule
                and (index == rule or not is_furniture_shaped(line.text))
            ):
                continue
            if line.baseline > top:
                found.append(BandLine(page.number, index, "top", line.text))
            elif line.baseline < bottom:
                found.append(BandLine(page.number, index, "bottom", line.text))
    return found


def _footnote_block(
    lines: list[StyledLine], page: int, body_size: float
) -> tuple[list[StyledLine], list[FootnoteText], list[DroppedBlock]]:
    """Split a page at its footnote rule: the lines above, the footnotes under it."""
    rule = _rule_index(lines, body_size)
    if rule is not None:
        dropped = [DroppedBlock(text=lines[rule].text, reason="footnote rule", page=page)]
        start = rule + 1
    else:
        start = _unruled_start(lines, body_size)
        if start is None:
            return lines, [], []
        dropped, rule = [], start
    notes: list[list[str]] = []
    left: float | None = None
    for line in lines[start:]:
        marker = _leading_marker(line)
        if marker is not None and (left is None or line.left <= left + 2):
            left = line.left if left is None else left
            notes.append([marker, _without_marker(line)])
        elif notes:
            notes[-1].append(line.text)
        else:
            notes.append(["", line.text])
        dropped.append(DroppedBlock(text=line.text, reason="footnote", page=page))
    found = [
        FootnoteText(number=note[0], text=" ".join(" ".join(note[1:]).split()), page=page)
        for note in notes
        if note[0]
    ]
    return lines[:rule], found, dropped


def _rule_index(lines: list[StyledLine] | tuple[StyledLine, ...], body_size: float) -> int | None:
    """The index of the page's footnote rule: the last line of underscores with a
    footnote (a line opening with a marker) under it."""
    for index in range(len(lines) - 1, -1, -1):
        if _RULE.match(lines[index].text) and any(
            _leading_marker(line) is not None for line in lines[index + 1 :]
        ):
            return index
    return None


def _unruled_start(lines: list[StyledLine], body_size: float) -> int | None:
    """Where an asterisk note printed at the foot without a rule starts: the last lines of
    the page in small type, the first of them opening with `*`."""
    start = None
    for index in range(len(lines) - 1, -1, -1):
        if not 0 < lines[index].size < body_size * _SMALL_TYPE:
            break
        start = index
    if start is None or not lines[start].text.startswith("*"):
        return None
    return start if _leading_marker(lines[start]) is not None else None


def _leading_marker(line: StyledLine) -> str | None:
    first = line.runs[0]
    if first.raised and _MARKER.match(first.text):
        return first.text.strip()
    match = _FOOTNOTE_START.match(line.text)
    return match.group(1) if match else None


def _without_marker(line: StyledLine) -> str:
    first = line.runs[0]
    if first.raised:
        return " ".join(run.text for run in line.runs[1:]).strip()
    return _FOOTNOTE_START.sub(lambda m: m.group(0)[-1], line.text, count=1)


def _page_body(
    lines: list[StyledLine],
    page_lines: PageLines,
    body_size: float,
    known: set[str],
    dropped: list[DroppedBlock],
    starred: bool = False,
) -> list[BodyLine]:
    """The body lines of a page; captions, chart text and contents lines go to `dropped`.

    A line of the outer bands that the furniture rules left undecided stays body text.
    """
    page = page_lines.number
    top, bottom = page_lines.height * (1 - _FURNITURE_BAND), page_lines.height * _FURNITURE_BAND
    out: list[BodyLine] = []
    contents = False
    caption_until = -1
    for index, line in enumerate(lines):
        text = line.text
        if _CONTENTS.match(text):
            contents = True
            dropped.append(DroppedBlock(text=text, reason="contents page", page=page))
            continue
        if contents:
            dropped.append(DroppedBlock(text=text, reason="contents page", page=page))
            continue
        if line.turned:
            dropped.append(
                DroppedBlock(text=text, reason="turned text (figure or margin)", page=page)
            )
            continue
        if index <= caption_until:
            dropped.append(DroppedBlock(text=text, reason="caption", page=page))
            continue
        if _CAPTION_LABEL.match(text) and not _is_part_title(text, index, out):
            caption_until = _caption_end(lines, index, body_size)
            dropped.append(DroppedBlock(text=text, reason="caption", page=page))
            continue
        if 0 < line.size < body_size * _SMALL_TYPE and bottom <= line.baseline <= top:
            dropped.append(DroppedBlock(text=text, reason="figure or table text", page=page))
            continue
        if (
            line.bold
            and not _PART_OPENING.match(text)
            and not _wraps_from_above(lines, index)
            and _chart_follows(lines, index, body_size, bottom, top)
        ):
            dropped.append(DroppedBlock(text=text, reason="caption", page=page))
            continue
        out.append(_body_line(line, page, known, starred))
    return out


def _is_part_title(text: str, index: int, before: list[BodyLine]) -> bool:
    """`Map` alone at the head of a page, or under an annex's title, names a part (a map
    annex) or is its heading, not a caption."""
    return text in _MAPS and (not before or bool(_PART_TITLE.match(before[-1].text)))


def _caption_end(lines: list[StyledLine], index: int, body_size: float) -> int:
    """The last line of a caption: the bold title lines right under its label."""
    end = index
    for following in range(index + 1, min(index + 4, len(lines))):
        line = lines[following]
        gap = lines[following - 1].baseline - line.baseline
        if line.bold and gap <= max(line.size, body_size) * 2.2:
            end = following
        else:
            break
    return end


def _wraps_from_above(lines: list[StyledLine], index: int) -> bool:
    """True when the line ends a bold title begun on the line just above it."""
    if index == 0:
        return False
    above, line = lines[index - 1], lines[index]
    return (
        above.bold
        and abs(above.size - line.size) <= 0.3
        and above.baseline - line.baseline <= line.size * 1.9
    )


def _chart_follows(
    lines: list[StyledLine], index: int, body_size: float, bottom: float, top: float
) -> bool:
    """A bold line whose next lines are chart text (small type, inside the page's
    bands) is a chart's caption."""
    following = [line for line in lines[index + 1 : index + 3] if bottom <= line.baseline <= top]
    return bool(following) and all(
        0 < line.size < body_size * _SMALL_TYPE and not _RULE.match(line.text) for line in following
    )


def _inside_symbol(runs: tuple, index: int) -> bool:
    """A small raised run set between slashes is part of a symbol (a masthead), not a marker."""
    before = runs[index - 1].text if index > 0 else ""
    after = runs[index + 1].text if index + 1 < len(runs) else ""
    return before.endswith("/") or after.startswith("/")


def _body_line(line: StyledLine, page: int, known: set[str], starred: bool) -> BodyLine:
    """A body line with its footnote markers taken out of the words."""
    markers: list[str] = []
    runs = line.runs
    if any(run.raised for run in runs):
        text = ""
        for index, run in enumerate(runs):
            if run.raised:
                parts = [part for part in _MARKER_SEPARATORS.split(run.text) if part]
                if (
                    parts
                    and all(part in known for part in parts)
                    and not _inside_symbol(runs, index)
                ):
                    markers += parts
                    continue
            text += run.text
        text = " ".join(text.split())
    else:
        text = line.text  # the same join of the runs, kept on the line
    if starred and "*" in text:
        # An asterisk footnote's marker is set in body type, after the words it notes.
        stars = _STAR_MARKER.findall(text)
        if stars:
            markers += stars
            text = " ".join(_STAR_MARKER.sub("", text).split())
    return BodyLine(
        text=text,
        left=line.left,
        right=line.right,
        baseline=line.baseline,
        size=line.size,
        bold=line.bold,
        italic=line.italic,
        first_bold=line.first_bold,
        page=page,
        markers=tuple(markers),
    )
