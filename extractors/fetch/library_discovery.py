"""Find new editions in the UN Digital Library without anyone typing their symbols.

Builds the Library's keyed-API, public-search and OAI-PMH requests, reads the MARCXML they
return (191 symbol, 245 title, 269 date, 856 files) with defusedxml so entity attacks are
refused, and recognises the AWS WAF JavaScript challenge: reported once, never retried.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml_safely

from common.errors import CorruptDocument, FetchFailed, FetchRefused
from extractors.fetch.http_client import HttpResponse, PoliteClient
from extractors.fetch.official_documents import Endpoints, endpoints_for
from extractors.symbols import (
    edition_of,
    is_report_symbol,
    is_symbol,
    normalize_symbol,
    split_joint_symbol,
)

CHALLENGE_MESSAGE = "discovery unavailable (challenge)"
PAGE_SIZE = 100
MAX_PAGES = 10


@dataclass(frozen=True)
class LibraryFile:
    """A file attached to a record (856): its URL and language label."""

    url: str
    label: str


@dataclass(frozen=True)
class LibraryRecord:
    """The parts of a Digital Library MARC record discovery needs."""

    record_id: str
    symbol: str | None
    title: str
    date: str | None
    files: tuple[LibraryFile, ...] = ()


@dataclass(frozen=True)
class DiscoveryResult:
    """What a discovery pass found: new edition symbols, the corrigenda and addenda of
    editions (fetched with their edition, never taken for one), or why it could not look."""

    new_symbols: tuple[str, ...]
    records_seen: int
    messages: tuple[str, ...] = ()
    unavailable: bool = False
    companions: tuple[str, ...] = ()


def _local(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _subfields(field: ElementTree.Element, code: str) -> list[str]:
    return [
        (node.text or "").strip()
        for node in field
        if _local(node) == "subfield" and node.get("code") == code
    ]


def parse_marcxml(data: bytes, *, name: str = "MARCXML answer") -> list[LibraryRecord]:
    """Records in a MARCXML answer (any wrapper, any namespace prefix); DTDs are refused."""
    try:
        root = parse_xml_safely(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError) as error:
        raise CorruptDocument(name, f"unsafe or malformed XML ({error})") from error
    records = []
    for record in (node for node in root.iter() if _local(node) == "record"):
        fields: dict[str, list[ElementTree.Element]] = {}
        record_id = ""
        for node in record:
            if _local(node) == "controlfield" and node.get("tag") == "001":
                record_id = (node.text or "").strip()
            elif _local(node) == "datafield":
                fields.setdefault(node.get("tag", ""), []).append(node)
        symbols = [value for field in fields.get("191", []) for value in _subfields(field, "a")]
        title = " ".join(
            value
            for field in fields.get("245", [])[:1]
            for code in "ab"
            for value in _subfields(field, code)
        )
        dates = [value for field in fields.get("269", []) for value in _subfields(field, "a")]
        files = tuple(
            LibraryFile(url, (_subfields(field, "y") or [""])[0])
            for field in fields.get("856", [])
            for url in _subfields(field, "u")
        )
        records.append(
            LibraryRecord(
                record_id=record_id,
                symbol=_joint(symbols),
                title=re.sub(r"\s*[:/]\s*$", "", " ".join(title.split())),
                date=dates[0] if dates else None,
                files=files,
            )
        )
    return records


def _joint(symbols: list[str]) -> str | None:
    valid = [normalize_symbol(symbol) for symbol in symbols if is_symbol(symbol)]
    return "-".join(dict.fromkeys(valid)) if valid else None


def _search_id(data: bytes) -> str | None:
    match = re.search(rb"<search_id>\s*([^<\s]+)\s*</search_id>", data)
    return match.group(1).decode("ascii", "replace") if match else None


def keyed_search_request(
    endpoints: Endpoints, query: str, api_key: str, search_id: str | None = None
) -> tuple[str, dict[str, str], dict[str, str]]:
    """URL, params and headers for the Library's keyed API (paginated by search_id)."""
    params = {"p": query, "format": "xml"}
    if search_id:
        params["search_id"] = search_id
    return f"{endpoints.library}/api/v1/search", params, {"Authorization": f"Token {api_key}"}


def public_search_request(endpoints: Endpoints, query: str) -> tuple[str, dict[str, str]]:
    """URL and params for the Library's public search, answering MARCXML."""
    return f"{endpoints.library}/search", {"p": query, "of": "xm", "rg": str(PAGE_SIZE)}


def oai_request(endpoints: Endpoints, since: str) -> tuple[str, dict[str, str]]:
    """URL and params for OAI-PMH ListRecords in MARCXML from a date (YYYY-MM-DD)."""
    params = {"verb": "ListRecords", "metadataPrefix": "marcxml", "from": since}
    return f"{endpoints.library}/oai2d", params


def is_waf_challenge(response: HttpResponse) -> bool:
    """True for the AWS WAF JavaScript challenge (HTTP 202 + x-amzn-waf-action: challenge)."""
    action = response.headers.get("x-amzn-waf-action", "").strip().lower()
    return response.status == 202 and action == "challenge"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w']+", " ", text).split())


def is_edition_record(record: LibraryRecord, titles: Iterable[str]) -> bool:
    """A record of the report series: a GA document symbol and the report's title."""
    if not record.symbol or not is_report_symbol(record.symbol):
        return False
    return _has_title(record, titles)


def is_companion_record(record: LibraryRecord, titles: Iterable[str]) -> bool:
    """A corrigendum, addendum or revision of an edition: the report's title and a GA
    document symbol with a suffix (A/77/277/Corr.1), whose edition is the symbol without it."""
    if not record.symbol:
        return False
    edition = edition_of(record.symbol)
    return edition is not None and is_report_symbol(edition) and _has_title(record, titles)


def _has_title(record: LibraryRecord, titles: Iterable[str]) -> bool:
    folded = _fold(record.title)
    return any(folded.startswith(_fold(title)) for title in titles)


def discover_editions(
    client: PoliteClient,
    source: str,
    *,
    titles: Iterable[str],
    known: Iterable[str],
    api_key: str | None = None,
    since: str | None = None,
    max_pages: int = MAX_PAGES,
) -> DiscoveryResult:
    """Ask the Digital Library for the report's title; return edition symbols not yet known.

    Uses the keyed API when `api_key` is set, OAI-PMH when `since` is set, the public search
    otherwise. A WAF challenge, refusal or unreadable answer ends the pass with one message.
    """
    return discover_series_editions(
        client,
        source,
        series_titles=[tuple(titles)],
        known=known,
        api_key=api_key,
        since=since,
        max_pages=max_pages,
    )


def discover_series_editions(
    client: PoliteClient,
    source: str,
    *,
    series_titles: Iterable[Iterable[str]],
    known: Iterable[str],
    api_key: str | None = None,
    since: str | None = None,
    max_pages: int = MAX_PAGES,
) -> DiscoveryResult:
    """Ask the Digital Library for each series' first title in turn (one OAI-PMH pass serves
    them all, as it asks by date); a record with any series' title is an edition or companion.
    The first pass that cannot be read ends discovery with its message."""
    endpoints = endpoints_for(source)
    groups = [tuple(titles) for titles in series_titles]
    every_title = tuple(title for titles in groups for title in titles)
    queries = list(dict.fromkeys(f'title:"{titles[0]}"' if titles else "" for titles in groups))
    if since and not api_key:
        queries = queries[:1]  # OAI-PMH asks by date, not title: one pass reads every series
    records: list[LibraryRecord] = []
    for query in queries:
        message = _read_pass(client, endpoints, query, records, api_key, since, max_pages)
        if message is not None:
            return _unavailable(records, message)
    return _discovered(records, every_title, known)


def _read_pass(
    client: PoliteClient,
    endpoints: Endpoints,
    query: str,
    records: list[LibraryRecord],
    api_key: str | None,
    since: str | None,
    max_pages: int,
) -> str | None:
    """Read one query's pages into `records`; the message saying why it cannot go on, if so."""
    search_id: str | None = None
    for _page in range(max_pages):
        url, params, headers = _page_request(endpoints, query, api_key, since, search_id)
        answer = _read_page(client, url, params, headers)
        if isinstance(answer, str):
            return answer
        body, page = answer
        records.extend(page)
        next_id = _search_id(body) if api_key else None
        if not page or not next_id:
            break
        search_id = next_id
    return None


def _page_request(
    endpoints: Endpoints,
    query: str,
    api_key: str | None,
    since: str | None,
    search_id: str | None,
) -> tuple[str, dict[str, str], dict[str, str]]:
    """URL, params and headers of the next page: the keyed API when there is a key, OAI-PMH
    when a date is given, else the public search."""
    if api_key:
        return keyed_search_request(endpoints, query, api_key, search_id)
    if since:
        return (*oai_request(endpoints, since), {})
    return (*public_search_request(endpoints, query), {})


def _read_page(
    client: PoliteClient, url: str, params: dict[str, str], headers: dict[str, str]
) -> tuple[bytes, list[LibraryRecord]] | str:
    """One page's body and records, or the one message saying why discovery cannot go on."""
    try:
        response = client.get(url, params=params, headers=headers)
    except (FetchFailed, FetchRefused) as error:
        return f"discovery unavailable ({error})"
    if is_waf_challenge(response):
        return f"{CHALLENGE_MESSAGE}: {response.final_url}"
    if response.status != 200:
        return f"discovery unavailable (HTTP {response.status}): {response.final_url}"
    try:
        return response.body, parse_marcxml(response.body, name=response.final_url)
    except CorruptDocument as error:
        return f"discovery unavailable ({error})"


def _discovered(
    records: list[LibraryRecord], titles: tuple[str, ...], known: Iterable[str]
) -> DiscoveryResult:
    """The new editions and the companions among the records read, by the series' titles."""
    known_firsts = {split_joint_symbol(symbol)[0] for symbol in known}
    found = [
        record.symbol
        for record in records
        if record.symbol
        and is_edition_record(record, titles)
        and split_joint_symbol(record.symbol)[0] not in known_firsts
    ]
    companions = [
        record.symbol for record in records if record.symbol and is_companion_record(record, titles)
    ]
    return DiscoveryResult(
        new_symbols=tuple(dict.fromkeys(found)),
        records_seen=len(records),
        companions=tuple(dict.fromkeys(companions)),
    )


def _unavailable(records: list[LibraryRecord], message: str) -> DiscoveryResult:
    return DiscoveryResult(
        new_symbols=(), records_seen=len(records), messages=(message,), unavailable=True
    )
