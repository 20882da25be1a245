"""Typed errors raised inside CoopWatch; the CLI turns each into one clear line."""

from __future__ import annotations


class CoopWatchError(Exception):
    """Base of every error CoopWatch reports to a person."""


class DocumentError(CoopWatchError):
    """A document could not be read or parsed; names the document and the cause."""

    def __init__(self, document: str, cause: str) -> None:
        super().__init__(f"{document}: {cause}")
        self.document = document
        self.cause = cause

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:
        """Pickle with both arguments, so the error survives a trip back from a Dask worker."""
        return type(self), (self.document, self.cause)


class EmptyDocument(DocumentError):
    """The file has no content."""


class NotText(DocumentError):
    """The file is binary where text was expected."""


class NotAReport(DocumentError):
    """The text has no report structure (no numbered paragraphs or sections)."""


class NoTextLayer(DocumentError):
    """A PDF has no extractable text (scanned image)."""


class EncryptedDocument(DocumentError):
    """A PDF is encrypted and cannot be read."""


class CorruptDocument(DocumentError):
    """A file is truncated or malformed for its declared format."""


class DocumentTooLarge(DocumentError):
    """A local file is larger than CoopWatch reads whole into memory."""


class UnknownEdition(CoopWatchError):
    """An edition symbol is not loaded in the warehouse."""


class FetchRefused(CoopWatchError):
    """A fetch was refused by policy (host not allowed, body too large, …)."""


class NotASymbol(CoopWatchError, ValueError):
    """A string is not a UN document symbol CoopWatch understands; names the text."""

    def __init__(self, text: str, cause: str = "not a UN document symbol") -> None:
        super().__init__(f"{text!r}: {cause}")
        self.text = text
        self.cause = cause


class ReferenceDataError(CoopWatchError):
    """A reference data file is inconsistent; names the file, the line and the cause."""

    def __init__(self, path: str, line: int | None, cause: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {cause}")
        self.path = path
        self.line = line
        self.cause = cause


class FetchFailed(CoopWatchError):
    """A fetch failed in transport (timeout, lost connection, truncated body) after retries."""


class DiscoveryUnavailable(CoopWatchError):
    """The discovery service cannot be queried now (bot challenge, rate limit, outage)."""


class NotAResolution(DocumentError):
    """The document has no resolution structure (symbol, adoption or paragraphs)."""


class SchemaVersionError(CoopWatchError):
    """The warehouse file was written by a newer CoopWatch (its schema version is ahead)."""


class UnloadableDocument(DocumentError):
    """A parsed document cannot be stored as it is (e.g. two paragraphs with one number)."""


class BadSetting(CoopWatchError):
    """A COOPWATCH_* setting holds a value CoopWatch cannot use; names the variable, the
    value and what is expected."""


class MailSettingsError(BadSetting):
    """The mail settings (environment or prefect-email block) are incomplete or invalid."""


class DeliveryError(CoopWatchError):
    """An email could not be delivered (SMTP refused or unreachable); never names a password."""


class SettingsError(CoopWatchError):
    """A settings file (calendar, subscriptions) is malformed; names file, line and field."""

    def __init__(self, path: str, line: int | None, field: str | None, cause: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {field}: {cause}" if field else f"{where}: {cause}")
        self.path = path
        self.line = line
        self.field = field
        self.cause = cause


class BudgetExhausted(FetchRefused):
    """A host's hourly fetch budget is spent; names the host and the budget."""

    def __init__(self, host: str, per_hour: int) -> None:
        super().__init__(f"{host}: fetch budget of {per_hour} requests per hour exhausted")
        self.host = host
        self.per_hour = per_hour


class BadSource(CoopWatchError, ValueError):
    """A source is neither 'un' nor an http(s) base URL; names what was given."""


class UnknownLanguage(CoopWatchError, ValueError):
    """A language code the UN's document services do not publish in; names the code."""


class NotADigest(CoopWatchError, ValueError):
    """A raw-store key that is not a sha256 hex digest; names what was given."""


class UnknownSetting(CoopWatchError, ValueError):
    """A settings block names keys CoopWatch does not know; names them."""
