"""A local stand-in for undocs.org, documents.un.org and digitallibrary.un.org, for tests.

One threaded HTTP server on 127.0.0.1 answers the ODS API, undocs.org links (redirect to a
Document Viewer page with an iframe; a language-choice page without a language) and the
Digital Library (public search, keyed API, OAI-PMH) the way the real services do, including
their misbehaviours, each switchable per document with `UNServer.set_behaviour`.
"""

from __future__ import annotations

import hashlib
import re
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape

BEHAVIOURS = frozenset(
    {
        "ok",
        "html",
        "empty",
        "rate_limited",
        "unavailable_then_ok",
        "slow",
        "truncated",
        "redirect",
        "redirect_loop",
        "huge",
        "trickle",
        "trickle_headers",
        "trickle_status",
        "echo_key",
    }
)
LIBRARY_BEHAVIOURS = frozenset({"ok", "challenge", "entity_attack", "echo_key"})
LANGUAGE_NAMES = {
    "ar": "العربية",
    "ch": "中文",
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "ru": "Русский",
}
MARC_NS = "http://www.loc.gov/MARC21/slim"
LAST_MODIFIED = "Mon, 02 Sep 2024 10:00:00 GMT"


@dataclass
class ServedDocument:
    """A document body the server holds, with its validators and behaviour."""

    body: bytes
    content_type: str = "application/pdf"
    behaviour: str = "ok"
    options: dict[str, object] = field(default_factory=dict)
    hits: int = 0

    @property
    def etag(self) -> str:
        """A strong validator derived from the body, so a changed body gets a new one."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class LibraryRecord:
    """One Digital Library record: symbol (191), title (245), date (269), files (856)."""

    record_id: int
    symbol: str
    title: str
    date: str
    files: tuple[str, ...] = ()


@dataclass
class LoggedRequest:
    """What the server saw and answered (logged before answering, so no test races it)."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int
    body_bytes: int
    at: float


class UNServer:
    """The fake UN services; use as a context manager or call start()/stop(). With `tls`,
    it answers over https with that server context."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.documents: dict[tuple[str, str], ServedDocument] = {}
        self.library: list[LibraryRecord] = []
        self.library_behaviour = "ok"
        self.api_key: str | None = None
        self.page_size = 2
        self.cursors: dict[str, int] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._server.handle_error = _quiet_on_lost_connections(self._server.handle_error)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """The server's base URL, to be used as the pipeline's source."""
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def start(self) -> UNServer:
        """Start answering on a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> UNServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def add_document(
        self,
        symbol: str,
        language: str,
        body: bytes,
        *,
        content_type: str = "application/pdf",
        behaviour: str = "ok",
        **options: object,
    ) -> ServedDocument:
        """Serve `body` for (symbol, language) at the ODS API address."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}")
        document = ServedDocument(body, content_type, behaviour, dict(options))
        self.documents[(symbol, language)] = document
        return document

    def set_behaviour(self, symbol: str, language: str, behaviour: str, **options: object) -> None:
        """Switch how (symbol, language) is answered from now on (hit counter restarts)."""
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}")
        document = self.documents[(symbol, language)]
        document.behaviour = behaviour
        document.options = dict(options)
        document.hits = 0

    def add_record(self, record: LibraryRecord) -> None:
        """Make the Digital Library know a record."""
        self.library.append(record)

    def requests_to(self, path_prefix: str) -> list[LoggedRequest]:
        """Logged requests whose path starts with `path_prefix`."""
        return [entry for entry in self.log if entry.path.startswith(path_prefix)]

    def document_bodies_served(self) -> int:
        """How many non-empty 200 answers the ODS API gave (document downloads)."""
        return sum(
            1
            for entry in self.requests_to("/api/symbol/access")
            if entry.status == 200 and entry.body_bytes > 0
        )

    def record_request(self, entry: LoggedRequest) -> None:
        """Append one request to the log (called by the handler threads)."""
        with self._lock:
            self.log.append(entry)


def _quiet_on_lost_connections(handle_error):
    """A server's error hook that stays quiet when a client cut the connection (a TLS
    client that gave up mid-body); anything else is still reported."""

    def handle(request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            handle_error(request, client_address)

    return handle


def marcxml(records: list[LibraryRecord], *, wrapper: str | None = None) -> bytes:
    """MARC21-slim XML for records, optionally inside an API wrapper with a search_id."""
    parts = [f'<collection xmlns="{MARC_NS}">']
    for record in records:
        parts.append("<record>")
        parts.append(f'<controlfield tag="001">{record.record_id}</controlfield>')
        for symbol in record.symbol.split("-"):
            parts.append(_datafield("191", [("a", symbol)]))
        title, _, rest = record.title.partition(" : ")
        subfields = [("a", title + (" :" if rest else ""))] + ([("b", rest)] if rest else [])
        parts.append(_datafield("245", subfields))
        parts.append(_datafield("269", [("a", record.date)]))
        for url in record.files:
            parts.append(_datafield("856", [("y", "English"), ("u", url)]))
        parts.append("</record>")
    parts.append("</collection>")
    collection = "".join(parts)
    if wrapper is None:
        body = f"<!-- Search-Engine-Total-Number-Of-Results: {len(records)} -->\n{collection}"
    else:
        body = f"<response><search_id>{wrapper}</search_id>{collection}</response>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def _datafield(tag: str, subfields: list[tuple[str, str]]) -> str:
    inner = "".join(
        f'<subfield code="{code}">{escape(value)}</subfield>' for code, value in subfields
    )
    return f'<datafield tag="{tag}" ind1=" " ind2=" ">{inner}</datafield>'


ENTITY_ATTACK = b"""<?xml version="1.0"?>
<!DOCTYPE collection [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY x SYSTEM "file:///etc/passwd">
]>
<collection xmlns="http://www.loc.gov/MARC21/slim"><record>
<datafield tag="191" ind1=" " ind2=" "><subfield code="a">A/81/999&x;</subfield></datafield>
<datafield tag="245" ind1=" " ind2=" "><subfield code="a">&f;</subfield></datafield>
</record></collection>
"""


def _make_handler(server: UNServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            self._entry = LoggedRequest(
                path=path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                status=0,
                body_bytes=0,
                at=time.monotonic(),
            )
            self._query = self._entry.query
            server.record_request(self._entry)
            try:
                self._route(path)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _route(self, path: str) -> None:
            if path == "/api/symbol/access":
                self._serve_document()
            elif path.startswith("/viewer/"):
                self._serve_viewer(path.removeprefix("/viewer/"))
            elif path == "/search":
                self._serve_library(self._search_records(), keyed=False)
            elif path == "/api/v1/search":
                self._serve_library(self._search_records(), keyed=True)
            elif path == "/oai2d":
                self._serve_library(list(server.library), keyed=False)
            elif path.startswith("/denied/"):
                self._serve_denied()
            elif path.startswith("/elsewhere/"):
                self._answer(200, b"not a UN document", "text/plain")
            else:
                self._serve_undocs(path.strip("/"))

        def _param(self, name: str) -> str:
            return self._query.get(name, [""])[0]

        def _answer(
            self,
            status: int,
            body: bytes = b"",
            content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
        ) -> None:
            self._entry.status = status
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if status != 304 and body:
                self._entry.body_bytes = len(body)
                self.wfile.write(body)

        def _serve_document(self) -> None:
            key = (self._param("s"), self._param("l"))
            document = server.documents.get(key)
            if document is None:
                self._answer(404, b"<html><body>Document not found</body></html>")
                return
            document.hits += 1
            behave = getattr(self, f"_behave_{document.behaviour}")
            behave(document)

        def _behave_ok(self, document: ServedDocument) -> None:
            validators = {"ETag": document.etag, "Last-Modified": LAST_MODIFIED}
            if self.headers.get("If-None-Match") == document.etag:
                self._answer(304, headers=validators)
                return
            self._answer(200, document.body, document.content_type, validators)

        def _behave_html(self, document: ServedDocument) -> None:
            page = b"<!DOCTYPE html><html><body><h1>Official Document System</h1></body></html>"
            self._answer(200, page + b" " * 2048)

        def _behave_empty(self, document: ServedDocument) -> None:
            self._answer(200, b"", "application/pdf")

        def _behave_rate_limited(self, document: ServedDocument) -> None:
            if document.hits <= int(document.options.get("times", 1)):
                retry_after = str(document.options.get("retry_after", "1"))
                self._answer(429, b"slow down", "text/plain", {"Retry-After": retry_after})
                return
            self._behave_ok(document)

        def _behave_unavailable_then_ok(self, document: ServedDocument) -> None:
            if document.hits <= int(document.options.get("times", 1)):
                self._answer(503, b"busy", "text/plain")
                return
            self._behave_ok(document)

        def _behave_slow(self, document: ServedDocument) -> None:
            time.sleep(float(document.options.get("delay", 1.0)))
            self._behave_ok(document)

        def _behave_truncated(self, document: ServedDocument) -> None:
            self._entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", document.content_type)
            self.send_header("Content-Length", str(len(document.body)))
            self.end_headers()
            half = document.body[: len(document.body) // 2]
            self._entry.body_bytes = len(half)
            self.wfile.write(half)
            self.wfile.flush()
            self.close_connection = True

        def _behave_redirect(self, document: ServedDocument) -> None:
            self._answer(302, b"", headers={"Location": str(document.options["location"])})

        def _behave_redirect_loop(self, document: ServedDocument) -> None:
            self._answer(302, b"", headers={"Location": self.path})

        def _behave_huge(self, document: ServedDocument) -> None:
            size = int(document.options.get("size", 10_000_000))
            declare = bool(document.options.get("declare_length", True))
            self._entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            if declare:
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"%PDF-1.7\n" + b"0" * 65527
            for _ in range(size // len(chunk) + 1):
                data = chunk if declare else b"%x\r\n%s\r\n" % (len(chunk), chunk)
                self.wfile.write(data)
                self._entry.body_bytes += len(chunk)
            if not declare:
                self.wfile.write(b"0\r\n\r\n")

        def _behave_trickle(self, document: ServedDocument) -> None:
            """The whole length declared, then one byte every `interval` seconds."""
            interval = float(document.options.get("interval", 0.5))
            self._entry.status = 200
            self.send_response(200)
            self.send_header("Content-Type", document.content_type)
            self.send_header("Content-Length", str(len(document.body)))
            self.end_headers()
            for index in range(len(document.body)):
                self.wfile.write(document.body[index : index + 1])
                self.wfile.flush()
                self._entry.body_bytes += 1
                time.sleep(interval)

        def _behave_trickle_headers(self, document: ServedDocument) -> None:
            """A status line, then one header byte every `interval` seconds, never ending."""
            interval = float(document.options.get("interval", 0.5))
            self._entry.status = 200
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(int(document.options.get("bytes", 10_000))):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(interval)

        def _behave_trickle_status(self, document: ServedDocument) -> None:
            """The status line itself one byte every `interval` seconds, never ending."""
            interval = float(document.options.get("interval", 0.5))
            self._entry.status = 200
            for _ in range(int(document.options.get("bytes", 10_000))):
                self.wfile.write(b"H")
                self.wfile.flush()
                time.sleep(interval)

        def _behave_echo_key(self, document: ServedDocument) -> None:
            """A hostile server that learnt the library key: a redirect carrying most of it,
            then a 500 quoting it in its body and an ETag."""
            key = server.api_key or ""
            self._answer(302, b"", headers={"Location": f"/denied/document?token={key[:-4]}"})

        def _serve_denied(self) -> None:
            """The end of an echo_key redirect: refused, quoting the key whole and cut short
            in the body and the headers."""
            key = server.api_key or ""
            status = 500 if self._entry.path == "/denied/document" else 403
            body = f"invalid token {key} (from {self._param('token')})".encode()
            headers = {"ETag": f'"{key}"', "X-Token": key[3:-3], "WWW-Authenticate": key[:9]}
            self._answer(status, body, f"text/plain; token={key[2:]}", headers)

        def _serve_undocs(self, rest: str) -> None:
            first, _, symbol = rest.partition("/")
            if first.lower() in LANGUAGE_NAMES and symbol:
                location = f"/viewer/{first.lower()}/{quote(symbol, safe='/()')}"
                self._answer(302, b"", headers={"Location": location})
                return
            if not rest or not any(symbol == rest for symbol, _lang in server.documents):
                self._answer(404, b"<html><body>No such document</body></html>")
                return
            links = "".join(
                f'<li><a href="/{code}/{quote(rest, safe="/()")}">{name}</a></li>'
                for code, name in LANGUAGE_NAMES.items()
            )
            page = (
                f"<!DOCTYPE html><html><body><h1>{escape(rest)}</h1><ul>{links}</ul></body></html>"
            )
            self._answer(200, page.encode())

        def _serve_viewer(self, rest: str) -> None:
            language, _, symbol = rest.partition("/")
            api_language = "zh" if language == "ch" else language
            source = f"/api/symbol/access?s={quote(symbol, safe='')}&l={api_language}&t=pdf"
            page = (
                "<!DOCTYPE html><html><head><title>Document Viewer</title></head><body>"
                f'<div class="viewer"><iframe src="{escape(source)}" width="100%"></iframe>'
                "</div></body></html>"
            )
            self._answer(200, page.encode())

        def _search_records(self) -> list[LibraryRecord]:
            query = re.sub(r"^\w+:", "", self._param("p"))
            words = query.lower().replace('"', "").split()
            return [
                record
                for record in server.library
                if all(word in record.title.lower() for word in words)
            ]

        def _serve_library(self, found: list[LibraryRecord], *, keyed: bool) -> None:
            if server.library_behaviour == "challenge":
                self._answer(
                    202,
                    b"<html><script>AwsWafIntegration.getToken()</script></html>",
                    headers={"x-amzn-waf-action": "challenge"},
                )
                return
            if server.library_behaviour == "echo_key" and keyed:
                token = self.headers.get("Authorization", "").removeprefix("Token ")
                where = f"/denied/library?token={quote(token)}&hint={quote(token[:-5])}"
                self._answer(302, b"", headers={"Location": where})
                return
            if server.library_behaviour == "entity_attack":
                self._answer(200, ENTITY_ATTACK, "application/xml")
                return
            if not keyed:
                self._answer(200, marcxml(found), "application/xml; charset=utf-8")
                return
            if self.headers.get("Authorization") != f"Token {server.api_key}":
                self._answer(401, b'{"error": "unauthorized"}', "application/json")
                return
            search_id = self._param("search_id") or f"search-{len(server.cursors) + 1}"
            start = server.cursors.get(search_id, 0)
            chunk = found[start : start + server.page_size]
            server.cursors[search_id] = start + len(chunk)
            self._answer(200, marcxml(chunk, wrapper=search_id), "application/xml")

    return Handler
