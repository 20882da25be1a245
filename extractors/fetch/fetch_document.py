"""Fetch one UN document (symbol + language) into the raw store and say what happened.

`fetch_document` never raises for a document-level problem: absent, refused or failed
fetches come back as a `FetchResult` whose `error` names the symbol, language, URL and
reason, so one bad document is a row in `fetches`, not the end of the run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from common.errors import FetchFailed, FetchRefused, NotASymbol
from common.redaction import redact_secrets
from extractors.fetch.http_client import HttpResponse, PoliteClient
from extractors.fetch.official_documents import (
    MIN_DOCUMENT_BYTES,
    document_request,
    endpoints_for,
    judge_body,
    language_choice_url,
    or_variant,
    sniff_kind,
    undocs_link,
    viewer_document_url,
)
from extractors.fetch.raw_store import RawStore, sha256_hex
from extractors.symbols import split_joint_symbol

Outcome = Literal["downloaded", "not_modified", "unchanged_hash", "absent", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("downloaded", "not_modified", "unchanged_hash", "absent", "failed")
ABSENT_STATUSES: frozenset[int] = frozenset({404, 410})
MAX_HTML_HOPS = 3


@dataclass(frozen=True)
class FetchState:
    """What the previous fetch of a document left behind, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None


# The FetchResult fields a server's answer fills with its own text.
SERVER_TEXT_FIELDS = (
    "reason",
    "url",
    "final_url",
    "etag",
    "last_modified",
    "content_type",
    "human_url",
    "error",
)


@dataclass(frozen=True)
class FetchResult:
    """One fetch, shaped like a row of the warehouse `fetches` table.

    `bytes` is the size of the body received by this fetch (0 on a 304); `sha256` is the
    document's hash (the previous one on a 304). `error` is None unless the outcome is
    absent or failed, and then names symbol, language, URL and reason. The fields holding
    what a server said have every secret setting taken out (common.redaction).
    """

    symbol: str
    language: str
    outcome: Outcome
    reason: str
    url: str
    final_url: str | None = None
    status: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    kind: str | None = None
    error: str | None = None
    human_url: str | None = None
    symbols: tuple[str, ...] = ()
    fetched_at: str = ""

    def __post_init__(self) -> None:
        # What the server said (addresses it redirected to, headers, error texts) may echo
        # a secret setting: taken out here, so no row, message or raw-store note holds it.
        for name in SERVER_TEXT_FIELDS:
            text = getattr(self, name)
            if text:
                object.__setattr__(self, name, redact_secrets(text))

    @property
    def needs_parse(self) -> bool:
        """True when the body is new and must be parsed (not 304, not a hash hit)."""
        return self.outcome == "downloaded"

    @property
    def state(self) -> FetchState:
        """The state to hand to the next fetch of the same document."""
        return FetchState(etag=self.etag, last_modified=self.last_modified, sha256=self.sha256)

    def to_row(self) -> dict[str, Any]:
        """The result as a plain dict (symbols joined by '-') for loading into `fetches`."""
        row = asdict(self)
        row["symbols"] = "-".join(self.symbols)
        return row


@dataclass(frozen=True)
class _Attempt:
    response: HttpResponse | None
    absent_reason: str | None = None
    kind: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _get_document(
    client: PoliteClient,
    url: str,
    params: dict[str, str] | None,
    previous: FetchState | None,
    min_bytes: int,
    language: str,
) -> _Attempt:
    """GET a document address, following viewer/language pages, and judge the body."""
    response = client.get(
        url,
        params=params,
        etag=previous.etag if previous else None,
        last_modified=previous.last_modified if previous else None,
    )
    for _hop in range(MAX_HTML_HOPS + 1):
        if response.status == 304 or response.status not in ABSENT_STATUSES | {200}:
            return _Attempt(response)
        if response.status in ABSENT_STATUSES:
            return _Attempt(response, f"HTTP {response.status}")
        verdict = judge_body(response.body, response.content_type, min_bytes=min_bytes)
        if verdict.accepted:
            return _Attempt(response, kind=verdict.kind)
        if verdict.kind != "html":
            return _Attempt(response, verdict.reason)
        next_url = viewer_document_url(response.body, response.final_url)
        if next_url is None:
            next_url = language_choice_url(response.body, response.final_url, language)
        if next_url is None:
            return _Attempt(response, "HTML page instead of a document")
        response = client.get(next_url)
    return _Attempt(response, f"more than {MAX_HTML_HOPS} HTML pages before a document")


def _result_from(
    base: dict[str, Any], response: HttpResponse, outcome: Outcome, reason: str, **extra: Any
) -> FetchResult:
    fields: dict[str, Any] = {
        **base,
        "outcome": outcome,
        "reason": reason,
        "url": response.url,
        "final_url": response.final_url,
        "status": response.status,
        "bytes": len(response.body),
        "etag": response.etag,
        "last_modified": response.last_modified,
        "content_type": response.content_type or None,
        **extra,
    }
    if outcome in ("absent", "failed"):
        fields["error"] = f"{base['symbol']} [{base['language']}] {response.final_url}: {reason}"
    return FetchResult(**fields)


def fetch_document(
    client: PoliteClient,
    store: RawStore,
    symbol: str,
    language: str,
    *,
    source: str,
    previous: FetchState | None,
    force: bool = False,
    min_bytes: int = MIN_DOCUMENT_BYTES,
) -> FetchResult:
    """Fetch a document by symbol and language from the ODS API at `source` ('un' or a URL).

    Looks up a joint symbol by its first part, retries the '(OR)' variant when the plain
    symbol is absent, sends conditional headers from `previous` unless `force`, and stores
    an accepted new body in `store`. Never raises for a document-level failure.
    """
    endpoints = endpoints_for(source)
    base: dict[str, Any] = {"symbol": symbol, "language": language, "fetched_at": _now()}
    try:
        symbols = split_joint_symbol(symbol)
    except NotASymbol as error:
        return FetchResult(
            **base,
            outcome="failed",
            reason=f"not a UN symbol ({error.cause})",
            url="",
            error=f"{symbol} [{language}]: not a UN symbol ({error.cause})",
        )
    base.update(symbol=symbols[0], symbols=symbols)
    base["human_url"] = undocs_link(endpoints, symbols[0], language)
    conditional = None if force else previous
    absent: list[tuple[HttpResponse, str]] = []
    for candidate in (symbols[0], or_variant(symbols[0])):
        url, params = document_request(endpoints, candidate, language)
        try:
            attempt = _get_document(client, url, params, conditional, min_bytes, language)
        except (FetchRefused, FetchFailed, ValueError) as error:
            reason = str(error)
            return FetchResult(
                **base,
                outcome="failed",
                reason=reason,
                url=url,
                error=f"{symbols[0]} [{language}] {url} (s={candidate}): {reason}",
            )
        response = attempt.response
        assert response is not None
        if attempt.absent_reason is not None:
            absent.append((response, f"{attempt.absent_reason} for s={candidate}"))
            continue
        return _finish(store, base, response, attempt.kind, previous, force)
    first_response = absent[0][0]
    reason = "; ".join(reason for _response, reason in absent)
    return _result_from(
        base, first_response, "absent", reason, kind=sniff_kind(first_response.body)
    )


def fetch_link(
    client: PoliteClient,
    store: RawStore,
    link: str,
    symbol: str,
    language: str,
    *,
    previous: FetchState | None,
    force: bool = False,
    min_bytes: int = MIN_DOCUMENT_BYTES,
) -> FetchResult:
    """Fetch a document from an undocs.org-style link (viewer or language-choice page)."""
    base: dict[str, Any] = {
        "symbol": symbol,
        "language": language,
        "fetched_at": _now(),
        "human_url": link,
        "symbols": (symbol,),
    }
    try:
        conditional = None if force else previous
        attempt = _get_document(client, link, None, conditional, min_bytes, language)
    except (FetchRefused, FetchFailed, ValueError) as error:
        return FetchResult(
            **base,
            outcome="failed",
            reason=str(error),
            url=link,
            error=f"{symbol} [{language}] {link}: {error}",
        )
    response = attempt.response
    assert response is not None
    if attempt.absent_reason is not None:
        return _result_from(base, response, "absent", attempt.absent_reason)
    return _finish(store, base, response, attempt.kind, previous, force)


def _finish(
    store: RawStore,
    base: dict[str, Any],
    response: HttpResponse,
    kind: str | None,
    previous: FetchState | None,
    force: bool,
) -> FetchResult:
    """Turn a non-absent answer into not_modified, unchanged_hash, downloaded or failed."""
    if response.status == 304:
        if previous is None or previous.sha256 is None:
            return _result_from(base, response, "failed", "HTTP 304 without a previous fetch")
        return _result_from(
            base,
            response,
            "not_modified",
            "HTTP 304 Not Modified",
            sha256=previous.sha256,
            etag=response.etag or previous.etag,
            last_modified=response.last_modified or previous.last_modified,
        )
    if response.status != 200:
        return _result_from(base, response, "failed", f"HTTP {response.status}")
    digest = sha256_hex(response.body)
    unchanged = not force and previous is not None and previous.sha256 == digest
    outcome: Outcome = "unchanged_hash" if unchanged and store.has(digest) else "downloaded"
    reason = "same sha256 as the previous fetch" if outcome == "unchanged_hash" else kind or ""
    result = _result_from(base, response, outcome, reason, sha256=digest, kind=kind)
    if outcome == "downloaded":
        metadata = result.to_row()
        metadata.pop("error")
        store.put(response.body, metadata)
    return result
