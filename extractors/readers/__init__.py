"""One reader per input form (PDF, text of a PDF, DOCX, HTML, Markdown), the sniffer that tells the form, page furniture."""
