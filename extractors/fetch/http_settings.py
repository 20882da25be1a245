"""The polite client's settings for a run: ClientConfig defaults, then the COOPWATCH_HTTP_*
variables, then the run's own overrides; the UN's services are never asked without a
contact address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from common.errors import BadSetting, CoopWatchError
from common.settings import read_number, read_text, read_whole_number
from extractors.fetch.http_client import ClientConfig
from extractors.fetch.official_documents import UN_SOURCE_NAMES

# Environment variables that tune the client, by the ClientConfig field each sets; run
# parameters (`http=`) override them.
# Each number's bound: a wait or a count may be 0 (0 turns it off), a timeout, a deadline
# or a body limit must be more than 0; nothing may be negative.
HTTP_NUMBERS: dict[str, str] = {
    "COOPWATCH_HTTP_RATE": "requests_per_second",
    "COOPWATCH_HTTP_CONNECT_TIMEOUT": "connect_timeout",
    "COOPWATCH_HTTP_READ_TIMEOUT": "read_timeout",
    "COOPWATCH_HTTP_BACKOFF": "backoff_factor",
    "COOPWATCH_HTTP_PAUSE_SECONDS": "pause_seconds",
    "COOPWATCH_HTTP_JITTER": "jitter_seconds",
    "COOPWATCH_HTTP_DEADLINE": "request_deadline",
}
POSITIVE_NUMBERS = frozenset(
    {"COOPWATCH_HTTP_CONNECT_TIMEOUT", "COOPWATCH_HTTP_READ_TIMEOUT", "COOPWATCH_HTTP_DEADLINE"}
)
HTTP_WHOLE_NUMBERS: dict[str, str] = {
    "COOPWATCH_HTTP_RETRIES": "retries",
    "COOPWATCH_HTTP_MAX_BYTES": "max_body_bytes",
    "COOPWATCH_HTTP_PER_HOUR": "requests_per_hour",
    "COOPWATCH_HTTP_PAUSE_EVERY": "pause_every",
}
POSITIVE_WHOLE_NUMBERS = frozenset({"COOPWATCH_HTTP_MAX_BYTES"})
HTTP_TEXTS: dict[str, str] = {"COOPWATCH_HTTP_CA_BUNDLE": "ca_bundle"}
CONTACT_VARIABLES: tuple[str, ...] = ("COOPWATCH_CONTACT", "COOPWATCH_MAIL_FROM")
LOCAL_CONTACT = "coopwatch@localhost"


class MissingContact(CoopWatchError):
    """Fetching from the UN's own services needs a contact address for the User-Agent."""


def is_un_source(source: str) -> bool:
    """True when `source` names the UN's own services rather than a mirror or test server."""
    return source.rstrip("/") in UN_SOURCE_NAMES


def _read_http_variable(variable: str) -> tuple[str, Any]:
    """The ClientConfig field one COOPWATCH_HTTP_* variable sets and its value (None when
    unset); raises BadSetting naming the variable, the value and what is expected."""
    if variable in HTTP_NUMBERS:
        field = HTTP_NUMBERS[variable]
        positive = variable in POSITIVE_NUMBERS
        return field, read_number(
            variable,
            None,
            above=0 if positive else None,
            least=None if positive else 0,
            expected=f"a valid {field} (a number)",
        )
    if variable in HTTP_WHOLE_NUMBERS:
        field = HTTP_WHOLE_NUMBERS[variable]
        return field, read_whole_number(
            variable,
            None,
            least=1 if variable in POSITIVE_WHOLE_NUMBERS else 0,
            expected=f"a valid {field} (a whole number)",
        )
    field = HTTP_TEXTS[variable]
    value = read_text(variable)
    if field == "ca_bundle" and value is not None and not Path(value).is_file():
        raise BadSetting(f"{variable}: {value!r} is not a file (expected a PEM file)")
    return field, value


def read_http_settings() -> tuple[dict[str, Any], list[str]]:
    """The ClientConfig fields the COOPWATCH_HTTP_* variables set (those unset or bad left
    out) and every problem, one line per bad variable: a run is refused once for all of them."""
    settings: dict[str, Any] = {}
    problems: list[str] = []
    for variable in (*HTTP_NUMBERS, *HTTP_WHOLE_NUMBERS, *HTTP_TEXTS):
        try:
            field, value = _read_http_variable(variable)
        except BadSetting as error:
            problems.append(str(error))
            continue
        if value is not None:
            settings[field] = value
    return settings, problems


def http_setting_problems() -> list[str]:
    """Every bad COOPWATCH_HTTP_* variable, one line each naming the variable, the value and
    what is expected (empty when all are good or unset)."""
    return read_http_settings()[1]


def http_settings_from_env() -> dict[str, Any]:
    """The ClientConfig fields the COOPWATCH_HTTP_* variables set (those unset are left out);
    raises BadSetting with the first bad variable, for callers that need one error."""
    settings, problems = read_http_settings()
    if problems:
        raise BadSetting(problems[0])
    return settings


def client_config(source: str, overrides: Mapping[str, Any] | None = None) -> ClientConfig:
    """Client settings: ClientConfig defaults, then COOPWATCH_HTTP_* variables, then overrides.

    The contact address comes from $COOPWATCH_CONTACT (or $COOPWATCH_MAIL_FROM); the UN's
    services are never asked without one.
    """
    settings = http_settings_from_env()
    settings.update(overrides or {})
    known = {f.name for f in fields(ClientConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise CoopWatchError(f"unknown HTTP setting(s) {unknown}: use {sorted(known)}")
    contact = settings.pop("contact", None) or next(
        (address for v in CONTACT_VARIABLES if (address := read_text(v))), None
    )
    if contact is None:
        if is_un_source(source):
            raise MissingContact(
                "set COOPWATCH_CONTACT to an address the UN can reach before fetching from "
                "its services (it goes in the User-Agent)"
            )
        contact = LOCAL_CONTACT
    if not is_un_source(source):
        settings.setdefault("source", source)
    return ClientConfig(contact=contact, **settings)
