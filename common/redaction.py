"""The one redactor for secrets: every setting marked secret in common.settings (the SMTP
password, the Digital Library key), whole or in part, taken out of any text a server may
have echoed them into before it reaches a terminal, a log, a warehouse row or an artifact.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import quote, quote_plus

from common.settings import VARIABLES, read_secret

# The shortest run of a secret's characters taken as a fragment of it: a server may echo a
# secret cut short (an AUTH line, an Authorization header, a query string it truncates).
SECRET_FRAGMENT = 4
MASK = "***"


def secret_forms(secret: str) -> tuple[str, ...]:
    """A secret as it may travel or be quoted: itself, escaped as Python quotes it,
    percent-encoded in a URL, and in base64."""
    forms = (
        secret,
        repr(secret)[1:-1],
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        base64.b64encode(secret.encode("utf-8")).decode("ascii"),
    )
    return tuple(dict.fromkeys(form for form in forms if form))


def secret_values(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Every form of every secret setting that is set in `environ` (default: the process
    environment)."""
    found: list[str] = []
    for variable in VARIABLES:
        if variable.secret:
            value = read_secret(variable.name, environ=environ)
            if value:
                found.extend(secret_forms(value))
    return tuple(dict.fromkeys(found))


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret in `text`, and every run of SECRET_FRAGMENT characters or more
    of one (a cut echo of an AUTH line, a key quoted in part), by '***'."""
    wanted = tuple(sorted({secret for secret in secrets if secret}))
    if not wanted or not text:
        return text
    spans = [
        (match.start(), match.start() + len(match.group(1)))
        for match in _fragment_pattern(wanted).finditer(text)
    ]
    for start, end in sorted(_merged(spans), reverse=True):
        text = text[:start] + MASK + text[end:]
    return text


def redact_secrets(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` with every secret setting of `environ` (default: the process environment)
    taken out, whole or in part."""
    return redact(text, secret_values(environ)) if text else text


@lru_cache(maxsize=16)
def _fragment_pattern(secrets: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching, at every position (a lookahead, so matches overlap), each run of
    SECRET_FRAGMENT characters of a secret (a shorter secret whole). Any longer run of a
    secret is covered by these runs, so their union is every fragment in the text."""
    grams = {
        secret[start : start + min(len(secret), SECRET_FRAGMENT)]
        for secret in secrets
        for start in range(max(len(secret) - SECRET_FRAGMENT, 0) + 1)
    }
    alternatives = "|".join(re.escape(gram) for gram in sorted(grams, key=len, reverse=True))
    return re.compile(f"(?=({alternatives}))")


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching (start, end) spans joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
