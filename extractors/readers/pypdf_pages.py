"""A PDF's text by pypdf, page by page: the text-preservation gate's second reading, sharing
no code with PDFium (which the page reader uses), so one library's blind spot is not both's."""

from __future__ import annotations

import io
from collections.abc import Iterator

from common.errors import CorruptDocument


def pypdf_pages(data: bytes, name: str) -> Iterator[str]:
    """Each page's text as pypdf extracts it, one at a time (a long PDF is never held whole)."""
    # pypdf (BSD-3-Clause, pure Python) is imported only when the gate reads a PDF.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            yield page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError) as error:
        raise CorruptDocument(name, f"pypdf cannot read the PDF ({error})") from None
