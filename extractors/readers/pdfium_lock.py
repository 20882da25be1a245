"""One lock for every use of PDFium in a process.

PDFium is not thread-safe, not even across different documents (pypdfium2's own
documentation says so): two threads inside it at once crash the process. Every
function that opens a PDF with pypdfium2 holds this lock for as long as it uses it.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
