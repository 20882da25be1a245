"""Name an edition's corrigenda and addenda in its digest, once each.

The digest is rendered by notify/digest.py; this adds one line per edition and kind of
companion ('A/77/277 has a corrigendum (A/77/277/Corr.1)') under the editions' links, in the
text and the HTML alike, so the templates stay as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from html import escape

from notify.digest import Digest

_TEXT_ANCHOR = "\nNew edition: "
_HTML_ROW_END = "</td></tr>"


def with_companions(digest: Digest, sentences: Sequence[str]) -> Digest:
    """The digest with `sentences` under the editions' links; unchanged when there are none."""
    sentences = list(dict.fromkeys(sentences))
    if not sentences:
        return digest
    return dataclasses.replace(
        digest, text=_in_text(digest.text, sentences), html=_in_html(digest.html, sentences)
    )


def _in_text(text: str, sentences: list[str]) -> str:
    start = text.find(_TEXT_ANCHOR)
    end = text.find("\n", start + 1) if start >= 0 else -1
    block = "\n" + "\n".join(f"{sentence}." for sentence in sentences)
    if end < 0:
        return text.rstrip("\n") + "\n" + block + "\n"
    return text[:end] + "\n" + block + text[end:]


def _in_html(html: str, sentences: list[str]) -> str:
    lines = "<br>".join(f"{escape(sentence)}." for sentence in sentences)
    row = (
        '<tr><td style="padding:4px 24px 0 24px;"><p class="cw-companions" '
        f'style="margin:0;color:inherit;">{lines}</p></td></tr>'
    )
    heading = html.find("<h1")
    end = html.find(_HTML_ROW_END, heading) if heading >= 0 else -1
    if end < 0:
        return html.replace("</body>", row + "</body>", 1)
    cut = end + len(_HTML_ROW_END)
    return html[:cut] + "\n" + row + html[cut:]
