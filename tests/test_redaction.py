"""The one redactor: every setting marked secret in common.settings, whole, cut short or
encoded, is taken out of a text, and nothing else is; every log handler of CoopWatch's
Prefect logging runs it over each record, its traceback included."""

from __future__ import annotations

import logging
import sys

import pytest
import yaml

from common.redaction import redact_secrets, secret_values
from common.settings import VARIABLES
from flows.prefect_logging import LOGGING_SETTINGS, RedactSecrets

KEY = "xK7qVw3zJp9tLm2rBn5c"


def _leaks(text: str, least: int = 4) -> set[str]:
    return {KEY[i : i + least] for i in range(len(KEY) - least + 1) if KEY[i : i + least] in text}


@pytest.mark.parametrize(
    "echo",
    [KEY, KEY[:-5], KEY[3:9], f"Token {KEY[:6]}", KEY.replace("V", "%56"), f"'{KEY}'"],
)
def test_redact_secrets_takes_out_a_key_whole_cut_or_encoded(echo: str) -> None:
    environ = {"COOPWATCH_LIBRARY_KEY": KEY}
    told = redact_secrets(f"403 invalid token {echo} for /search", environ)
    assert told.startswith("403 invalid token ") and told.endswith(" for /search")
    assert "***" in told and not _leaks(told)


def test_every_secret_setting_is_redacted_and_nothing_else() -> None:
    environ = {
        "COOPWATCH_LIBRARY_KEY": KEY,
        "COOPWATCH_SMTP_PASSWORD": "Zq8-hunter2",
        "COOPWATCH_SMTP_HOST": "mail.example.org",
    }
    assert KEY in secret_values(environ) and "Zq8-hunter2" in secret_values(environ)
    assert "mail.example.org" not in secret_values(environ)
    told = redact_secrets(f"reply {KEY}, password hunter2, host mail.example.org", environ)
    assert told == "reply ***, password ***, host mail.example.org"
    assert redact_secrets("nothing secret here", {}) == "nothing secret here"


def test_the_secret_settings_are_the_key_and_the_password() -> None:
    secret = {variable.name for variable in VARIABLES if variable.secret}
    assert secret == {"COOPWATCH_LIBRARY_KEY", "COOPWATCH_SMTP_PASSWORD"}


def test_the_log_filter_redacts_message_arguments_and_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COOPWATCH_LIBRARY_KEY", KEY)
    try:
        raise RuntimeError(f"server said: bad token {KEY[:-3]}")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "coopwatch", logging.ERROR, __file__, 1, "fetch failed: %s", (f"/x?t={KEY}",), exc_info
    )
    assert RedactSecrets().filter(record)
    formatted = logging.Formatter().format(record)
    assert "fetch failed: /x?t=***" in formatted and "bad token ***" in formatted
    assert not _leaks(formatted), formatted


def test_every_log_handler_redacts() -> None:
    settings = yaml.safe_load(LOGGING_SETTINGS.read_text(encoding="utf-8"))
    assert settings["filters"]["redacted"]["()"] == "flows.prefect_logging.RedactSecrets"
    unfiltered = [
        name
        for name, handler in settings["handlers"].items()
        if "redacted" not in handler.get("filters", [])
    ]
    assert unfiltered == []
    assert settings["handlers"]["console"]["filters"][0] == "redacted"


def test_a_fetch_result_holds_no_part_of_a_secret_a_server_echoed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from extractors.fetch.fetch_document import SERVER_TEXT_FIELDS, FetchResult

    monkeypatch.setenv("COOPWATCH_LIBRARY_KEY", KEY)
    echoed = {name: f"{name} {KEY[:-2]} {KEY[5:]}" for name in SERVER_TEXT_FIELDS}
    result = FetchResult(symbol="A/77/277", language="fr", outcome="failed", **echoed)
    for name in SERVER_TEXT_FIELDS:
        told = getattr(result, name)
        assert told.startswith(f"{name} ***") and not _leaks(told), (name, told)
    assert result.symbol == "A/77/277"
