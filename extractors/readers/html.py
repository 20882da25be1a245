"""Reader for HTML versions of a report, with BeautifulSoup over lxml.

Headings come from `<h1>`…`<h6>`: a roman-numbered heading (`II. Coopération…`) is a
chapter, and so is any later heading with the same tag; deeper tags are sub-headings.
Numbered paragraphs are `<p>` text starting `N.` or items of an `<ol>` (their number from
`start`/`value`); link targets come from `<a href>`.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from common.errors import EmptyDocument, NotAReport
from extractors.model import Block
from extractors.normalize import normalize_text
from extractors.readers.layout import CHAPTER_HEADING, NUMBERED_START

_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCK_TAGS = (*_HEADING_TAGS, "p", "li")
_SEPARATED = (*_BLOCK_TAGS, "div", "ol", "ul", "table", "tr", "td", "th", "blockquote")
_SKIPPED = ("script", "style", "noscript", "template", "head")
_NOT_LINKS = re.compile(r"^(?:#|javascript:|mailto:)", re.IGNORECASE)


def read_html(data: bytes | str, *, name: str) -> list[Block]:
    """Read an HTML report into blocks; raise if it holds no headings or paragraphs."""
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    soup = BeautifulSoup(data, "lxml")
    for tag in soup.find_all(_SKIPPED):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    # Block boundaries inside an element (a <p> in an <li>) must not glue words together.
    for tag in soup.find_all(_SEPARATED):
        tag.append(" ")
    elements = [
        element
        for element in soup.find_all(_BLOCK_TAGS)
        if not element.find_parent(("li", *_HEADING_TAGS))
        and not (element.name == "p" and element.find_parent("p"))
    ]
    chapter_tag = next(
        (
            e.name
            for e in elements
            if e.name in _HEADING_TAGS and CHAPTER_HEADING.match(_text_of(e))
        ),
        None,
    )
    blocks = [
        block
        for element in elements
        if (block := _block(element, chapter_tag)) is not None and block.text
    ]
    if not blocks:
        raise NotAReport(name, "no headings or paragraphs in the HTML")
    return blocks


def _block(element: Tag, chapter_tag: str | None) -> Block | None:
    text = _text_of(element)
    links = _links_of(element)
    if element.name in _HEADING_TAGS:
        return Block(
            "heading", text, level=_heading_level(element.name, text, chapter_tag), links=links
        )
    if element.name == "li":
        number = _list_number(element)
        if number is not None:
            match = NUMBERED_START.match(text)
            if match and int(match.group(1)) == number:
                text = match.group(2)
            return Block("numbered", text, number=number, links=links)
        return Block("text", text, links=links)
    match = NUMBERED_START.match(text)
    if match:
        return Block("numbered", match.group(2), number=int(match.group(1)), links=links)
    return Block("text", text, links=links)


def _heading_level(tag: str, text: str, chapter_tag: str | None) -> int:
    """1 for a chapter (roman-numbered, or the chapters' tag), 2 for any other heading."""
    if CHAPTER_HEADING.match(text):
        return 1
    if chapter_tag is None:
        return 2
    return 1 if tag == chapter_tag else 2


def _list_number(item: Tag) -> int | None:
    """The printed number of an `<ol>` item (decimal lists only), honouring start and value."""
    parent = item.find_parent(("ol", "ul"))
    if parent is None or parent.name != "ol" or parent.get("type", "1") != "1":
        return None
    number = _int(parent.get("start"), 1)
    for sibling in parent.find_all("li", recursive=False):
        number = _int(sibling.get("value"), number)
        if sibling is item:
            return number
        number += 1
    return None


def _int(value: object, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _text_of(element: Tag) -> str:
    return normalize_text(" ".join(element.get_text().split()))


def _links_of(element: Tag) -> tuple[str, ...]:
    hrefs = (str(a.get("href", "")).strip() for a in element.find_all("a", href=True))
    return tuple(dict.fromkeys(h for h in hrefs if h and not _NOT_LINKS.match(h)))


def html_plain_text(data: bytes, name: str) -> str:
    """The page's visible text as BeautifulSoup gives it (scripts, styles and the head left
    out): the gate's second reading of an HTML report, sharing nothing with `read_html`'s
    block rules."""
    soup = BeautifulSoup(data.decode("utf-8-sig", errors="replace"), "lxml")
    for tag in soup.find_all(("script", "style", "noscript", "template", "head")):
        tag.decompose()
    return soup.get_text(" ")
