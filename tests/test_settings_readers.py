"""The settings readers: a value is read the same way whichever module asks, an unset or
blank variable gives the default, and a bad value is one BadSetting naming the variable,
the value and what is expected, at the readers and through the modules that use them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from common.errors import BadSetting, CoopWatchError, MailSettingsError
from common.settings import (
    FALSE_WORDS,
    TRUE_WORDS,
    VARIABLES,
    UnlistedVariable,
    read_addresses,
    read_flag,
    read_number,
    read_path,
    read_secret,
    read_text,
    read_whole_number,
    whole_number_value,
)
from flows.cli import app

DAYS = "COOPWATCH_RECHECK_DAYS"
ASCII_WHOLE = re.compile(r"\s*[+-]?[0-9]+\s*")


def test_text_is_stripped_and_blank_is_the_default() -> None:
    assert read_text("COOPWATCH_MAIL_FROM", environ={"COOPWATCH_MAIL_FROM": " a@x.org "}) == (
        "a@x.org"
    )
    assert read_text("COOPWATCH_MAIL_FROM", "d@x.org", environ={"COOPWATCH_MAIL_FROM": "  "}) == (
        "d@x.org"
    )
    assert read_text("COOPWATCH_MAIL_FROM", environ={}) is None


def test_a_secret_is_kept_exactly_as_set() -> None:
    assert read_secret("COOPWATCH_SMTP_PASSWORD", environ={"COOPWATCH_SMTP_PASSWORD": " p w "}) == (
        " p w "
    )
    assert read_secret("COOPWATCH_SMTP_PASSWORD", environ={"COOPWATCH_SMTP_PASSWORD": ""}) is None


def test_path_and_addresses() -> None:
    environ = {"COOPWATCH_CORPUS": " /srv/mirror ", "COOPWATCH_MAIL_TO": " a@x.org, ,b@y.org "}
    assert read_path("COOPWATCH_CORPUS", environ=environ) == Path("/srv/mirror")
    assert read_path("COOPWATCH_CALENDAR", Path("c.yaml"), environ=environ) == Path("c.yaml")
    assert read_addresses("COOPWATCH_MAIL_TO", environ=environ) == ("a@x.org", "b@y.org")
    assert read_addresses("COOPWATCH_MAIL_TO", environ={}) == ()


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DAYS, "12")
    assert read_whole_number(DAYS, 45) == 12
    monkeypatch.delenv(DAYS)
    assert read_whole_number(DAYS, 45) == 45


@pytest.mark.parametrize(
    "reader",
    [
        lambda name: read_text(name, environ={}),
        lambda name: read_secret(name, environ={}),
        lambda name: read_path(name, environ={}),
        lambda name: read_addresses(name, environ={}),
        lambda name: read_whole_number(name, 1, environ={}),
        lambda name: read_number(name, 1.0, environ={}),
        lambda name: read_flag(name, False, environ={}),
    ],
)
def test_every_reader_refuses_a_name_not_listed(reader: Callable[[str], Any]) -> None:
    with pytest.raises(UnlistedVariable, match="COOPWATCH_SMTP_HOSTNAME"):
        reader("COOPWATCH_SMTP_HOSTNAME")
    assert not issubclass(UnlistedVariable, CoopWatchError)  # a programming error, not a user's


def test_every_listed_variable_can_be_read() -> None:
    assert all(read_text(variable.name, environ={}) is None for variable in VARIABLES)


def test_whole_numbers_and_their_bounds() -> None:
    assert read_whole_number(DAYS, 45, least=0, environ={DAYS: " 0 "}) == 0
    assert read_whole_number(DAYS, 45, least=0, environ={DAYS: "+7"}) == 7
    assert read_whole_number(DAYS, 45, least=0, environ={DAYS: ""}) == 45
    with pytest.raises(BadSetting) as low:
        read_whole_number(DAYS, 45, least=0, environ={DAYS: "-1"})
    assert str(low.value) == "COOPWATCH_RECHECK_DAYS: -1 must be 0 or more"


@pytest.mark.parametrize("value", ["six weeks", "1.5", "1_000", "0x10", "²", "٣", "1 2"])
def test_a_whole_number_is_ascii_digits_only(value: str) -> None:
    with pytest.raises(BadSetting) as refused:
        read_whole_number(DAYS, 45, expected="a whole number of days", environ={DAYS: value})
    assert str(refused.value) == f"COOPWATCH_RECHECK_DAYS: {value!r} is not a whole number of days"


@given(st.integers(), st.integers(min_value=-5, max_value=5), st.sampled_from(["", " ", "\t"]))
def test_whole_number_reads_back_any_integer_or_names_the_bound(
    value: int, least: int, pad: str
) -> None:
    environ = {DAYS: f"{pad}{value}{pad}"}
    if value >= least:
        assert read_whole_number(DAYS, None, least=least, environ=environ) == value
    else:
        with pytest.raises(BadSetting, match=f"^{DAYS}: {value} must be {least} or more$"):
            read_whole_number(DAYS, None, least=least, environ=environ)


@given(st.text(min_size=1).filter(lambda text: text.strip() and not ASCII_WHOLE.fullmatch(text)))
def test_whole_number_refuses_any_other_text_naming_it(text: str) -> None:
    with pytest.raises(BadSetting) as refused:
        read_whole_number(DAYS, 45, environ={DAYS: text})
    assert str(refused.value) == f"{DAYS}: {text.strip()!r} is not a whole number"


def test_numbers_are_finite_and_above_their_floor() -> None:
    ratio = "COOPWATCH_ARCHIVE_RATIO"
    assert read_number(ratio, 100.0, above=0, environ={ratio: " 2.5 "}) == 2.5
    assert read_number(ratio, 100.0, above=0, environ={}) == 100.0
    for bad in ("fast", "nan", "inf", "-inf"):
        with pytest.raises(BadSetting, match=f"^{ratio}: '{bad}' is not a number$"):
            read_number(ratio, 100.0, environ={ratio: bad})
    with pytest.raises(BadSetting, match=f"^{ratio}: '0' must be more than 0$"):
        read_number(ratio, 100.0, above=0, environ={ratio: "0"})


def test_flags_take_the_delivery_words_in_any_case() -> None:
    name = "COOPWATCH_SMTP_STARTTLS"
    for word in TRUE_WORDS:
        assert read_flag(name, False, environ={name: f" {word.upper()} "}) is True
    for word in FALSE_WORDS:
        assert read_flag(name, True, environ={name: word.title()}) is False
    assert read_flag(name, True, environ={}) is True
    with pytest.raises(BadSetting, match=f"^{name}: 'maybe' is not true/false"):
        read_flag(name, False, environ={name: "maybe"})


def test_a_given_value_is_checked_by_the_variables_rule() -> None:
    assert whole_number_value("COOPWATCH_BREAKER_MISSES", "3", least=1) == 3
    with pytest.raises(BadSetting, match="^COOPWATCH_BREAKER_MISSES: 0 must be 1 or more$"):
        whole_number_value("COOPWATCH_BREAKER_MISSES", "0", least=1)


def _breaker() -> object:
    from extractors.fetch.circuit_breaker import breaker_misses

    return breaker_misses()


def _archive() -> object:
    from extractors.readers.zip_limits import limits_from_env

    return limits_from_env()


def _local_file() -> object:
    from extractors.fetch.local_file import max_file_bytes

    return max_file_bytes()


def _http() -> object:
    from extractors.fetch.http_settings import client_config

    return client_config("http://127.0.0.1:8000")


def _recheck() -> object:
    from warehouse.runs.fetch_state import recheck_policy

    return recheck_policy()


@pytest.mark.parametrize(
    ("variable", "value", "read", "message"),
    [
        (
            "COOPWATCH_BREAKER_MISSES",
            "lots",
            _breaker,
            "'lots' is not a whole number of consecutive misses",
        ),
        ("COOPWATCH_BREAKER_MISSES", "0", _breaker, "0 must be 1 or more"),
        ("COOPWATCH_ARCHIVE_MEMBER_BYTES", "0", _archive, "0 must be 1 or more"),
        ("COOPWATCH_ARCHIVE_RATIO", "-3", _archive, "'-3' must be more than 0"),
        ("COOPWATCH_MAX_FILE_BYTES", "0", _local_file, "0 must be 1 or more"),
        ("COOPWATCH_MAX_FILE_BYTES", "64M", _local_file, "'64M' is not a positive byte count"),
        (
            "COOPWATCH_HTTP_RATE",
            "fast",
            _http,
            "'fast' is not a valid requests_per_second (a number)",
        ),
        ("COOPWATCH_HTTP_RETRIES", "2.5", _http, "'2.5' is not a valid retries (a whole number)"),
        ("COOPWATCH_RECHECK_EVERY_DAYS", "0", _recheck, "0 must be 1 or more"),
    ],
)
def test_each_module_reports_a_bad_value_naming_the_variable(
    variable: str,
    value: str,
    read: Callable[[], object],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(BadSetting) as refused:
        read()
    assert str(refused.value) == f"{variable}: {message}"


def test_a_bad_mail_variable_is_still_a_mail_settings_error() -> None:
    from notify.delivery import settings_from_env

    with pytest.raises(MailSettingsError, match="^COOPWATCH_SMTP_PORT: 'smtp' is not a port"):
        settings_from_env({"COOPWATCH_SMTP_HOST": "h", "COOPWATCH_SMTP_PORT": "smtp"})
    with pytest.raises(MailSettingsError, match="^COOPWATCH_SMTP_ALLOW_CLEARTEXT: 'sure'"):
        settings_from_env({"COOPWATCH_SMTP_HOST": "h", "COOPWATCH_SMTP_ALLOW_CLEARTEXT": "sure"})


def test_the_cli_prints_a_bad_setting_as_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOPWATCH_BREAKER_MISSES", "many")
    result = CliRunner().invoke(app, ["run", "--source", "bundled", "--db", str(tmp_path / "w")])
    assert result.exit_code == 2  # a run refused for its settings, like a bad command line
    assert result.output.strip().splitlines() == [
        "coopwatch: error: COOPWATCH_BREAKER_MISSES: 'many' is not a whole number of "
        "consecutive misses"
    ]
    assert not (tmp_path / "w").exists()
