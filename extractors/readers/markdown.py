r"""Reader for the Markdown-like conversion of a report (one paragraph per line).

Cover titles come as `**bold**` runs, links as `[58/316](#)` with the target lost,
and Markdown escapes such as `\(`; a paragraph cut by a page break continues as the
next unnumbered block, which the report parser joins back.
"""

from __future__ import annotations

import re

from common.errors import NotAReport
from extractors.model import Block
from extractors.normalize import normalize_text
from extractors.readers.layout import (
    NUMBERED_START,
    looks_like_chapter_heading,
    looks_like_heading,
)

_LINK = re.compile(r"\[([^\]]+)\]\(([^)]*)\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_BOLD = re.compile(r"\*\*")


def read_markdown(text: str, *, name: str) -> list[Block]:
    """Read Markdown-like report text into blocks, keeping link texts as link targets."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        raw = " ".join(line.strip() for line in chunk.split("\n") if line.strip())
        if not raw:
            continue
        block = _read_chunk(raw)
        if block is not None:
            blocks.append(block)
    if not blocks:
        raise NotAReport(name, "no text blocks found")
    return blocks


def _read_chunk(raw: str) -> Block | None:
    is_bold = raw.startswith("**") or raw.endswith("**")
    links = tuple(
        _ESCAPE.sub(r"\1", target if target not in ("", "#") else label)
        for label, target in _LINK.findall(raw)
    )
    text = _LINK.sub(lambda m: m.group(1), raw)
    text = _BOLD.sub(" ", text)
    text = normalize_text(_ESCAPE.sub(r"\1", text))
    if not text:
        return None
    if text.startswith("* ") or re.match(r"^\*+\s", text):
        return Block(kind="text", text=text.lstrip("* ").strip(), level=None, links=links)
    numbered = NUMBERED_START.match(text)
    if numbered and not is_bold:
        return Block(
            kind="numbered", text=numbered.group(2), number=int(numbered.group(1)), links=links
        )
    if looks_like_chapter_heading(text):
        return Block(kind="heading", text=text, level=1, links=links)
    if is_bold:
        return Block(kind="heading", text=text, level=3, links=links)
    if looks_like_heading(text):
        return Block(kind="heading", text=text, level=2, links=links)
    return Block(kind="text", text=text, links=links)
