"""The UN Official Document System's addresses and the rules for trusting what it returns.

Builds `documents.un.org/api/symbol/access` requests and `undocs.org` links, reads the
Document Viewer and language-choice pages, and decides by magic bytes, Content-Type and
size whether a body is a document at all (status codes from these services cannot be
trusted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from bs4 import BeautifulSoup

from common.errors import BadSource, UnknownLanguage
from extractors.readers.sniff import FETCHABLE_FORMS, FORMS, detect_form
from extractors.symbols import format_symbol, parse_symbol

API_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ru", "zh", "ar")
# undocs.org spells Chinese "ch" where the ODS API wants "zh".
UNDOCS_LANGUAGE: dict[str, str] = {"zh": "ch"}
MIN_DOCUMENT_BYTES = 1024

UN_DOCUMENTS_BASE = "https://documents.un.org"
UN_UNDOCS_BASE = "https://undocs.org"
UN_LIBRARY_BASE = "https://digitallibrary.un.org"
UN_SOURCE_NAMES: frozenset[str] = frozenset({"un", "default", UN_DOCUMENTS_BASE})

# Which bodies the fetcher accepts, and with which Content-Types: the forms some reader reads
# (extractors.readers.sniff.FORMS), so a body no reader can read is refused at the door.
ACCEPTED_KINDS: frozenset[str] = FETCHABLE_FORMS
_BODY_KINDS = {"binary": "unknown", "markdown": "text", "pdftext": "text"}


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the three services; a mirror or test server serves all three at one base."""

    documents: str
    undocs: str
    library: str

    @property
    def is_un(self) -> bool:
        """True when these are the UN's own services."""
        return self.documents == UN_DOCUMENTS_BASE


def endpoints_for(source: str) -> Endpoints:
    """The endpoints for a configured source: 'un' (the real services) or a base URL."""
    if source.rstrip("/") in UN_SOURCE_NAMES:
        return Endpoints(UN_DOCUMENTS_BASE, UN_UNDOCS_BASE, UN_LIBRARY_BASE)
    base = source.rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        raise BadSource(f"source must be 'un' or an http(s) base URL, got {source!r}")
    return Endpoints(base, base, base)


def api_language(language: str) -> str:
    """The ODS API's language code ('ch' from undocs links becomes 'zh')."""
    code = language.strip().lower()
    code = "zh" if code == "ch" else code
    if code not in API_LANGUAGES:
        raise UnknownLanguage(f"unknown UN language code {language!r}")
    return code


def undocs_language(language: str) -> str:
    """The language code undocs.org uses in its paths ('zh' becomes 'ch')."""
    code = api_language(language)
    return UNDOCS_LANGUAGE.get(code, code)


def document_request(
    endpoints: Endpoints, symbol: str, language: str, file_type: str = "pdf"
) -> tuple[str, dict[str, str]]:
    """URL and query parameters for one document from the ODS API (pass them as params=)."""
    return (
        f"{endpoints.documents}/api/symbol/access",
        {"s": symbol, "l": api_language(language), "t": file_type},
    )


def undocs_link(endpoints: Endpoints, symbol: str, language: str | None = None) -> str:
    """The human link the UN cites: undocs.org/<lang>/<SYMBOL> (no language: choice page)."""
    path = quote(symbol, safe="/().")
    if language is None:
        return f"{endpoints.undocs}/{path}"
    return f"{endpoints.undocs}/{undocs_language(language)}/{path}"


def or_variant(symbol: str) -> str:
    """The ODS spelling of the original-language-only variant (the grammar's '(OR)'), tried
    when the plain symbol is absent."""
    return format_symbol(replace(parse_symbol(symbol), original=True))


def sniff_kind(body: bytes) -> str:
    """What a body is, by the one sniffer (`extractors.readers.sniff.detect_form`): plain text is
    'text' and bytes of no known form are 'unknown'."""
    form = detect_form(body)
    return _BODY_KINDS.get(form, form)


@dataclass(frozen=True)
class BodyVerdict:
    """Whether a body is accepted as a document, what it is, and why not when refused."""

    kind: str
    accepted: bool
    reason: str


def judge_body(
    body: bytes, content_type: str, *, min_bytes: int = MIN_DOCUMENT_BYTES
) -> BodyVerdict:
    """Accept a body only when its magic bytes, Content-Type and size all say 'document'."""
    kind = sniff_kind(body)
    media_type = content_type.split(";")[0].strip().lower()
    if kind == "empty":
        return BodyVerdict(kind, False, "empty body (not yet published?)")
    if kind not in ACCEPTED_KINDS:
        return BodyVerdict(kind, False, f"{kind} body ({media_type or 'no Content-Type'})")
    if media_type not in FORMS[kind].media_types:
        return BodyVerdict(kind, False, f"{kind} bytes but Content-Type {media_type}")
    if len(body) < min_bytes:
        return BodyVerdict(kind, False, f"{kind} body of {len(body)} bytes, below {min_bytes}")
    return BodyVerdict(kind, True, f"{kind}, {len(body)} bytes")


def _soup(html: bytes) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def viewer_document_url(html: bytes, page_url: str) -> str | None:
    """The document URL inside a Document Viewer page's <iframe>, or None."""
    for frame in _soup(html).find_all(["iframe", "embed", "object"]):
        target = frame.get("src") or frame.get("data")
        if target:
            return urljoin(page_url, str(target).strip())
    return None


def language_choice_url(html: bytes, page_url: str, language: str) -> str | None:
    """On undocs.org's language-choice page, the link to the wanted language, or None."""
    wanted = {api_language(language), undocs_language(language)}
    for anchor in _soup(html).find_all("a", href=True):
        target = urljoin(page_url, str(anchor["href"]).strip())
        parts = urlsplit(target)
        first_segment = parts.path.strip("/").split("/")[0].lower()
        query_language = parse_qs(parts.query).get("l", [""])[0].lower()
        if first_segment in wanted or query_language in wanted:
            return target
    return None
