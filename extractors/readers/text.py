"""Text files as text: decoded as UTF-8, refusing empty and binary content by name."""

from __future__ import annotations

from common.errors import EmptyDocument, NotText
from extractors.readers.sniff import UTF16_CAUSE, is_utf16_text


def decode_text(data: bytes, name: str) -> str:
    """Decode a text file, refusing empty and binary content with a clear error."""
    if not data.strip():
        raise EmptyDocument(name, "the file is empty")
    if b"\x00" in data[:4096]:
        if is_utf16_text(data):
            raise NotText(name, UTF16_CAUSE)
        raise NotText(name, "the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotText(
            name, f"the file is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
