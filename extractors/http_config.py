"""The polite client's settings for a run: ClientConfig defaults, then the COOPWATCH_HTTP_*
variables, then the run's own overrides; the UN's services are never asked without a
contact address."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from extractors.errors import CoopWatchError
from extractors.http import ClientConfig
from extractors.ods import UN_SOURCE_NAMES

# Environment variables that tune the client; run parameters (`http=`) override them.
HTTP_ENVIRONMENT: dict[str, tuple[str, type]] = {
    "COOPWATCH_HTTP_RATE": ("requests_per_second", float),
    "COOPWATCH_HTTP_CONNECT_TIMEOUT": ("connect_timeout", float),
    "COOPWATCH_HTTP_READ_TIMEOUT": ("read_timeout", float),
    "COOPWATCH_HTTP_RETRIES": ("retries", int),
    "COOPWATCH_HTTP_BACKOFF": ("backoff_factor", float),
    "COOPWATCH_HTTP_MAX_BYTES": ("max_body_bytes", int),
    "COOPWATCH_HTTP_PER_HOUR": ("requests_per_hour", int),
    "COOPWATCH_HTTP_PAUSE_EVERY": ("pause_every", int),
    "COOPWATCH_HTTP_PAUSE_SECONDS": ("pause_seconds", float),
    "COOPWATCH_HTTP_JITTER": ("jitter_seconds", float),
    "COOPWATCH_HTTP_DEADLINE": ("request_deadline", float),
    "COOPWATCH_HTTP_CA_BUNDLE": ("ca_bundle", str),
}
CONTACT_VARIABLES: tuple[str, ...] = ("COOPWATCH_CONTACT", "COOPWATCH_MAIL_FROM")
LOCAL_CONTACT = "coopwatch@localhost"


class MissingContact(CoopWatchError):
    """Fetching from the UN's own services needs a contact address for the User-Agent."""


def is_un_source(source: str) -> bool:
    """True when `source` names the UN's own services rather than a mirror or test server."""
    return source.rstrip("/") in UN_SOURCE_NAMES


def client_config(source: str, overrides: Mapping[str, Any] | None = None) -> ClientConfig:
    """Client settings: ClientConfig defaults, then COOPWATCH_HTTP_* variables, then overrides.

    The contact address comes from $COOPWATCH_CONTACT (or $COOPWATCH_MAIL_FROM); the UN's
    services are never asked without one.
    """
    settings: dict[str, Any] = {}
    for variable, (name, convert) in HTTP_ENVIRONMENT.items():
        if os.environ.get(variable):
            try:
                settings[name] = convert(os.environ[variable])
            except ValueError:
                raise CoopWatchError(
                    f"{variable}: {os.environ[variable]!r} is not a valid {name} "
                    f"({convert.__name__})"
                ) from None
    settings.update(overrides or {})
    known = {f.name for f in fields(ClientConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise CoopWatchError(f"unknown HTTP setting(s) {unknown}: use {sorted(known)}")
    contact = settings.pop("contact", None) or next(
        (os.environ[v] for v in CONTACT_VARIABLES if os.environ.get(v)), None
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
