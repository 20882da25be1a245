"""Render report blocks into a UN-like PDF with reportlab, for the PDF reader's tests and bench.

The layout copies what the UN's Official Document System serves: A4, a running header with the
document symbols (left on even pages, right on odd ones), a footer with the job number and
`page/total`, justified text, indented bold headings, numbered paragraphs with a hanging
indent, and link annotations to undocs.org over the symbols a paragraph cites.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from extractors.model import Block

# Bitstream Vera ships inside reportlab, so the rendering never depends on system fonts; it
# covers every character of both corpus editions (’, œ, «, », accented capitals).
_FONT_DIR = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
_REGULAR = "CoopWatchVera"
_BOLD = "CoopWatchVeraBd"
_ITALIC = "CoopWatchVeraIt"
_PAGE_WIDTH, _PAGE_HEIGHT = A4
_LEFT_MARGIN = 25 * mm
_HANGING_INDENT = 10 * mm
_HEADING_INDENT = {1: 5 * mm, 2: 12 * mm}
_UNDOCS_PREFIX = re.compile(r"^https?://(?:www\.)?undocs\.org/(?:[a-z]{2}/)?", re.IGNORECASE)


@dataclass(frozen=True)
class RenderOptions:
    """How to lay the report out; the defaults look like the UN's own PDF of an edition."""

    symbols: tuple[str, ...] = ("A/77/277", "S/2022/606")
    job_number: str = "22-12374"
    line_width_mm: float = 150.0
    font_size: float = 10.0
    blank_lines: bool = True
    headers_on_every_page: bool = False
    links: bool = True
    user_password: str | None = None
    # "un": `22-12374 4/25` on even pages, `5/25 22-12374` on odd ones; "bare": the page
    # number alone, centred; the job number as printed (a reissue stars it: `22-12374*`).
    footer: str = "un"
    # Printed as it is, in place of the footer, on every page after the first.
    footer_text: str | None = None
    job_mark: str = ""
    swap_sides: bool = False
    first_page_job_line: bool = False
    # Vertical space (points) drawn before the block of that index, to move page breaks.
    space_before: tuple[tuple[int, float], ...] = ()
    # Sub-headings in italic body type at the column's edge, as some UN reports set them.
    italic_sub_headings: bool = False


@dataclass(frozen=True)
class PlacedLink:
    """A link annotation the renderer drew: which block, which target, over which words."""

    block_index: int
    url: str
    anchor: str


@dataclass(frozen=True)
class RenderedPdf:
    """What `render_pdf` wrote: the file, its page count, the page each block starts on
    (1-based, by block index) and the links it could anchor."""

    path: Path
    page_count: int
    block_pages: tuple[int, ...] = field(default=())
    placed_links: tuple[PlacedLink, ...] = field(default=())


class _TrackedParagraph(Paragraph):
    """A paragraph that records the page its first part is drawn on, across splits."""

    block_index = -1
    pages: dict[int, int] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Paragraph]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.block_index, part.pages = self.block_index, self.pages
        return parts

    def draw(self) -> None:
        if self.pages is not None:
            self.pages.setdefault(self.block_index, self.canv.getPageNumber())
        super().draw()


def render_pdf(
    blocks: Sequence[Block], path: Path, options: RenderOptions | None = None
) -> RenderedPdf:
    """Write `blocks` as a UN-like PDF at `path`; return what was placed.

    Rendered twice: the first pass counts pages so the footer can print `N/total`.
    """
    options = options or RenderOptions()
    _register_fonts()
    story, placed = _build_story(blocks, options, {})
    page_count = _layout(story, io.BytesIO(), options, total_pages=0)
    pages: dict[int, int] = {}
    story, placed = _build_story(blocks, options, pages)
    written = _layout(story, str(path), options, total_pages=page_count)
    return RenderedPdf(
        path=path,
        page_count=written,
        block_pages=tuple(pages[index] for index in range(len(blocks))),
        placed_links=tuple(placed),
    )


def anchor_candidates(url: str) -> list[str]:
    """The words a paragraph may use for an undocs.org target, most specific first.

    `A/RES/75/1` is cited as "75/1", `S/RES/1809(2008)` as "1809 (2008)".
    """
    symbol = _UNDOCS_PREFIX.sub("", url)
    if symbol == url:
        return []
    candidates = [symbol]
    resolution = re.fullmatch(r"[AS]/RES/(.+)", symbol)
    if resolution:
        number = resolution.group(1)
        council = re.fullmatch(r"(\d+)\s*\((\d{4})\)", number)
        if council:
            candidates += [f"{council.group(1)} ({council.group(2)})", number]
        else:
            candidates.append(number)
    return candidates


def _register_fonts() -> None:
    if _ITALIC in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(_REGULAR, os.path.join(_FONT_DIR, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, os.path.join(_FONT_DIR, "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont(_ITALIC, os.path.join(_FONT_DIR, "VeraIt.ttf")))


def _styles(options: RenderOptions) -> dict[str, ParagraphStyle]:
    size = options.font_size
    leading = size * 1.2
    gap = leading if options.blank_lines else 0.0
    base = ParagraphStyle(
        "body",
        fontName=_REGULAR,
        fontSize=size,
        leading=leading,
        alignment=TA_JUSTIFY,
        spaceAfter=gap,
    )
    return {
        "text": ParagraphStyle("text", parent=base, firstLineIndent=_HANGING_INDENT),
        "numbered": ParagraphStyle(
            "numbered",
            parent=base,
            leftIndent=_HANGING_INDENT,
            bulletIndent=0,
            bulletFontName=_REGULAR,
            bulletFontSize=size,
        ),
        "heading1": ParagraphStyle(
            "heading1",
            parent=base,
            fontName=_BOLD,
            fontSize=size + 2,
            leading=(size + 2) * 1.2,
            alignment=TA_LEFT,
            leftIndent=_HEADING_INDENT[1],
            spaceBefore=gap,
            spaceAfter=gap,
        ),
        "heading2": ParagraphStyle(
            "heading2",
            parent=base,
            fontName=_BOLD,
            alignment=TA_LEFT,
            leftIndent=_HEADING_INDENT[2],
            spaceBefore=gap,
        )
        if not options.italic_sub_headings
        else ParagraphStyle(
            "heading2",
            parent=base,
            fontName=_ITALIC,
            alignment=TA_LEFT,
            spaceBefore=gap,
            spaceAfter=gap,
        ),
    }


def _build_story(
    blocks: Sequence[Block], options: RenderOptions, pages: dict[int, int]
) -> tuple[list[Flowable], list[PlacedLink]]:
    styles = _styles(options)
    story: list[Flowable] = []
    placed: list[PlacedLink] = []
    space_before = dict(options.space_before)
    for index, block in enumerate(blocks):
        if space_before.get(index):
            story.append(Spacer(1, space_before[index]))
        numbered = block.kind == "numbered" and block.number is not None
        text = re.sub(rf"^\s*{block.number}\.\s*", "", block.text) if numbered else block.text
        markup, links = link_markup(text, block.links if options.links else ())
        placed += [PlacedLink(index, url, anchor) for url, anchor in links]
        if block.kind == "heading":
            style = styles["heading1" if (block.level or 1) <= 1 else "heading2"]
            paragraph = _TrackedParagraph(markup, style)
        elif numbered:
            paragraph = _TrackedParagraph(markup, styles["numbered"], bulletText=f"{block.number}.")
        else:
            paragraph = _TrackedParagraph(markup, styles["text"])
        paragraph.block_index, paragraph.pages = index, pages
        story.append(paragraph)
    return story, placed


def link_spans(text: str, links: Sequence[str]) -> list[tuple[int, int, str]]:
    """Where each link target is first cited in `text`: sorted (start, end, url) spans."""
    spans: list[tuple[int, int, str]] = []
    for url in dict.fromkeys(links):
        for candidate in anchor_candidates(url):
            pattern = rf"(?<![\w/]){re.escape(candidate)}(?![\w/])"
            match = next(
                (
                    m
                    for m in re.finditer(pattern, text)
                    if not any(s < m.end() and m.start() < e for s, e, _ in spans)
                ),
                None,
            )
            if match:
                spans.append((match.start(), match.end(), url))
                break
    return sorted(spans)


def link_markup(text: str, links: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    """`text` escaped, with each cited link target wrapped in `<a href>` (reportlab and HTML).

    Returns the markup and the (url, anchor) pairs placed.
    """
    spans = link_spans(text, links)
    out: list[str] = []
    cursor = 0
    for start, end, url in spans:
        out.append(escape(text[cursor:start]))
        out.append(f'<a href="{escape(url, {chr(34): "&quot;"})}">{escape(text[start:end])}</a>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out), [(url, text[s:e]) for s, e, url in spans]


def _layout(
    story: list[Flowable], target: str | io.BytesIO, options: RenderOptions, total_pages: int
) -> int:
    """Lay `story` out into `target` and return the number of pages written."""
    width = options.line_width_mm * mm
    right_margin = max(_PAGE_WIDTH - _LEFT_MARGIN - width, 10 * mm)
    encrypt = None
    if options.user_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(options.user_password, canPrint=1, strength=128)
    document = SimpleDocTemplate(
        target,
        pagesize=A4,
        leftMargin=_LEFT_MARGIN,
        rightMargin=right_margin,
        topMargin=30 * mm,
        bottomMargin=25 * mm,
        encrypt=encrypt,
        title=" ".join(options.symbols),
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        _draw_running_parts(canvas, doc.page, total_pages, options, right_margin)

    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return document.page


def _draw_running_parts(
    canvas: Canvas, page: int, total_pages: int, options: RenderOptions, right_margin: float
) -> None:
    """Running header (symbols) and footer (job number, page/total), alternating sides."""
    canvas.saveState()
    canvas.setFont(_REGULAR, 8)
    right_x = _PAGE_WIDTH - right_margin
    left_side = (page % 2 == 0) != options.swap_sides
    job = options.job_number + options.job_mark
    if page > 1 or options.headers_on_every_page:
        y = _PAGE_HEIGHT - 15 * mm
        for symbol in options.symbols:
            if left_side:
                canvas.drawString(_LEFT_MARGIN, y, symbol)
            else:
                canvas.drawRightString(right_x, y, symbol)
            y -= 10
    counter = f"{page}/{total_pages or '?'}"
    if page == 1 and not options.headers_on_every_page:
        if options.first_page_job_line:
            canvas.drawString(_LEFT_MARGIN, 16 * mm, f"{job} (F)    050822    080822")
            canvas.drawString(
                _LEFT_MARGIN, 12 * mm, "*" + options.job_number.replace("-", "") + "*"
            )
        else:
            canvas.drawString(_LEFT_MARGIN, 12 * mm, job)
    elif options.footer_text is not None:
        canvas.drawCentredString((_LEFT_MARGIN + right_x) / 2, 12 * mm, options.footer_text)
    elif options.footer == "bare":
        canvas.drawCentredString((_LEFT_MARGIN + right_x) / 2, 12 * mm, str(page))
    elif left_side:
        canvas.drawString(_LEFT_MARGIN, 12 * mm, f"{job} {counter}")
    else:
        canvas.drawRightString(right_x, 12 * mm, f"{counter} {job}")
    canvas.restoreState()
